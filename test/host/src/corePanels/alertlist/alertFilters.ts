import { SortOrder, type AlertListOptions, type PromAlert } from './types';

export type MatcherOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  operator: MatcherOperator;
  value: string;
}

/** Thrown for an alert-instance label filter that is not a list of Prometheus label matchers. */
export class LabelFilterError extends Error {
  constructor(message: string) {
    super(`Alert instance label filter: ${message}`);
    this.name = 'LabelFilterError';
  }
}

const MATCHER = /^\s*([A-Za-z_][\w.]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^,"]*?))\s*$/;

function splitMatchers(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\' && quoted) {
      current += ch + text.charAt(i + 1);
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}

/**
 * Parses Grafana's alert-instance label filter — Prometheus matchers such as
 * `{severity="critical", instance=~"cluster-us-.+"}`, braces optional.
 * @throws {LabelFilterError} for anything that is not such a matcher
 */
export function parseLabelMatchers(filter: string): LabelMatcher[] {
  const text = filter.trim().replace(/^\{/, '').replace(/\}$/, '');
  return splitMatchers(text).map((part) => {
    const match = MATCHER.exec(part);
    if (!match) throw new LabelFilterError(`"${part.trim()}" is not a label matcher such as name="value"`);
    const [, name = '', operator, quotedValue, bareValue] = match;
    const value = quotedValue !== undefined ? quotedValue.replace(/\\(.)/g, '$1') : (bareValue ?? '');
    if (operator === '=~' || operator === '!~') {
      try {
        new RegExp(value);
      } catch {
        throw new LabelFilterError(`"${value}" is not a valid regular expression`);
      }
    }
    return { name, operator: operator as MatcherOperator, value };
  });
}

/** Prometheus semantics: a missing label is the empty string, regular expressions are anchored. */
export function matchesLabels(labels: Record<string, string>, matchers: LabelMatcher[]): boolean {
  return matchers.every(({ name, operator, value }) => {
    const actual = labels[name] ?? '';
    if (operator === '=') return actual === value;
    if (operator === '!=') return actual !== value;
    const matched = new RegExp(`^(?:${value})$`).test(actual);
    return operator === '=~' ? matched : !matched;
  });
}

function stateWanted(alert: PromAlert, options: AlertListOptions): boolean {
  if (alert.state === 'firing') return options.stateFilter.firing;
  if (alert.state === 'pending') return options.stateFilter.pending;
  return options.stateFilter.normal;
}

const IMPORTANCE: Record<PromAlert['state'], number> = { firing: 0, pending: 1, inactive: 2 };
const nameOf = (alert: PromAlert) => alert.labels.alertname ?? '';
const activeAtMs = (alert: PromAlert) => (alert.activeAt ? Date.parse(alert.activeAt) : NaN);

/** Grafana's alert-list orders: by name, by state importance (firing first), or by when the alert became active. */
export function sortAlerts(alerts: PromAlert[], order: SortOrder): PromAlert[] {
  const byName = (a: PromAlert, b: PromAlert) => nameOf(a).localeCompare(nameOf(b));
  const byTime = (a: PromAlert, b: PromAlert) => {
    const [ta, tb] = [activeAtMs(a), activeAtMs(b)];
    if (Number.isNaN(ta) || Number.isNaN(tb)) return Number.isNaN(ta) ? (Number.isNaN(tb) ? 0 : 1) : -1;
    return ta - tb;
  };
  const compare: Record<SortOrder, (a: PromAlert, b: PromAlert) => number> = {
    [SortOrder.AlphaAsc]: byName,
    [SortOrder.AlphaDesc]: (a, b) => byName(b, a),
    [SortOrder.Importance]: (a, b) => IMPORTANCE[a.state] - IMPORTANCE[b.state] || byName(a, b),
    [SortOrder.TimeAsc]: byTime,
    [SortOrder.TimeDesc]: (a, b) => byTime(b, a),
  };
  return [...alerts].sort(compare[order] ?? byName);
}

/**
 * The alerts the panel lists: wanted states, name containing the alert-name filter (case-insensitive), labels
 * matching the (already interpolated) label filter, in the chosen order, at most `maxItems`.
 * @throws {LabelFilterError} when the label filter does not parse
 */
export function selectAlerts(alerts: PromAlert[], options: AlertListOptions, labelFilter: string): PromAlert[] {
  const matchers = labelFilter.trim() ? parseLabelMatchers(labelFilter) : [];
  const name = options.alertName.trim().toLowerCase();
  const kept = alerts.filter(
    (alert) =>
      stateWanted(alert, options) &&
      (name === '' || nameOf(alert).toLowerCase().includes(name)) &&
      matchesLabels(alert.labels, matchers)
  );
  const max = options.maxItems > 0 ? options.maxItems : kept.length;
  return sortAlerts(kept, options.sortOrder).slice(0, max);
}
