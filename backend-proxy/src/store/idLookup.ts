import { columnKey, loadChunks } from './chunks';
import { decodeF64 } from './columns';
import type { SqlExecutor } from './sql';

/** A stored row found by its prediction id. */
export interface RowLocation {
  chunkId: number;
  offset: number;
  ts: number;
}

export interface WantedId {
  id: string;
  hash: number;
}

/**
 * Finds stored prediction rows by id without a per-row index. Every chunk stores the 53-bit hashes of its ids
 * (`meta/hash`, float64 in row order); a lookup probes those hashes and then compares the stored ids, so a hash
 * collision never matches. Ingestion therefore only appends — a per-row B-tree on random ids (UUIDs) made every
 * commit rewrite most of that index and capped ingestion far below 100k rows/s.
 *
 * Chunks never change once written, so their hash arrays are cached (bounded; safe across replicas).
 */
export class ChunkIdIndex {
  private readonly cache = new Map<number, Float64Array>();
  private cached = 0;

  constructor(private readonly maxCachedRows = 4_000_000) {}

  private async hashesOf(tx: SqlExecutor, chunkIds: readonly number[]): Promise<Map<number, Float64Array>> {
    const out = new Map<number, Float64Array>();
    const missing: number[] = [];
    for (const id of chunkIds) {
      const hit = this.cache.get(id);
      if (hit) {
        // Refresh its place in the LRU order.
        this.cache.delete(id);
        this.cache.set(id, hit);
        out.set(id, hit);
      } else missing.push(id);
    }
    if (missing.length > 0) {
      const list = tx.inList('chunk_id', missing, 'bigint');
      const rows = await tx.all<{ chunk_id: number; data: Uint8Array }>(
        `SELECT chunk_id, data FROM chunk_columns WHERE role = 'meta' AND name = 'hash' AND ${list.sql}`,
        [list.param]
      );
      for (const row of rows) {
        const hashes = decodeF64(row.data).slice();
        out.set(Number(row.chunk_id), hashes);
        this.remember(Number(row.chunk_id), hashes);
      }
    }
    return out;
  }

  private remember(chunkId: number, hashes: Float64Array): void {
    this.cache.set(chunkId, hashes);
    this.cached += hashes.length;
    for (const [id, old] of this.cache) {
      if (this.cached <= this.maxCachedRows) break;
      this.cache.delete(id);
      this.cached -= old.length;
    }
  }

  /** Forgets deleted chunks. */
  forget(chunkIds: readonly number[]): void {
    for (const id of chunkIds) {
      const old = this.cache.get(id);
      if (old) this.cached -= old.length;
      this.cache.delete(id);
    }
  }

  /**
   * Stored rows holding the wanted ids, searched in `chunkIds` order (a few dozen chunks per round trip).
   * @param firstOnly stop searching for an id once found (lookups newest-first); otherwise return every match
   */
  async find(
    tx: SqlExecutor,
    chunkIds: readonly number[],
    wanted: readonly WantedId[],
    firstOnly: boolean
  ): Promise<Map<string, RowLocation[]>> {
    const found = new Map<string, RowLocation[]>();
    const byHash = new Map<number, Set<string>>();
    for (const w of wanted) {
      let ids = byHash.get(w.hash);
      if (!ids) byHash.set(w.hash, (ids = new Set()));
      ids.add(w.id);
    }
    const step = 64;
    for (let start = 0; start < chunkIds.length && byHash.size > 0; start += step) {
      const group = chunkIds.slice(start, start + step);
      const hashes = await this.hashesOf(tx, group);
      const candidates: Array<{ chunkId: number; offset: number; hash: number }> = [];
      for (const chunkId of group) {
        const list = hashes.get(chunkId);
        if (!list) continue;
        for (let offset = 0; offset < list.length; offset++) {
          const hash = list[offset] ?? -1;
          if (byHash.has(hash)) candidates.push({ chunkId, offset, hash });
        }
      }
      if (candidates.length === 0) continue;
      const chunks = await loadChunks(
        tx,
        [...new Set(candidates.map((c) => c.chunkId))],
        [
          { role: 'meta', name: 'id' },
          { role: 'meta', name: 'ts' },
        ]
      );
      const resolved: Array<{ hash: number; id: string }> = [];
      for (const c of candidates) {
        const chunk = chunks.get(c.chunkId);
        const id = chunk?.columns.get(columnKey('meta', 'id'))?.get(c.offset);
        if (typeof id !== 'string' || !byHash.get(c.hash)?.has(id)) continue;
        const ts = Number(chunk?.columns.get(columnKey('meta', 'ts'))?.get(c.offset));
        const list = found.get(id) ?? [];
        list.push({ chunkId: c.chunkId, offset: c.offset, ts });
        found.set(id, list);
        resolved.push({ hash: c.hash, id });
      }
      if (firstOnly) {
        for (const r of resolved) {
          const ids = byHash.get(r.hash);
          ids?.delete(r.id);
          if (ids?.size === 0) byHash.delete(r.hash);
        }
      }
    }
    return found;
  }
}
