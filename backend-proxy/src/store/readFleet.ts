import { PerformanceSummary } from '../stats';
import { MINUTE_MS } from './buckets';
import { ALL_SEGMENTS, SUMMARY_GRANULARITIES } from './performanceBatch';
import { decodePerformanceSummary } from './performanceCodec';
import { mergedBuckets, mergeStoredSketches, type MergingBuckets, planSketchBuckets } from './readSketches';
import type { StoreContext } from './storeContext';
import type {
  FleetPerformanceQuery,
  FleetSketchQuery,
  FleetSketchResult,
  FleetModelSketches,
  SketchSeries,
} from './types';

/**
 * Every model's feature sketches per requested bucket on its default reference (the one `getFeatureSketches`
 * resolves without a version), all versions merged, and the time of its newest stored prediction — in a fixed number
 * of reads whatever the number of models (models, references, series, sketches, newest chunk), so the fleet page's
 * cost grows with models × features × buckets, never with rows or round trips.
 */
export async function getFleetSketches(ctx: StoreContext, query: FleetSketchQuery): Promise<FleetSketchResult> {
  const plan = planSketchBuckets(ctx, query);
  const { bucketMs, granularityMs, firstMs, endMs } = plan;
  return ctx.db.read(async (tx) => {
    const models = await tx.all<{ id: number; name: string }>('SELECT id, name FROM models ORDER BY name');
    const refRows = await tx.all<{ model_id: number; id: number; version: string }>(
      'SELECT model_id, MAX(id) AS id, version FROM reference_profiles GROUP BY model_id, version'
    );
    // The reference a query without a version resolves to: the default (''), else the newest (StoreContext).
    const chosen = new Map<number, number>();
    const hasDefault = new Set<number>();
    for (const r of refRows) {
      const modelId = Number(r.model_id);
      const id = Number(r.id);
      if (r.version === '') {
        chosen.set(modelId, id);
        hasDefault.add(modelId);
      } else if (!hasDefault.has(modelId) && id > (chosen.get(modelId) ?? -1)) chosen.set(modelId, id);
    }
    const byId = new Map(models.map((m) => [Number(m.id), m.name]));
    await ctx.loadReferences(
      tx,
      [...chosen.entries()].flatMap(([modelId, id]) => {
        const name = byId.get(modelId);
        return name === undefined ? [] : [{ model: name, id }];
      })
    );
    const newest = await tx.all<{ model_id: number; newest: number | null }>(
      'SELECT model_id, MAX(max_ts) AS newest FROM chunks WHERE min_ts < ? GROUP BY model_id',
      [query.toMs]
    );
    const newestOf = new Map(newest.map((r) => [Number(r.model_id), r.newest === null ? null : Number(r.newest)]));

    const seriesRows = await tx.all<{ id: number; model_id: number; reference_id: number; name: string; kind: string }>(
      "SELECT id, model_id, reference_id, name, kind FROM sketch_series WHERE role = 'feature'"
    );
    type Merged = SketchSeries & { merged: MergingBuckets };
    const perModel = new Map<number, Map<string, Merged>>();
    const bySeries = new Map<number, Merged>();
    for (const s of seriesRows) {
      const modelId = Number(s.model_id);
      if (chosen.get(modelId) !== Number(s.reference_id)) continue;
      let features = perModel.get(modelId);
      if (!features) perModel.set(modelId, (features = new Map()));
      let series = features.get(s.name);
      if (!series) {
        const kind = s.kind === 'numeric' || s.kind === 'categorical' ? s.kind : null;
        features.set(s.name, (series = { role: 'feature', name: s.name, kind, buckets: [], merged: new Map() }));
      }
      bySeries.set(Number(s.id), series);
    }
    await mergeStoredSketches(tx, bySeries, { bucketMs, granularityMs, firstMs, endMs });
    const out: FleetModelSketches[] = [];
    for (const m of models) {
      const modelId = Number(m.id);
      const referenceId = chosen.get(modelId);
      const reference = referenceId === undefined ? undefined : ctx.references.get(referenceId);
      if (!reference) continue;
      const series = [...(perModel.get(modelId)?.values() ?? [])]
        .map((s) => ({
          role: s.role,
          name: s.name,
          kind: s.kind,
          buckets: mergedBuckets(s.merged),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      out.push({
        model: m.name,
        reference: reference.profile,
        newestPredictionMs: newestOf.get(modelId) ?? null,
        series,
      });
    }
    return { bucketMs, granularityMs, models: out };
  });
}

/**
 * Every model's realised-performance summary over the stored buckets wholly inside [fromMs, toMs) at one granularity,
 * all versions and buckets merged, in one read; undefined when the granularity is not kept for the range.
 */
export async function getFleetPerformanceSummaries(
  ctx: StoreContext,
  query: FleetPerformanceQuery
): Promise<Map<string, PerformanceSummary> | undefined> {
  const granularity = query.granularityMs;
  if (!(SUMMARY_GRANULARITIES as readonly number[]).includes(granularity)) return undefined;
  const nowMs = query.nowMs ?? Date.now();
  const kept = granularity === MINUTE_MS ? nowMs - ctx.opts.minuteRetentionMs : nowMs - ctx.opts.hourRetentionMs;
  if (query.fromMs < kept) return undefined;
  const fromMs = Math.ceil(query.fromMs / granularity) * granularity;
  // `toMs` is the range's last millisecond (Grafana's `to`): a bucket ending at toMs + 1 lies inside.
  const toMs = Math.floor((query.toMs + 1) / granularity) * granularity;
  const rows = await ctx.db.read((tx) =>
    tx.allArrays(
      `SELECT m.name, p.data FROM performance_summaries p JOIN models m ON m.id = p.model_id
       WHERE p.granularity = ? AND p.segment = ? AND p.bucket_ms >= ? AND p.bucket_ms < ?`,
      [granularity, ALL_SEGMENTS, fromMs, toMs]
    )
  );
  const out = new Map<string, PerformanceSummary>();
  for (const [name, data] of rows) {
    const summary = decodePerformanceSummary(data as Uint8Array);
    const prior = out.get(String(name));
    if (prior) prior.merge(summary, 1, { histograms: false });
    else out.set(String(name), summary);
  }
  return out;
}
