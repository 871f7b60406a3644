import type { DataFrameJSON, MLSightQuery, TimeWindow } from '@mlsight/contract';
import type { DriftStore } from '../store';
import { queryBucketMs } from '../store/buckets';

/**
 * Query types whose answer is a function of the model's stored data and the whole buckets the range covers, not of
 * the exact range: a dashboard refreshing `now-30d … now` asks for the same buckets again and again.
 */
const BUCKETED_TYPES: ReadonlySet<string> = new Set(['drift_heatmap', 'drift_trend']);

export interface AnswerCacheOptions {
  /**
   * Answers kept (least recently used dropped first). Default 64: a 50 × 720 heatmap answer holds ~110k numbers
   * (≈1 MB), so the default bounds the cache near 64 MB.
   */
  maxEntries?: number;
  /**
   * How long an answer may be served without a write to the model. Bounds what the key cannot see: raw rows and
   * fine sketches ageing out of retention change how old buckets are answered. Default 5 minutes.
   */
  ttlMs?: number;
}

interface Entry<V> {
  value: V;
  expiresAtMs: number;
}

/**
 * Answers of bucketed store queries, keyed by the query, the buckets it covers and the model's data generation
 * (bumped by every committed write, on both engines and across replicas), so a write anywhere makes the next query
 * recompute and an unchanged model is answered from memory. Frames are shared read-only; callers copy before
 * changing them (withRefId does).
 *
 * The same bounded, expiring store holds other answers computed from a model's data under keys that carry its
 * generation (`V`): the `kpis` query's production numbers and CBPE's fitted reference.
 */
export class AnswerCache<V = DataFrameJSON[]> {
  private readonly entries = new Map<string, Entry<V>>();
  /** Computations under way, so concurrent askers of one key (two panels of one dashboard) share one. */
  private readonly pending = new Map<string, Promise<V>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: AnswerCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 64;
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
  }

  /** The key of a cacheable query, or undefined when its answer must be computed (type, no store, unknown model). */
  async keyFor(query: MLSightQuery, window: TimeWindow, store: DriftStore | undefined): Promise<string | undefined> {
    const model = 'model' in query ? query.model : undefined;
    if (!store || !BUCKETED_TYPES.has(query.queryType) || typeof model !== 'string') return undefined;
    const generation = await store.dataGeneration(model);
    if (generation === undefined) return undefined;
    const plan = store.planSketchBuckets({
      fromMs: window.fromMs,
      toMs: window.toMs,
      bucketMs: queryBucketMs(window.intervalMs),
    });
    const { refId: _refId, hide: _hide, ...meaning } = query;
    return JSON.stringify([generation, plan.bucketMs, plan.granularityMs, plan.firstMs, plan.endMs, meaning]);
  }

  get(key: string, nowMs = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: Map iteration order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, nowMs = Date.now()): void {
    this.entries.delete(key);
    // A TTL of 0 shares computations in flight only: a finished answer would expire at once, so it is not held.
    if (this.ttlMs <= 0) return;
    this.entries.set(key, { value, expiresAtMs: nowMs + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /**
   * The answer under `key`, computed by `compute` when missing. Callers asking while it is computed wait for the
   * same computation; a failed computation is not kept, so the next caller tries again.
   */
  async getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const running = this.pending.get(key);
    if (running) return running;
    const computing = compute().then(
      (value) => {
        this.pending.delete(key);
        this.set(key, value);
        return value;
      },
      (err: unknown) => {
        this.pending.delete(key);
        throw err;
      }
    );
    this.pending.set(key, computing);
    return computing;
  }

  get size(): number {
    return this.entries.size;
  }
}
