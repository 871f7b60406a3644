import { z } from 'zod';
import type { DataFrameJSON } from './frames';
import { MLSightQuerySchema, type MLSightQuery } from './query';

/**
 * A time as Grafana's backend receives it: epoch milliseconds as a number or numeric string,
 * or an ISO-8601 string. Normalised to epoch ms by `toEpochMs`.
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

/** Converts a Grafana time input to epoch ms, or returns undefined when it is not a time. */
export function toEpochMs(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

export type { MLSightQuery };
