import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/** Query fields that hold one string each; a multi-valued variable cannot fill them. */
export const SCALAR_FIELDS = [
  'model',
  'version',
  'alias',
  'segment',
  'feature',
  'predictionId',
  'champion',
  'challenger',
  'runId',
  'experiment',
  'filter',
  'metric',
  'positiveLabel',
  'search',
] as const;

/** Query fields that hold lists; a multi-valued variable (or All) expands into several entries. */
export const LIST_FIELDS = ['features', 'runIds', 'metrics', 'params', 'orderBy'] as const;

export type ScalarField = (typeof SCALAR_FIELDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];

/** Grafana's value for "All" in a variable's current selection. */
const ALL_VALUE = '$__all';

/** `$name`, `${name}`, `${name:format}`, `[[name]]` and `[[name:format]]`: the syntaxes Grafana interpolates. */
const VARIABLE_REFERENCE = /\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]/g;

/** Names of the variables a text refers to. */
export function variableNames(text: string): string[] {
  return [...text.matchAll(VARIABLE_REFERENCE)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter((n) => n !== '');
}

export function hasVariable(text: string): boolean {
  return variableNames(text).length > 0;
}

function toStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(toStrings);
  if (value === undefined || value === null) return [];
  return [String(value)];
}

/** Whether dashboard variable `name` currently has "All" selected (and no panel-repeat value overrides it). */
export function isAllSelected(templateSrv: TemplateSrv, name: string, scopedVars?: ScopedVars): boolean {
  if (scopedVars?.[name] !== undefined) return false;
  const variable = templateSrv.getVariables().find((v) => v.name === name);
  if (!variable || !('current' in variable)) return false;
  const current: unknown = variable.current;
  if (typeof current !== 'object' || current === null || !('value' in current)) return false;
  return toStrings(current.value).includes(ALL_VALUE);
}

export type ScalarResult =
  { kind: 'value'; value: string } | { kind: 'all' } | { kind: 'multiple'; variable: string; values: string[] };

/**
 * Interpolates a one-value field. A variable with several values makes the result `multiple` (the caller reports it:
 * guessing one of them would silently show the wrong model); a field that is exactly one variable set to All
 * yields `all`, which optional fields read as "no filter".
 */
export function interpolateScalar(templateSrv: TemplateSrv, text: string, scopedVars?: ScopedVars): ScalarResult {
  const names = variableNames(text);
  if (names.length === 0) return { kind: 'value', value: text };
  const whole = names.length === 1 && text.trim().replace(VARIABLE_REFERENCE, '') === '';
  const onlyName = names[0];
  if (whole && onlyName !== undefined && isAllSelected(templateSrv, onlyName, scopedVars)) return { kind: 'all' };

  let multiple: ScalarResult | undefined;
  const value = templateSrv.replace(text, scopedVars, (raw: unknown, variable?: { name?: string }) => {
    const values = toStrings(raw);
    if (values.length > 1 && multiple === undefined) {
      multiple = { kind: 'multiple', variable: variable?.name ?? onlyName ?? '', values };
    }
    return values[0] ?? '';
  });
  return multiple ?? { kind: 'value', value };
}

/** Private separator: a value can contain commas or pipes, but not this control character. */
const SEP = '\u001f';

/**
 * Interpolates a list field: each entry may name a variable, and a multi-valued or All variable expands into its
 * values (Grafana hands the format function every value, or all of them for All). Duplicates and blanks are dropped.
 */
export function interpolateList(templateSrv: TemplateSrv, items: readonly string[], scopedVars?: ScopedVars): string[] {
  const out: string[] = [];
  for (const item of items) {
    const replaced = hasVariable(item)
      ? templateSrv.replace(item, scopedVars, (raw: unknown) => toStrings(raw).join(SEP))
      : item;
    for (const part of replaced.split(SEP)) {
      const value = part.trim();
      if (value !== '' && !out.includes(value)) out.push(value);
    }
  }
  return out;
}
