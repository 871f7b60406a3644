/**
 * Time buckets of the sketches. Every batch writes each row into its minute, hour and (UTC) day bucket directly —
 * a roll-up at write time, so no background job (and no single replica) has to own it. Minute buckets are only
 * written while they are within the minute retention, so a backfill of old data costs hour and day rows only.
 * A query merges the coarsest stored granularity that divides the requested bucket size: a 30-day range at 1 h
 * reads 720 hour rows per feature, at 1 d 30 day rows.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Stored granularities, finest first. */
export const GRANULARITIES = [MINUTE_MS, HOUR_MS, DAY_MS] as const;

/**
 * The bucket size a query of Grafana's `intervalMs` is answered at: the interval, never below a minute (the finest
 * stored sketch). The drift handlers and the answer cache's key both use it, so a cached answer is keyed by the
 * buckets it was computed on.
 */
export function queryBucketMs(intervalMs: number): number {
  return Math.max(MINUTE_MS, intervalMs);
}

/** Start of the bucket of `size` ms that holds `ms` (buckets are aligned to the Unix epoch, so days are UTC). */
export function bucketStart(ms: number, size: number): number {
  return Math.floor(ms / size) * size;
}

/**
 * The bucket size a query is answered with and the stored granularity merged into it: the request rounded up to
 * whole minutes (at least one), merged from the coarsest of day, hour and minute that divides it. When the range
 * starts before a granularity's retention (`keptSinceMs`), the bucket grows to the next granularity that still
 * covers it (e.g. 5 min → 1 h over a week of data), so old buckets are never silently empty.
 * @param keptSinceMs oldest bucket start still stored, per granularity (minute, hour); day buckets are kept forever
 */
export function chooseBuckets(
  requestedMs: number,
  fromMs = Number.POSITIVE_INFINITY,
  keptSinceMs: { minuteMs: number; hourMs: number } = { minuteMs: 0, hourMs: 0 }
): { bucketMs: number; granularityMs: number } {
  const safe = Number.isFinite(requestedMs) && requestedMs > 0 ? requestedMs : MINUTE_MS;
  let bucketMs = Math.max(MINUTE_MS, Math.ceil(safe / MINUTE_MS) * MINUTE_MS);
  const granularityOf = (size: number) => (size % DAY_MS === 0 ? DAY_MS : size % HOUR_MS === 0 ? HOUR_MS : MINUTE_MS);
  if (granularityOf(bucketMs) === MINUTE_MS && fromMs < keptSinceMs.minuteMs) {
    bucketMs = Math.ceil(bucketMs / HOUR_MS) * HOUR_MS;
  }
  if (granularityOf(bucketMs) === HOUR_MS && fromMs < keptSinceMs.hourMs)
    bucketMs = Math.ceil(bucketMs / DAY_MS) * DAY_MS;
  return { bucketMs, granularityMs: granularityOf(bucketMs) };
}

/**
 * Bucket starts [first, end) covering a time range with whole buckets: every bucket that overlaps [fromMs, toMs).
 */
export function bucketRange(fromMs: number, toMs: number, bucketMs: number): { firstMs: number; endMs: number } {
  return { firstMs: bucketStart(fromMs, bucketMs), endMs: Math.ceil(toMs / bucketMs) * bucketMs };
}
