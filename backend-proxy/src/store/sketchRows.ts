import { decodeSketch, encodeSketch, topNames } from './sketch';
import { type GroupSketches, type SeriesKey, seriesKeyText } from './sketchBatch';
import type { SqlExecutor, SqlScalar } from './sql';
import type { Sketch } from './types';

/**
 * Sketches as stored rows: the `sketches` table's columns, a stored row decoded, and a batch's in-memory sketches
 * (sketchBatch.ts) merged into the rows they touch. The aggregation stays in sketchBatch.ts.
 */

interface SeriesRow {
  id: number;
  reference_id: number;
  version: string;
  role: string;
  name: string;
}

export const SKETCH_COLUMNS = 'series_id, bucket_ms, data, unseen_names';

/** A stored sketch row, read as an array `[series_id, bucket_ms, data, unseen_names]`, as a Sketch. */
export function decodeSketchRow(row: readonly unknown[]): Sketch {
  let unseenCategories: Record<string, number> = {};
  const names = row[3];
  if (typeof names === 'string') {
    const parsed: unknown = JSON.parse(names);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      unseenCategories = parsed as Record<string, number>;
  }
  const data = row[2];
  if (!(data instanceof Uint8Array)) throw new Error('sketch row without data');
  return decodeSketch(data, unseenCategories);
}

/** Series ids that exist (committed or created in this transaction). */
export type SeriesCache = Map<string, number>;

/**
 * Writes the batch's sketches: creates missing series, reads the stored buckets it touches, merges in memory and
 * upserts the sums. Safe because writers of one model are serialised (SQLite's writer lock, PostgreSQL's advisory
 * lock), so no other writer changes these rows between the read and the write.
 * @returns series ids created in this transaction (for the caller to cache after commit)
 */
export async function flushSketches(
  tx: SqlExecutor,
  modelId: number,
  groups: readonly GroupSketches[],
  cache: ReadonlyMap<string, number>
): Promise<Map<string, number>> {
  const entries = groups.flatMap((g) => [...g.entries()]);
  const created = new Map<string, number>();
  if (entries.length === 0) return created;

  const keyOf = (k: SeriesKey) => seriesKeyText(k.referenceId, k.version, k.column.role, k.column.name);
  const missing = new Map<string, SeriesKey>();
  for (const e of entries) {
    const text = keyOf(e.key);
    if (!cache.has(text)) missing.set(text, e.key);
  }
  if (missing.size > 0) {
    const rows = [...missing.values()].map((k) => [
      modelId,
      k.referenceId,
      k.version,
      k.column.role,
      k.column.name,
      k.column.kind,
    ]);
    await tx.insertMany(
      'sketch_series',
      [
        { name: 'model_id', type: 'bigint' },
        { name: 'reference_id', type: 'bigint' },
        { name: 'version', type: 'text' },
        { name: 'role', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'kind', type: 'text' },
      ],
      rows,
      'ON CONFLICT (model_id, reference_id, version, role, name) DO NOTHING'
    );
    const refs = [...new Set([...missing.values()].map((k) => k.referenceId))];
    const list = tx.inList('reference_id', refs, 'bigint');
    const found = await tx.all<SeriesRow>(
      `SELECT id, reference_id, version, role, name FROM sketch_series WHERE model_id = ? AND ${list.sql}`,
      [modelId, list.param]
    );
    for (const r of found) {
      const text = seriesKeyText(Number(r.reference_id), r.version, r.role, r.name);
      if (missing.has(text)) created.set(text, Number(r.id));
    }
  }
  const idOf = (k: SeriesKey) => {
    const text = keyOf(k);
    const id = cache.get(text) ?? created.get(text);
    if (id === undefined) throw new Error(`sketch series ${text.split('\u0000').join('/')} was not created`);
    return id;
  };

  const byGranularity = new Map<number, Array<(typeof entries)[number] & { seriesId: number }>>();
  for (const e of entries) {
    const list = byGranularity.get(e.granularity) ?? [];
    list.push({ ...e, seriesId: idOf(e.key) });
    byGranularity.set(e.granularity, list);
  }

  const rows: SqlScalar[][] = [];
  for (const [granularity, list] of byGranularity) {
    const wanted = new Map(list.map((e) => [`${e.seriesId}:${e.bucketMs}`, e]));
    const seriesIds = [...new Set(list.map((e) => e.seriesId))];
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const e of list) {
      first = Math.min(first, e.bucketMs);
      last = Math.max(last, e.bucketMs);
    }
    const ids = tx.inList('series_id', seriesIds, 'bigint');
    const stored = await tx.allArrays(
      `SELECT ${SKETCH_COLUMNS} FROM sketches WHERE granularity = ? AND ${ids.sql} AND bucket_ms >= ? AND bucket_ms <= ?`,
      [granularity, ids.param, first, last]
    );
    for (const row of stored) {
      const e = wanted.get(`${Number(row[0])}:${Number(row[1])}`);
      if (e) e.acc.addSketch(decodeSketchRow(row));
    }
    for (const e of list) {
      const names = topNames(e.acc.unseenNames);
      rows.push([
        e.seriesId,
        granularity,
        e.bucketMs,
        encodeSketch(e.acc),
        Object.keys(names).length > 0 ? JSON.stringify(names) : null,
      ]);
    }
  }
  await tx.insertMany(
    'sketches',
    [
      { name: 'series_id', type: 'bigint' },
      { name: 'granularity', type: 'bigint' },
      { name: 'bucket_ms', type: 'bigint' },
      { name: 'data', type: 'blob' },
      { name: 'unseen_names', type: 'text' },
    ],
    rows,
    'ON CONFLICT (series_id, granularity, bucket_ms) DO UPDATE SET data = excluded.data, unseen_names = excluded.unseen_names'
  );
  return created;
}
