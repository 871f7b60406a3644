import type { DataFrameJSON, MLSightQuery, TimeWindow } from '@mlsight/contract';
import { AnswerCache } from '../cache/answerCache';

/** What a computation left for the requests that share it: the frames and whether MLflow data in it was stale. */
export interface SharedAnswer {
  frames: DataFrameJSON[];
  /** Set when the handler was served MLflow data from the stale cache (MLflow unreachable). */
  staleSince?: number;
}

/**
 * One computation for everyone asking the same question at the same time. Fifty people with one dashboard open
 * refresh the same panels; without this, each request recomputes the same answer and the work grows with viewers.
 *
 * A request that arrives while an identical query (same meaning, range and resolution) is being computed waits for
 * that computation instead of starting its own, so its answer may miss a write acknowledged during the computation
 * (it is at most one computation old). With `maxAgeMs` > 0 a finished answer is also kept that long and shared by
 * requests whose range is the same to within `maxAgeMs` — a deliberate, bounded staleness for a shared Grafana;
 * with 0 (the default) nothing is kept once the computation ends.
 */
export class SharedAnswers {
  private readonly cache: AnswerCache<SharedAnswer>;

  constructor(readonly maxAgeMs: number) {
    // The cache's TTL is the max age; at 0 the finished answer expires at once and only in-flight sharing remains.
    this.cache = new AnswerCache<SharedAnswer>({ maxEntries: 256, ttlMs: maxAgeMs });
  }

  /** The key of a query in a window: its meaning (not its refId) and the range in `maxAgeMs` steps. */
  keyFor(query: MLSightQuery, window: TimeWindow): string {
    const step = Math.max(1, this.maxAgeMs);
    const { refId: _refId, hide: _hide, ...meaning } = query;
    return JSON.stringify([
      Math.floor(window.fromMs / step),
      Math.floor(window.toMs / step),
      window.intervalMs,
      window.maxDataPoints,
      meaning,
    ]);
  }

  getOrCompute(key: string, compute: () => Promise<SharedAnswer>): Promise<SharedAnswer> {
    return this.cache.getOrCompute(key, compute);
  }
}
