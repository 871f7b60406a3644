import { PerformanceSummary } from '../stats';
import { MINUTE_MS } from './buckets';
import { ALL_SEGMENTS, segmentKey, SUMMARY_GRANULARITIES } from './performanceBatch';
import { decodePerformanceSummary } from './performanceCodec';
import type { StoreContext } from './storeContext';
import type { PerformanceSummaryQuery, PerformanceSummaryResult } from './types';

/**
 * The stored performance summaries of [fromMs, toMs) at one granularity, every version merged per bucket; undefined
 * when that granularity is not kept for the whole range (minutes before the minute retention, or a granularity the
 * store does not keep), so the caller reads raw rows instead.
 */
export async function getPerformanceSummaries(
  ctx: StoreContext,
  query: PerformanceSummaryQuery
): Promise<PerformanceSummaryResult | undefined> {
  const granularity = query.granularityMs;
  if (!(SUMMARY_GRANULARITIES as readonly number[]).includes(granularity)) return undefined;
  const nowMs = query.nowMs ?? Date.now();
  const kept = granularity === MINUTE_MS ? nowMs - ctx.opts.minuteRetentionMs : nowMs - ctx.opts.hourRetentionMs;
  if (query.fromMs < kept) return undefined;
  const modelId = await ctx.modelIdFor(query.model);
  if (modelId === undefined) return { buckets: [] };
  const segment = query.segment ? segmentKey(query.segment.field, query.segment.value) : ALL_SEGMENTS;
  const rows = await ctx.db.read((tx) =>
    tx.allArrays(
      `SELECT bucket_ms, data FROM performance_summaries
       WHERE model_id = ? AND granularity = ? AND segment = ? AND bucket_ms >= ? AND bucket_ms < ?
       ORDER BY bucket_ms`,
      [modelId, granularity, segment, query.fromMs, query.toMs]
    )
  );
  const buckets: Array<{ bucketMs: number; summary: PerformanceSummary }> = [];
  for (const [bucket, data] of rows) {
    const bucketMs = Number(bucket);
    const summary = decodePerformanceSummary(data as Uint8Array);
    const last = buckets[buckets.length - 1];
    if (last && last.bucketMs === bucketMs) last.summary.merge(summary);
    else buckets.push({ bucketMs, summary });
  }
  return { buckets };
}
