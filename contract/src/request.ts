import { z } from 'zod';
import type { DataFrameJSON } from './frames';
import { MLSightQuerySchema, type MLSightQuery } from './query';

/**
 * A time as Grafana's backend receives it: epoch milliseconds as a number or numeric string, an ISO-8601 string,
 * or Grafana's relative `now-7d`. Normalised to epoch ms by `toEpochMs`.
 */
export const TimeInputSchema = z.union([z.number().nonnegative(), z.string().min(1)]);

/** `POST /api/v1/query`: the shape Grafana's backend query API uses. */
export const QueryRequestSchema = z.object({
  from: TimeInputSchema,
  to: TimeInputSchema,
  intervalMs: z.number().positive().optional(),
  maxDataPoints: z.number().int().positive().optional(),
  queries: z.array(MLSightQuerySchema).min(1, 'needs at least one query').max(100),
});
export type QueryRequest = z.infer<typeof QueryRequestSchema>;

export interface QueryResult {
  frames: DataFrameJSON[];
  error?: string;
  /** HTTP-like status of this one query (a failed query does not fail the others). */
  status?: number;
}

export interface QueryResponse {
  results: Record<string, QueryResult>;
}

/** Time range and bucket size a handler works with, after normalisation. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
  intervalMs: number;
  maxDataPoints: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Converts a Grafana time input to epoch ms, or returns undefined when it is not a time. Besides epoch ms and
 * ISO-8601, Grafana's relative `now` and `now-7d` (units s, m, h, d, w) are read, for hand-written requests.
 */
export function toEpochMs(value: number | string, nowMs: number = Date.now()): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const relative = /^now(?:([+-])(\d+)([smhdw]))?$/.exec(value.trim());
  if (relative) {
    const [, sign, amount, unit] = relative;
    if (!sign || !amount || !unit) return nowMs;
    const offset = Number(amount) * (UNIT_MS[unit] ?? 0);
    return sign === '-' ? nowMs - offset : nowMs + offset;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

export type { MLSightQuery };
