import type { DriftMethod, QueryOf } from '@mlsight/contract';
import {
  applicableMethod,
  DEFAULT_FALSE_ALARM_RATE,
  TRAILING_CELLS,
  withTrailingEvidence,
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

/**
 * Fitted methods per reference column and options. The store keeps one frozen profile object per reference, so
 * a method (and the null distributions its calibrated thresholds are fitted from) is fitted once per reference
 * and reused by every query until the reference changes; a replaced reference's entries go with its profile.
 */
const FITTED = new WeakMap<ColumnProfile, Map<string, FittedDriftMethod>>();

/**
 * Fits the query's method on one reference column. A method that does not apply to the column's kind (KS on a
 * categorical feature) gets a stand-in of the same kind of score, which each result names in its notice; options
 * out of range become a 400 naming the field.
 */
export function fitFeature(
  query: DriftQuery,
  feature: string,
  column: ColumnProfile,
  sortedReferenceValues?: readonly number[],
  falseAlarmShare = 1
): FittedDriftMethod {
  const method: DriftMethod = query.method ?? 'auto';
  if (method === 'auto' && query.threshold !== undefined) {
    throw new QueryError('threshold: cannot be set with method "auto" (its methods differ in scale); choose a method');
  }
  if (query.thresholdMode === 'calibrated' && query.threshold !== undefined) {
    throw new QueryError(
      'threshold: calibrated thresholds follow falseAlarmRate; set thresholdMode "fixed" to fix one'
    );
  }
  if (query.thresholdMode === 'fixed' && query.falseAlarmRate !== undefined) {
    throw new QueryError('falseAlarmRate: applies to thresholdMode "calibrated", not "fixed"');
  }
  const calibratedRate =
    query.thresholdMode === 'fixed' || query.threshold !== undefined
      ? undefined
      : (query.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE) * falseAlarmShare;
  const key = [
    method,
    calibratedRate ?? '',
    query.thresholdMode ?? '',
    query.falseAlarmRate ?? '',
    query.threshold ?? '',
    query.minSampleSize ?? '',
    sortedReferenceValues === undefined ? 'bins' : 'rows',
  ].join('|');
  const cached = FITTED.get(column)?.get(key);
  if (cached) return cached;
  const profile = toMetricsProfile(column, sortedReferenceValues);
  const applicable = applicableMethod(method, profile);
  try {
    const fitted = fitDrift(applicable, profile, {
      ...(applicable !== method ? { requestedMethod: method } : {}),
      ...(query.thresholdMode !== undefined ? { thresholdMode: query.thresholdMode } : {}),
      ...(calibratedRate !== undefined ? { falseAlarmRate: calibratedRate } : {}),
      ...(query.threshold !== undefined ? { threshold: query.threshold } : {}),
      ...(query.minSampleSize !== undefined ? { minSampleSize: query.minSampleSize } : {}),
    });
    const forColumn = FITTED.get(column) ?? new Map<string, FittedDriftMethod>();
    forColumn.set(key, fitted);
    FITTED.set(column, forColumn);
    return fitted;
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
  window: { fromMs: number; toMs: number; sketches: readonly Sketch[]; exact?: boolean; partialBuckets?: boolean }
): Promise<DriftResult> {
  const segment = parseSegment(query.segment);
  let sample: DriftSample;
  const wantsRaw =
    segment || needsRawRows(column) || window.partialBuckets || (window.exact && column.kind === 'numeric');
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

const MINUTE_MS = 60_000;

/** A verdict over the whole buckets inside a window whose edges cut older buckets (raw rows are gone there). */
function withRoundingNotice(result: DriftResult, sketches: SketchResult): DriftResult {
  const hours = sketches.bucketMs / 3_600_000;
  const text = `older than the raw retention: only the whole ${hours >= 24 ? `${hours / 24}-day` : `${hours}-hour`} buckets inside the window are compared`;
  return Object.freeze({ ...result, notice: result.notice === null ? text : `${result.notice}; ${text}` });
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
 * The stored buckets that lie wholly inside a window (a bucket [b, b + size) is inside [from, to] when b ≥ from and
 * b + size ≤ to + 1, so both Grafana's [d, d + 24 h] and its [d, d + 24 h − 1 ms] hold the day's 24 hours), and
 * whether the window also covers parts of buckets outside them.
 */
export function bucketsInside(sketches: SketchResult, window: Window): { sketches: SketchResult; partial: boolean } {
  const size = sketches.bucketMs;
  const inside = (start: number) => start >= window.fromMs && start + size <= window.toMs + 1;
  const first = Math.ceil(window.fromMs / size) * size;
  const end = Math.floor((window.toMs + 1) / size) * size;
  const partial = first !== window.fromMs || end < window.toMs;
  const series = sketches.series.map((s) => ({ ...s, buckets: s.buckets.filter((b) => inside(b.bucketMs)) }));
  return { sketches: { ...sketches, series }, partial };
}

/**
 * Every requested feature over one whole window: the verdicts `feature_drift`, `dataset_drift` and the Prometheus
 * monitor rest on. The window is never widened to whole buckets: it is read at the finest stored granularity and
 * only the buckets wholly inside it are merged; where its edges cut a bucket, the features read raw rows while the
 * window lies inside the raw retention (else the verdict covers the whole buckets inside and says so). Numeric
 * features read raw rows inside the raw retention anyway (one window per feature is affordable), so KS and
 * Wasserstein are exact. The buckets inside come back too, for the counters.
 */
export async function windowVerdicts(
  store: DriftStore,
  query: DriftQuery,
  window: Window,
  options: { trailing?: boolean } = {}
): Promise<{ sketches: SketchResult; verdicts: WindowVerdict[] }> {
  if (!options.trailing || !pooledEvidence(query)) return verdictsOver(store, query, window, 1);
  // A window in a sequence (the monitor's): the same two tests as a heatmap cell — the window alone and pooled
  // with the windows of the same length before it, each at half the false-alarm rate.
  const span = window.toMs - window.fromMs;
  const own = await verdictsOver(store, query, window, 0.5);
  const pooled = await verdictsOver(
    store,
    query,
    { ...window, fromMs: window.fromMs - (TRAILING_CELLS - 1) * span },
    0.5
  );
  const verdicts = own.verdicts.map((v, i) => ({
    ...v,
    result: withTrailingEvidence(v.result, pooled.verdicts[i]?.result ?? null),
  }));
  return { sketches: own.sketches, verdicts };
}

/**
 * Whether verdicts pool consecutive cells: under calibrated thresholds (the default), not under a fixed rule,
 * whose verdicts must stay Evidently's.
 */
export function pooledEvidence(query: DriftQuery): boolean {
  return query.thresholdMode !== 'fixed' && query.threshold === undefined;
}

async function verdictsOver(
  store: DriftStore,
  query: DriftQuery,
  window: Window,
  falseAlarmShare: number
): Promise<{ sketches: SketchResult; verdicts: WindowVerdict[] }> {
  const { sketches, partial } = bucketsInside(await loadSketches(store, query, { window }, MINUTE_MS), window);
  const rounded = partial && !rawRowsCover(window.fromMs);
  const verdicts: WindowVerdict[] = [];
  const featureNames = query.features ?? Object.keys(sketches.reference.features).sort();
  for (const feature of featureNames) {
    const column = sketches.reference.features[feature];
    if (!column)
      throw new QueryError(`features: "${feature}" is not in the reference profile of "${query.model}"`, 404);
    const referenceValues = await exactReferenceValues(store, query, feature, column);
    const fitted = fitFeature(query, feature, column, referenceValues, falseAlarmShare);
    const buckets = sketches.series.find((s) => s.name === feature)?.buckets ?? [];
    const result = await driftOfWindow(store, query, feature, column, fitted, {
      fromMs: window.fromMs,
      toMs: window.toMs,
      sketches: buckets,
      exact: true,
      partialBuckets: partial,
    });
    verdicts.push({ feature, kind: column.kind, result: rounded ? withRoundingNotice(result, sketches) : result });
  }
  return { sketches, verdicts };
}
