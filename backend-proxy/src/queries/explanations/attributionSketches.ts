import type { AttributionSums } from '../../stats';
import type { DriftStore, SketchSeries } from '../../store';

export interface AttributionBuckets {
  bucketMs: number;
  /** One series per feature with attributions; buckets in time order. */
  series: SketchSeries[];
}

/** The store's attribution sketches of a model in a window; undefined when the store has no reference for it. */
export async function readAttributionSketches(
  store: DriftStore,
  query: { model: string; version: string | undefined; fromMs: number; toMs: number; bucketMs: number }
): Promise<AttributionBuckets | undefined> {
  const result = await store.getFeatureSketches({
    model: query.model,
    ...(query.version !== undefined ? { version: query.version } : {}),
    roles: ['attribution'],
    fromMs: query.fromMs,
    toMs: query.toMs,
    bucketMs: query.bucketMs,
  });
  if (!result) return undefined;
  const series = result.series.filter((s) => s.role === 'attribution' && s.buckets.some((b) => b.count > 0));
  return { bucketMs: result.bucketMs, series };
}

/** Per-feature sums over every bucket of the series (the window's merge). */
export function windowSums(series: readonly SketchSeries[]): AttributionSums[] {
  return series.map((s) => ({
    feature: s.name,
    count: s.buckets.reduce((n, b) => n + b.count, 0),
    sum: s.buckets.reduce((n, b) => n + b.sum, 0),
    absSum: s.buckets.reduce((n, b) => n + b.absSum, 0),
  }));
}

/** Per bucket start, the per-feature sums of that bucket (features without values there are left out). */
export function sumsByBucket(series: readonly SketchSeries[]): Map<number, AttributionSums[]> {
  const out = new Map<number, AttributionSums[]>();
  for (const s of series) {
    for (const b of s.buckets) {
      if (b.count === 0) continue;
      let list = out.get(b.bucketMs);
      if (!list) out.set(b.bucketMs, (list = []));
      list.push({ feature: s.name, count: b.count, sum: b.sum, absSum: b.absSum });
    }
  }
  return new Map([...out.entries()].sort(([a], [b]) => a - b));
}
