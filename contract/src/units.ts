/** Grafana unit ids used by MLSight frames, so panels format values the same everywhere. */
export const UNITS = {
  ratio: 'percentunit',
  percent: 'percent',
  count: 'short',
  none: 'none',
  milliseconds: 'ms',
  seconds: 's',
  dateTimeMs: 'dateTimeAsIso',
  bytes: 'bytes',
} as const;
