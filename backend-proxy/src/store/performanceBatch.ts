/*
 * Per-bucket performance summaries of a batch of label joins, kept per (granularity, segment, bucket, version) and
 * merged into the stored rows in the batch's own transaction — so a committed label and its summary never disagree,
 * a replayed batch (idempotency key) adds nothing, and `kill -9` loses both or neither.
 */
import { PerformanceSummary, type SummaryRow } from '../stats';
import { bucketStart, HOUR_MS, MINUTE_MS } from './buckets';
import { decodePerformanceSummary, encodePerformanceSummary } from './performanceCodec';
import type { SqlExecutor, SqlScalar } from './sql';

/** Granularities the summaries are kept at: minutes (within the minute retention) and hours. */
export const SUMMARY_GRANULARITIES = [MINUTE_MS, HOUR_MS] as const;

/** The segment key of every row's overall summary; a segment's is the JSON of [field, value] (no NUL: PostgreSQL text). */
export const ALL_SEGMENTS = '';
export const segmentKey = (field: string, value: string) => JSON.stringify([field, value]);

interface Slot {
  granularity: number;
  segment: string;
  bucketMs: number;
  version: string;
  summary: PerformanceSummary;
}

export class PerformanceBatch {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly cutoffs: { minuteMs: number; hourMs: number }) {}

  get size(): number {
    return this.slots.size;
  }

  private slot(granularity: number, segment: string, bucketMs: number, version: string): PerformanceSummary {
    const key = `${granularity}\u0000${bucketMs}\u0000${version}\u0000${segment}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { granularity, segment, bucketMs, version, summary: new PerformanceSummary() };
      this.slots.set(key, slot);
    }
    return slot.summary;
  }

  /** Adds (sign 1) or removes (−1) one labelled row in every summary it belongs to. */
  add(
    row: SummaryRow & { timestampMs: number; version: string; segment: Readonly<Record<string, string>> },
    sign = 1
  ): void {
    const segments = [ALL_SEGMENTS, ...Object.entries(row.segment).map(([f, v]) => segmentKey(f, v))];
    for (const granularity of SUMMARY_GRANULARITIES) {
      const bucketMs = bucketStart(row.timestampMs, granularity);
      const kept = granularity === MINUTE_MS ? this.cutoffs.minuteMs : this.cutoffs.hourMs;
      if (bucketMs + granularity <= kept) continue;
      for (const segment of segments) this.slot(granularity, segment, bucketMs, row.version).add(row, sign);
    }
  }

  /** Merges the batch into the stored summaries (read, add, upsert). */
  async flush(tx: SqlExecutor, modelId: number): Promise<void> {
    if (this.slots.size === 0) return;
    const bySegment = new Map<string, Slot[]>();
    for (const slot of this.slots.values()) {
      const key = `${slot.granularity}\u0000${slot.segment}`;
      const list = bySegment.get(key);
      if (list) list.push(slot);
      else bySegment.set(key, [slot]);
    }
    const rows: SqlScalar[][] = [];
    for (const list of bySegment.values()) {
      const { granularity, segment } = list[0] as Slot;
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      for (const s of list) {
        first = Math.min(first, s.bucketMs);
        last = Math.max(last, s.bucketMs);
      }
      const wanted = new Map(list.map((s) => [`${s.bucketMs}\u0000${s.version}`, s]));
      const stored = await tx.allArrays(
        `SELECT bucket_ms, version, data FROM performance_summaries
         WHERE model_id = ? AND granularity = ? AND segment = ? AND bucket_ms >= ? AND bucket_ms <= ?`,
        [modelId, granularity, segment, first, last]
      );
      for (const [bucketMs, version, data] of stored) {
        const slot = wanted.get(`${Number(bucketMs)}\u0000${String(version)}`);
        if (slot) slot.summary.merge(decodePerformanceSummary(data as Uint8Array));
      }
      for (const s of list) {
        rows.push([modelId, granularity, segment, s.bucketMs, s.version, encodePerformanceSummary(s.summary)]);
      }
    }
    await tx.insertMany(
      'performance_summaries',
      [
        { name: 'model_id', type: 'bigint' },
        { name: 'granularity', type: 'bigint' },
        { name: 'segment', type: 'text' },
        { name: 'bucket_ms', type: 'bigint' },
        { name: 'version', type: 'text' },
        { name: 'data', type: 'blob' },
      ],
      rows,
      'ON CONFLICT (model_id, granularity, segment, bucket_ms, version) DO UPDATE SET data = excluded.data'
    );
    this.slots.clear();
  }
}
