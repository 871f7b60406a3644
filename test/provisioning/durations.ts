/**
 * Prometheus durations as Grafana's alerting provisioning parses them (`model.ParseDuration` of
 * github.com/prometheus/common: units y, w, d, h, m, s, ms in that order, each at most once, or a bare `0`).
 */
const UNITS_MS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3_600_000],
  ['w', 7 * 24 * 3_600_000],
  ['d', 24 * 3_600_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];
const PATTERN = new RegExp(`^${UNITS_MS.map(([unit]) => `(?:(\\d+)${unit})?`).join('')}$`);

/** Milliseconds, or undefined when Grafana would refuse the text. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  return UNITS_MS.reduce((sum, [, ms], i) => sum + Number(match[i + 1] ?? 0) * ms, 0);
}
