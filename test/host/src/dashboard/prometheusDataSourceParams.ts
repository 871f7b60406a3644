/**
 * The request side of the host's Prometheus stand-in: query step and range as Grafana's Prometheus data source
 * chooses them, and the interpolation format it gives `templateSrv.replace` for PromQL.
 */

/** Prometheus refuses range queries of more than 11 000 points. */
const MAX_POINTS = 11_000;

/**
 * The step of a range query in seconds: the request's interval, the target's own minimum, and at least
 * range / 11 000 (rounded up once above a second, as Grafana's `adjustInterval` does), never below one second.
 * @example queryStep(6 * 3_600_000, 15_000) // 15
 */
export function queryStep(rangeMs: number, intervalMs: number, minIntervalSeconds = 0): number {
  let safe = rangeMs / 1000 / MAX_POINTS;
  if (safe > 1) safe = Math.ceil(safe);
  return Math.max(intervalMs / 1000, minIntervalSeconds, safe, 1);
}

/**
 * Start and end (seconds) of a range query, aligned down to the step (Grafana's `alignRange`, in UTC), so that
 * repeated queries hit the same evaluation times.
 */
export function alignedRange(fromMs: number, toMs: number, step: number): { start: number; end: number } {
  return { start: Math.floor(fromMs / 1000 / step) * step, end: Math.floor(toMs / 1000 / step) * step };
}

/** A value inside a PromQL double-quoted string: backslashes and double quotes escaped. */
export function promqlStringEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A value inside a PromQL regex matcher: regex metacharacters escaped, written as a PromQL string. */
export function promqlRegexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

function isMultiVariable(variable: unknown): boolean {
  if (typeof variable !== 'object' || variable === null) return false;
  const v = variable as { multi?: unknown; includeAll?: unknown };
  return v.multi === true || v.includeAll === true;
}

/**
 * Grafana's Prometheus `interpolateQueryExpr` as a templateSrv format: a single value is string-escaped (it usually
 * sits in `label="$var"`); several values are regex-escaped and joined by `|` in parentheses, for `label=~"$var"`.
 * When templateSrv says the variable is multi-value or has "All", a single value is regex-escaped too.
 * @example prometheusFormat(['a.b', 'c']) // '(a\\\\.b|c)'
 */
export function prometheusFormat(value: string | string[], variable?: unknown): string {
  if (typeof value === 'string')
    return isMultiVariable(variable) ? promqlRegexEscape(value) : promqlStringEscape(value);
  const escaped = value.map(promqlRegexEscape);
  return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
}
