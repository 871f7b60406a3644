import {
  type FieldConfigSource,
  formattedValueToString,
  getActiveThreshold,
  ThresholdsMode,
  type Field,
  type GrafanaTheme2,
} from '@grafana/data';

const numberFormat = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

/** Short number for labels; a sign only where the value is a signed contribution. */
export function formatValue(v: number, signed: boolean): string {
  const text = numberFormat.format(v);
  return signed && v > 0 ? `+${text}` : text;
}

export type ValueFormatter = (v: number, signed: boolean) => string;

/** Whether the panel's standard options (or an override) set how values read: unit or decimals. */
export function setsValueDisplay(fieldConfig: FieldConfigSource): boolean {
  const { unit, decimals } = fieldConfig.defaults;
  const overridden = fieldConfig.overrides.some((o) =>
    o.properties.some((p) => p.id === 'unit' || p.id === 'decimals')
  );
  return unit !== undefined || decimals !== undefined || overridden;
}

/**
 * Formats bar values with the value field's display processor (unit, decimals) when the panel's standard options
 * set them, else as short numbers (SHAP values have no natural unit; Grafana's default would print "0.0123").
 */
export function valueFormatter(field: Field | undefined, useDisplay: boolean): ValueFormatter {
  const display = field?.display;
  if (!useDisplay || !display) return formatValue;
  return (v, signed) => {
    const text = formattedValueToString(display(v));
    return signed && v > 0 ? `+${text}` : text;
  };
}

/**
 * Thresholds' default for new panels: one base step in the bars' own colour, so a panel draws as before until someone
 * adds a step (e.g. importance above 0.1 in orange).
 */
export const DEFAULT_THRESHOLDS = {
  mode: ThresholdsMode.Absolute,
  steps: [{ value: -Infinity, color: 'blue' }],
};

/** The colour of a value's threshold step (by |value|, as bars are drawn by magnitude), or undefined when unset. */
export function thresholdColor(field: Field | undefined, v: number, theme: GrafanaTheme2): string | undefined {
  const steps = field?.config.thresholds?.steps;
  if (!steps || steps.length === 0) return undefined;
  return theme.visualization.getColorByName(getActiveThreshold(Math.abs(v), steps).color);
}

/** The value axis: the field's min/max where set (standard options), else the data's extent. */
export function axisDomain(field: Field | undefined, dataDomain: readonly [number, number]): [number, number] {
  const min = field?.config.min;
  const max = field?.config.max;
  const lo = typeof min === 'number' && Number.isFinite(min) ? min : dataDomain[0];
  const hi = typeof max === 'number' && Number.isFinite(max) ? max : dataDomain[1];
  return lo < hi ? [lo, hi] : [dataDomain[0], dataDomain[1]];
}
