import type { DriftMethod, QueryOf } from '@mlsight/contract';
import {
  type DriftResult,
  type DriftSample,
  fitDrift,
  type FittedDriftMethod,
  InsufficientDataError,
  InvalidInputError,
  isPValueMethod,
} from '../../metrics';
import {
  type ColumnProfile,
  type DriftStore,
  mergeSketches,
  type SegmentFilter,
  type Sketch,
  type SketchResult,
  STORE_DEFAULTS,
} from '../../store';
import type { QueryContext } from '../context';
import { NotAvailableError, QueryError } from '../errors';
import { needsRawRows, toMetricsProfile, toMetricsSketch } from './adapters';

export type DriftQuery = QueryOf<
  'drift_heatmap' | 'feature_drift' | 'dataset_drift' | 'drift_trend' | 'category_drift'
>;

/** A closed time range in epoch ms. */
export interface Window {
  fromMs: number;
  toMs: number;
}

export function requireStore(ctx: QueryContext, queryType: string): DriftStore {
  if (!ctx.store) throw new NotAvailableError(queryType, 'the proxy runs without a drift store');
  return ctx.store;
}

/** `region=eu` → {field: 'region', value: 'eu'}; segments filter raw rows (sketches are not kept per segment). */
export function parseSegment(segment: string | undefined): SegmentFilter | undefined {
  if (segment === undefined) return undefined;
  const eq = segment.indexOf('=');
  if (eq <= 0 || eq === segment.length - 1) {
    throw new QueryError(`segment: must look like "field=value" (e.g. "region=eu"), got "${segment}"`);
  }
  return { field: segment.slice(0, eq).trim(), value: segment.slice(eq + 1).trim() };
}

/** The bucket size of a drift query: Grafana's interval, never below a minute (the store's finest sketch). */
export function bucketSizeOf(ctx: QueryContext): number {
  return Math.max(60_000, ctx.window.intervalMs);
}

/**
 * Refuses a heatmap-like query (one drift test per feature and bucket) whose cells exceed MLSIGHT_MAX_QUERY_CELLS,
 * before anything is read: 2,000 features over 1,000 buckets would hold the event loop for seconds.
 * @throws QueryError (400) naming the limit, the cells asked for, and how to ask for fewer
 */
export async function requireAffordable(
  store: DriftStore,
  query: DriftQuery,
  ctx: Pick<QueryContext, 'window' | 'config'>,
  bucketMs: number
): Promise<void> {
  const limit = ctx.config.limits.maxQueryCells;
  const plan = store.planSketchBuckets({ fromMs: ctx.window.fromMs, toMs: ctx.window.toMs, bucketMs });
  const buckets = Math.max(1, Math.ceil((plan.endMs - plan.firstMs) / plan.bucketMs));
  // Without a feature list every profiled feature is computed; no reference means loadSketches' 404.
  const features =
    query.features?.length ??
    Object.keys((await store.getReference(query.model, query.version))?.features ?? {}).length;
  if (features * buckets <= limit) return;
  throw new QueryError(
    `${query.queryType} would compute ${features} features × ${buckets} buckets = ${features * buckets} cells, ` +
      `more than the limit of ${limit} (MLSIGHT_MAX_QUERY_CELLS); pick fewer features, a shorter range or a ` +
      'larger interval'
  );
}

/** Reads the sketches of a drift query; a model without a reference gets an actionable 404. */
export async function loadSketches(
  store: DriftStore,
  query: DriftQuery,
  ctx: { window: Window },
  bucketMs: number,
  features?: readonly string[]
): Promise<SketchResult> {
  const result = await store.getFeatureSketches({
    model: query.model,
    version: query.version,
    features: features ?? query.features,
    roles: ['feature'],
    fromMs: ctx.window.fromMs,
    toMs: ctx.window.toMs,
    bucketMs,
  });
  if (!result) {
    throw new QueryError(
      `model "${query.model}" has no reference profile in the drift store; send one with PUT /api/v1/models/${query.model}/reference`,
      404
    );
  }
  return result;
}

/**
 * The raw reference values of a numeric column, sorted, when the store kept all of them: with them KS and
 * Wasserstein are exact (as scipy and Evidently compute them) instead of binned on the reference's fine bins.
 */
export async function exactReferenceValues(
  store: DriftStore,
  query: DriftQuery,
  feature: string,
  column: ColumnProfile
): Promise<number[] | undefined> {
  if (column.kind !== 'numeric') return undefined;
  const raw = await store.getReferenceValues(query.model, feature, query.version ? { version: query.version } : {});
  if (raw.truncated || raw.values.length !== column.count) return undefined;
  const numbers = raw.values.filter((v): v is number => typeof v === 'number');
  return numbers.length === column.count ? numbers.sort((a, b) => a - b) : undefined;
}

/** Fits the query's method on one reference column; method/feature mismatches become a 400 naming the field. */
export function fitFeature(
  query: DriftQuery,
  feature: string,
  column: ColumnProfile,
  sortedReferenceValues?: readonly number[]
): FittedDriftMethod {
  const method: DriftMethod = query.method ?? 'auto';
  if (method === 'auto' && query.threshold !== undefined) {
    throw new QueryError('threshold: cannot be set with method "auto" (its methods differ in scale); choose a method');
  }
  try {
    return fitDrift(method, toMetricsProfile(column, sortedReferenceValues), {
      ...(query.threshold !== undefined ? { threshold: query.threshold } : {}),
      ...(query.minSampleSize !== undefined ? { minSampleSize: query.minSampleSize } : {}),
    });
  } catch (err) {
    if (err instanceof InvalidInputError || err instanceof InsufficientDataError) {
      throw new QueryError(`method: ${err.message} (feature "${feature}")`);
    }
    throw err;
  }
}

/**
 * Whether a window can be answered from raw rows: the store keeps them for its raw retention only, so older
 * windows are answered from sketches (KS and Wasserstein then binned, which their result notes).
 */
export function rawRowsCover(fromMs: number, nowMs: number = Date.now()): boolean {
  return fromMs >= nowMs - STORE_DEFAULTS.rawRetentionMs;
}

/**
 * One window of one feature: from its merged sketch, or from raw rows where sketches cannot answer exactly
 * (a segment filter, a reference with a handful of numeric values, or `exact` numeric tests such as KS).
 */
export async function driftOfWindow(
  store: DriftStore,
  query: DriftQuery,
  feature: string,
  column: ColumnProfile,
  fitted: FittedDriftMethod,
  window: { fromMs: number; toMs: number; sketches: readonly Sketch[]; exact?: boolean }
): Promise<DriftResult> {
  const segment = parseSegment(query.segment);
  let sample: DriftSample;
  const wantsRaw = segment || needsRawRows(column) || (window.exact && column.kind === 'numeric');
  if (segment && !rawRowsCover(window.fromMs)) {
    const days = Math.round(STORE_DEFAULTS.rawRetentionMs / 86_400_000);
    throw new QueryError(`segment: filters read raw rows, kept for ${days} days; choose a time range inside them`);
  }
  if (wantsRaw && rawRowsCover(window.fromMs)) {
    const raw = await store.getRawFeatureValues({
      model: query.model,
      version: query.version,
      feature,
      fromMs: window.fromMs,
      toMs: window.toMs,
      ...(segment ? { segment } : {}),
    });
    sample = raw.truncated
      ? { sketch: toMetricsSketch(column, windowSketch(column, window.sketches)) }
      : { values: raw.values };
  } else {
    sample = { sketch: toMetricsSketch(column, windowSketch(column, window.sketches)) };
  }
  return fitted.calculate(sample);
}

/** The window's sketch: a heatmap cell is one stored bucket, read as is instead of copied by a merge. */
function windowSketch(column: ColumnProfile, sketches: readonly Sketch[]): Sketch {
  const only = sketches.length === 1 ? sketches[0] : undefined;
  return only && only.counts.length === column.counts.length ? only : mergeSketches(sketches, column.counts.length);
}

export const directionOf = (result: DriftResult): 'above' | 'below' =>
  isPValueMethod(result.method) ? 'below' : 'above';

/** One feature's drift over a whole window. */
export interface WindowVerdict {
  feature: string;
  kind: ColumnProfile['kind'];
  result: DriftResult;
}

/**
 * Every requested feature over one whole window: the verdicts `feature_drift`, `dataset_drift` and the Prometheus
 * monitor rest on. Numeric features read raw rows while the window lies inside the raw retention (one window per
 * feature is affordable), so KS and Wasserstein are exact; the window's sketches come back too, for the counters.
 */
export async function windowVerdicts(
  store: DriftStore,
  query: DriftQuery,
  window: Window
): Promise<{ sketches: SketchResult; verdicts: WindowVerdict[] }> {
  const span = window.toMs - window.fromMs + 1;
  const sketches = await loadSketches(store, query, { window }, Math.max(60_000, span));
  const verdicts: WindowVerdict[] = [];
  const featureNames = query.features ?? Object.keys(sketches.reference.features).sort();
  for (const feature of featureNames) {
    const column = sketches.reference.features[feature];
    if (!column)
      throw new QueryError(`features: "${feature}" is not in the reference profile of "${query.model}"`, 404);
    const referenceValues = await exactReferenceValues(store, query, feature, column);
    const fitted = fitFeature(query, feature, column, referenceValues);
    const buckets = sketches.series.find((s) => s.name === feature)?.buckets ?? [];
    const result = await driftOfWindow(store, query, feature, column, fitted, {
      fromMs: window.fromMs,
      toMs: window.toMs,
      sketches: buckets,
      exact: true,
    });
    verdicts.push({ feature, kind: column.kind, result });
  }
  return { sketches, verdicts };
}
