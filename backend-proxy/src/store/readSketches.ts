import { bucketRange, chooseBuckets } from './buckets';
import { SketchAccumulator } from './sketch';
import { decodeSketchRow, SKETCH_COLUMNS } from './sketchRows';
import type { SqlExecutor } from './sql';
import type { StoreContext } from './storeContext';
import type {
  BucketSketch,
  Sketch,
  SketchPlan,
  SketchPlanQuery,
  SketchQuery,
  SketchResult,
  SketchRole,
  SketchSeries,
} from './types';
import { SKETCH_ROLES } from './types';

function withBucket(s: Sketch, bucketMs: number): BucketSketch {
  return {
    bucketMs,
    count: s.count,
    missing: s.missing,
    typeErrors: s.typeErrors,
    outOfRange: s.outOfRange,
    unseen: s.unseen,
    sum: s.sum,
    sumSq: s.sumSq,
    absSum: s.absSum,
    counts: s.counts,
    unseenCategories: s.unseenCategories,
  };
}

/** One series' sketches being merged into coarser buckets, by bucket start: a stored sketch as read, or a running sum. */
export type MergingBuckets = Map<number, Sketch | SketchAccumulator>;

/**
 * Reads the stored sketches of the given series (by series id) at one granularity over [firstMs, endMs) in one
 * statement, and merges each into its bucket of `bucketMs` — a bucket read once stays the stored sketch, uncopied.
 */
export async function mergeStoredSketches(
  tx: SqlExecutor,
  bySeries: ReadonlyMap<number, { merged: MergingBuckets }>,
  plan: Pick<SketchPlan, 'bucketMs' | 'granularityMs' | 'firstMs' | 'endMs'>
): Promise<void> {
  if (bySeries.size === 0) return;
  const { bucketMs, granularityMs, firstMs, endMs } = plan;
  const ids = tx.inList('series_id', [...bySeries.keys()], 'bigint');
  const rows = await tx.allArrays(
    `SELECT ${SKETCH_COLUMNS} FROM sketches
       WHERE ${ids.sql} AND granularity = ? AND bucket_ms >= ? AND bucket_ms < ?`,
    [ids.param, granularityMs, firstMs, endMs]
  );
  for (const row of rows) {
    const series = bySeries.get(Number(row[0]));
    if (!series) continue;
    const bucket = Math.floor(Number(row[1]) / bucketMs) * bucketMs;
    const sketch = decodeSketchRow(row);
    const prior = series.merged.get(bucket);
    if (prior === undefined) series.merged.set(bucket, sketch);
    else if (prior instanceof SketchAccumulator) prior.addSketch(sketch);
    else {
      const acc = new SketchAccumulator(Math.max(prior.counts.length, sketch.counts.length));
      acc.addSketch(prior);
      acc.addSketch(sketch);
      series.merged.set(bucket, acc);
    }
  }
}

/** The merged buckets in time order. */
export function mergedBuckets(merged: MergingBuckets): BucketSketch[] {
  return [...merged.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, sk]) => withBucket(sk instanceof SketchAccumulator ? sk.toSketch() : sk, start));
}

/** The buckets `getFeatureSketches` answers a time range with, without reading anything. */
export function planSketchBuckets(ctx: StoreContext, query: SketchPlanQuery): SketchPlan {
  const { bucketMs, granularityMs } = chooseBuckets(
    query.bucketMs,
    query.fromMs,
    ctx.cutoffs(query.nowMs ?? Date.now())
  );
  return { bucketMs, granularityMs, ...bucketRange(query.fromMs, query.toMs, bucketMs) };
}

/**
 * Merged sketches per series and requested bucket, on the reference the query resolves to. Reads the stored
 * granularity that divides the bucket size (day, hour or minute) and adds up the buckets (and versions) that fall
 * into each requested bucket; the cost grows with buckets × series × bins, not with rows.
 */
export async function getFeatureSketches(ctx: StoreContext, query: SketchQuery): Promise<SketchResult | undefined> {
  const modelId = await ctx.modelIdFor(query.model);
  if (modelId === undefined) return undefined;
  const { bucketMs, granularityMs, firstMs, endMs } = planSketchBuckets(ctx, query);
  const roles = new Set<SketchRole>(query.roles ?? SKETCH_ROLES);
  const names = query.features ? new Set(query.features) : undefined;
  return ctx.db.read(async (tx) => {
    const reference = await ctx.resolveReference(tx, query.model, modelId, query.version);
    if (!reference) return undefined;
    const params: Array<number | string> = [modelId, reference.profile.id];
    let sql = 'SELECT id, version, role, name, kind FROM sketch_series WHERE model_id = ? AND reference_id = ?';
    if (query.version !== undefined) {
      sql += ' AND version = ?';
      params.push(query.version);
    }
    const allSeries = await tx.all<{ id: number; version: string; role: string; name: string; kind: string | null }>(
      sql,
      params
    );
    const wanted = allSeries.filter(
      (s) =>
        roles.has(s.role as SketchRole) &&
        (names === undefined || (s.role !== 'feature' && s.role !== 'attribution') || names.has(s.name))
    );
    type Merged = SketchSeries & { merged: MergingBuckets };
    const out = new Map<string, Merged>();
    // Series of several versions on one reference merge into one output series.
    const bySeries = new Map<number, Merged>();
    for (const s of wanted) {
      const role = s.role as SketchRole;
      const key = `${role}\u0000${s.name}`;
      let series = out.get(key);
      if (!series) {
        const kind = s.kind === 'numeric' || s.kind === 'categorical' ? s.kind : null;
        out.set(key, (series = { role, name: s.name, kind, buckets: [], merged: new Map() }));
      }
      bySeries.set(Number(s.id), series);
    }
    await mergeStoredSketches(tx, bySeries, { bucketMs, granularityMs, firstMs, endMs });
    const series: SketchSeries[] = [];
    for (const s of out.values()) {
      series.push({ role: s.role, name: s.name, kind: s.kind, buckets: mergedBuckets(s.merged) });
    }
    const roleOrder = (r: SketchRole) => SKETCH_ROLES.indexOf(r);
    series.sort((a, b) => roleOrder(a.role) - roleOrder(b.role) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { reference: reference.profile, bucketMs, granularityMs, series };
  });
}
