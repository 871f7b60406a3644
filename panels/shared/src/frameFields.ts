import { formattedValueToString, type DataFrame, type Field } from '@grafana/data';

/** The first field of a frame with this name, or undefined. */
export function fieldNamed(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

/** A finite number, or null for null/undefined/NaN/±Infinity/non-numbers (what a panel can draw). */
export function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A field's `config.custom` as a plain record (empty when absent). */
export function customOf(field: Field): Record<string, unknown> {
  const custom: unknown = field.config.custom;
  return typeof custom === 'object' && custom !== null ? (custom as Record<string, unknown>) : {};
}

/** A frame's `meta.custom` as a plain record (empty when absent). */
export function metaCustomOf(frame: DataFrame): Record<string, unknown> {
  const custom: unknown = frame.meta?.custom;
  return typeof custom === 'object' && custom !== null ? (custom as Record<string, unknown>) : {};
}

/**
 * Formats a value with the field's display processor (unit, decimals) as Grafana gives every field one;
 * falls back to a short number when the field has none (e.g. in unit tests).
 */
export function formatFieldValue(field: Field | undefined, value: number | null): string {
  if (value === null) return '–';
  if (field?.display) return formattedValueToString(field.display(value));
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}
