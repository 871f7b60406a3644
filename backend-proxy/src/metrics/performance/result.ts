/** A metric of one bucket: its value, or null with the reason it does not exist (never a silent NaN). */
export interface MetricValue {
  readonly value: number | null;
  readonly reason?: string;
}

export const defined = (value: number): MetricValue => ({ value });
export const undefinedBecause = (reason: string): MetricValue => ({ value: null, reason });
