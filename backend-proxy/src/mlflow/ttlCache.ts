export interface TtlCacheOptions {
  /** How long a loaded value is served without asking again. */
  ttlMs: number;
  /** How long after expiry a value is kept to stand in when a reload fails. */
  staleTtlMs: number;
  /** Bound on entries; the least recently used go first. */
  maxEntries: number;
  /** Which load failures may be answered with a stale value (e.g. outages, not 404s). */
  canServeStale: (err: unknown) => boolean;
  /** Clock in epoch ms; injectable for tests. */
  now?: () => number;
}

/** A value from the cache and how old it is; `stale` when it stood in for a failed reload. */
export interface CacheResult<T> {
  value: T;
  /** When the value was loaded (epoch ms). */
  fetchedAt: number;
  stale: boolean;
}

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

/**
 * A bounded TTL cache with single-flight loads and stale-if-error (RFC 5861's idea): a fresh entry is
 * returned as is; an expired one is reloaded, and if the reload fails with an error `canServeStale` accepts,
 * the expired value is returned flagged `stale` until `ttlMs + staleTtlMs` after it was loaded.
 * Concurrent loads of one key share one loader call. Values are shared between callers: treat them as
 * read-only.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Promise<CacheResult<T>>>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    if (!(options.ttlMs >= 0) || !(options.staleTtlMs >= 0)) {
      throw new RangeError('TtlCache: ttlMs and staleTtlMs must be ≥ 0');
    }
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError('TtlCache: maxEntries must be an integer ≥ 1');
    }
    this.now = options.now ?? Date.now;
  }

  /** Number of entries held, fresh or stale. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value for `key`, loading it with `loader` when missing or expired.
   * @throws whatever `loader` threw, unless a stale value may stand in for it
   */
  getOrLoad(key: string, loader: () => Promise<T>): Promise<CacheResult<T>> {
    const entry = this.entries.get(key);
    const now = this.now();
    if (entry && now - entry.fetchedAt < this.options.ttlMs) {
      this.touch(key, entry);
      return Promise.resolve({ value: entry.value, fetchedAt: entry.fetchedAt, stale: false });
    }
    const running = this.inflight.get(key);
    if (running) return running;
    const load = this.load(key, loader).finally(() => this.inflight.delete(key));
    this.inflight.set(key, load);
    return load;
  }

  /** Forgets one key. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets everything (in-flight loads still complete and store their result). */
  clear(): void {
    this.entries.clear();
  }

  private async load(key: string, loader: () => Promise<T>): Promise<CacheResult<T>> {
    try {
      const value = await loader();
      const fetchedAt = this.now();
      this.store(key, { value, fetchedAt });
      return { value, fetchedAt, stale: false };
    } catch (err) {
      const stale = this.entries.get(key);
      if (stale && this.options.canServeStale(err) && this.now() - stale.fetchedAt < this.keepMs()) {
        this.touch(key, stale);
        return { value: stale.value, fetchedAt: stale.fetchedAt, stale: true };
      }
      throw err;
    }
  }

  private keepMs(): number {
    return this.options.ttlMs + this.options.staleTtlMs;
  }

  private touch(key: string, entry: Entry<T>): void {
    // A Map iterates in insertion order, so re-inserting makes this key the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private store(key: string, entry: Entry<T>): void {
    this.touch(key, entry);
    this.evict();
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.fetchedAt >= this.keepMs()) this.entries.delete(key);
    }
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
