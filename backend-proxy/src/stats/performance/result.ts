import { InsufficientDataError } from '../errors';

/** A metric of one bucket: its value, or null with the reason it does not exist (never a silent NaN). */
export interface MetricValue {
  readonly value: number | null;
  readonly reason?: string;
}

export const defined = (value: number): MetricValue => ({ value });
export const undefinedBecause = (reason: string): MetricValue => ({ value: null, reason });

/** The metric `compute` gives, or null with the reason when the data cannot define it (too few rows, one class…). */
export function metricOrReason(compute: () => number): MetricValue {
  try {
    return defined(compute());
  } catch (err) {
    if (err instanceof InsufficientDataError) return undefinedBecause(err.message.replace(/^[^:]+: /, ''));
    throw err;
  }
}
