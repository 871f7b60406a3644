import type { DriftMethod, DriftTarget, QueryOf } from '@mlsight/contract';
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
} from '../../stats';
import {
  type ColumnProfile,
  type DriftStore,
  mergeSketches,
  MINUTE_MS,
  queryBucketMs,
  type RawValues,
  type ReferenceProfile,
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

/** A drift query over one of the model's own columns (its prediction or its delayed label). */
export type TargetDriftQuery = QueryOf<'prediction_drift' | 'label_drift'>;

/** Any drift query: what the per-column core (fit, window, verdict) reads of it is common to all. */
export type ColumnDriftQuery = DriftQuery | TargetDriftQuery;

/**
 * Which stored column a drift verdict judges: an input feature, the model's prediction, or its label (stored
 * apart from the prediction rows, bucketed by the prediction's time).
 */
export type DriftColumnRole = 'feature' | 'prediction' | 'label';

/** A closed time range in epoch ms. */
export interface Window {
  fromMs: number;
  toMs: number;
}

/** Whether a drift query judges the model's prediction or label rather than its features. */
export function isTargetDriftQuery(query: ColumnDriftQuery): query is TargetDriftQuery {
  return query.queryType === 'prediction_drift' || query.queryType === 'label_drift';
}

/** Whether the reference profile keeps the target column (predictions and labels are optional in a reference). */
export function referenceHasTarget(reference: Pick<ReferenceProfile, DriftTarget>, target: DriftTarget): boolean {
  return reference[target] !== null;
}

/** Why a reference has no such column, and how to give it one: the notice that stands where its drift would. */
export function missingTargetText(target: DriftTarget, model: string): string {
  return (
    `the reference profile of "${model}" has no ${target} column, so there is no ${target} drift to compute; ` +
    `send reference rows with a "${target}" to PUT /api/v1/models/${model}/reference`
  );
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

/** The bucket size of a drift query ({@link queryBucketMs}). */
export function bucketSizeOf(ctx: QueryContext): number {
  return queryBucketMs(ctx.window.intervalMs);
}

/**
 * Refuses a heatmap-like query (one drift test per feature and bucket) whose cells exceed MLSIGHT_MAX_QUERY_CELLS,
 * before anything is read: 2,000 features over 1,000 buckets would hold the event loop for seconds.
 * @throws QueryError (400) naming the limit, the cells asked for, and how to ask for fewer
 */
export async function requireAffordable(
  store: DriftStore,
  query: ColumnDriftQuery,
  ctx: Pick<QueryContext, 'window' | 'config'>,
  bucketMs: number,
  extraColumns = 0
): Promise<void> {
  const limit = ctx.config.limits.maxQueryCells;
  const plan = store.planSketchBuckets({ fromMs: ctx.window.fromMs, toMs: ctx.window.toMs, bucketMs });
  const buckets = Math.max(1, Math.ceil((plan.endMs - plan.firstMs) / plan.bucketMs));
  // Without a feature list every profiled feature is computed; no reference means loadSketches' 404.
  const features = isTargetDriftQuery(query)
    ? 1
    : (query.features?.length ??
        Object.keys((await store.getReference(query.model, query.version))?.features ?? {}).length) + extraColumns;
  if (features * buckets <= limit) return;
  throw new QueryError(
    `${query.queryType} would compute ${features} features × ${buckets} buckets = ${features * buckets} cells, ` +
      `more than the limit of ${limit} (MLSIGHT_MAX_QUERY_CELLS); pick fewer features, a shorter range or a ` +
      'larger interval'
  );
}

/**
 * Reads the sketches of a drift query (its features' by default; `roles` adds or picks the prediction and label
 * series); a model without a reference gets an actionable 404.
 */
export async function loadSketches(
  store: DriftStore,
  query: ColumnDriftQuery,
  ctx: { window: Window },
  bucketMs: number,
  features?: readonly string[],
  roles: readonly DriftColumnRole[] = ['feature']
): Promise<SketchResult> {
  const result = await store.getFeatureSketches({
    model: query.model,
    version: query.version,
    features: features ?? ('features' in query ? query.features : undefined),
    roles,
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
  query: ColumnDriftQuery,
  feature: string,
  column: ColumnProfile,
  role: DriftColumnRole = 'feature'
): Promise<number[] | undefined> {
  if (column.kind !== 'numeric') return undefined;
  const raw = await store.getReferenceValues(query.model, feature, {
    ...(query.version ? { version: query.version } : {}),
    ...(role === 'feature' ? {} : { role }),
  });
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
 * Calibrated null quantiles per reference column and reference representation (binned, or with its raw values),
 * shared by all its fits: queries that differ only in their minimum sample size (or in the method a feature falls
 * back to) draw each quantile once, not once per fit.
 */
const NULL_QUANTILES = new WeakMap<ColumnProfile, Map<'bins' | 'rows', Map<string, number>>>();

function nullQuantileCache(column: ColumnProfile, representation: 'bins' | 'rows'): Map<string, number> {
  const byRepresentation = NULL_QUANTILES.get(column) ?? new Map<'bins' | 'rows', Map<string, number>>();
  NULL_QUANTILES.set(column, byRepresentation);
  const cache = byRepresentation.get(representation) ?? new Map<string, number>();
  byRepresentation.set(representation, cache);
  return cache;
}

/**
 * Fits the query's method on one reference column. A method that does not apply to the column's kind (KS on a
 * categorical feature) gets a stand-in of the same kind of score, which each result names in its notice; options
 * out of range become a 400 naming the field.
 */
export function fitFeature(
  query: ColumnDriftQuery,
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
  const representation = sortedReferenceValues === undefined ? 'bins' : 'rows';
  const key = [
    method,
    calibratedRate ?? '',
    query.thresholdMode ?? '',
    query.falseAlarmRate ?? '',
    query.threshold ?? '',
    query.minSampleSize ?? '',
    representation,
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
      nullQuantileCache: nullQuantileCache(column, representation),
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

/** Labels read per window at most, as `getRawFeatureValues` reads values (beyond: the window's sketch answers). */
const RAW_LABEL_LIMIT = 1_000_000;

/**
 * The raw values of one column over [fromMs, toMs): features and predictions from the stored prediction rows,
 * labels from the stored labels (by their prediction's time, as the label sketches are bucketed), in time order.
 */
export async function readRawValues(
  store: DriftStore,
  query: ColumnDriftQuery,
  role: DriftColumnRole,
  name: string,
  range: { fromMs: number; toMs: number; withTimes?: boolean }
): Promise<RawValues> {
  const segment = parseSegment(query.segment);
  const where = {
    model: query.model,
    ...(query.version !== undefined ? { version: query.version } : {}),
    fromMs: range.fromMs,
    toMs: range.toMs,
    ...(segment ? { segment } : {}),
  };
  if (role !== 'label') {
    return store.getRawFeatureValues({
      ...where,
      feature: name,
      ...(role === 'prediction' ? { role } : {}),
      ...(range.withTimes ? { withTimes: true } : {}),
    });
  }
  const limit = RAW_LABEL_LIMIT;
  const rows = await store.getLabeledPredictions({ ...where, columns: 'outputs', limit: limit + 1 });
  const values: Array<number | string> = [];
  const times: number[] = [];
  let missing = 0;
  for (const row of rows.slice(0, limit)) {
    const v = row.label;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
      values.push(typeof v === 'boolean' ? String(v) : v);
      times.push(row.timestampMs);
    } else missing++;
  }
  return {
    kind: null,
    values,
    ...(range.withTimes ? { times } : {}),
    missing,
    truncated: rows.length > limit,
  };
}

/**
 * One window of one column: from its merged sketch, or from raw rows where sketches cannot answer exactly
 * (a segment filter, a reference with a handful of numeric values, or `exact` numeric tests such as KS).
 */
export async function driftOfWindow(
  store: DriftStore,
  query: ColumnDriftQuery,
  feature: string,
  column: ColumnProfile,
  fitted: FittedDriftMethod,
  window: {
    fromMs: number;
    toMs: number;
    sketches: readonly Sketch[];
    exact?: boolean;
    partialBuckets?: boolean;
    role?: DriftColumnRole;
  }
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
    const raw = await readRawValues(store, query, window.role ?? 'feature', feature, window);
    sample = raw.truncated
      ? { sketch: toMetricsSketch(column, windowSketch(column, window.sketches)) }
      : { values: raw.values };
  } else {
    sample = { sketch: toMetricsSketch(column, windowSketch(column, window.sketches)) };
  }
  return fitted.calculate(sample);
}

/** The window's sketch: a heatmap cell is one stored bucket, read as is instead of copied by a merge. */
export function windowSketch(column: ColumnProfile, sketches: readonly Sketch[]): Sketch {
  const only = sketches.length === 1 ? sketches[0] : undefined;
  return only && only.counts.length === column.counts.length ? only : mergeSketches(sketches, column.counts.length);
}

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
  query: ColumnDriftQuery,
  window: Window,
  options: { trailing?: boolean; role?: DriftColumnRole } = {}
): Promise<{ sketches: SketchResult; verdicts: WindowVerdict[] }> {
  const role = options.role ?? 'feature';
  if (!options.trailing || !pooledEvidence(query)) return verdictsOver(store, query, window, 1, role);
  // A window in a sequence (the monitor's): the same two tests as a heatmap cell — the window alone and pooled
  // with the windows of the same length before it, each at half the false-alarm rate.
  const span = window.toMs - window.fromMs;
  const own = await verdictsOver(store, query, window, 0.5, role);
  const pooled = await verdictsOver(
    store,
    query,
    { ...window, fromMs: window.fromMs - (TRAILING_CELLS - 1) * span },
    0.5,
    role
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
export function pooledEvidence(query: ColumnDriftQuery): boolean {
  return query.thresholdMode !== 'fixed' && query.threshold === undefined;
}

/** The columns a window verdict judges: the query's features (all by default), or the one target column. */
function judgedColumns(
  query: ColumnDriftQuery,
  reference: SketchResult['reference'],
  role: DriftColumnRole
): Array<{ name: string; column: ColumnProfile }> {
  if (role !== 'feature') {
    const column = reference[role];
    return column ? [{ name: role, column }] : [];
  }
  const names = ('features' in query ? query.features : undefined) ?? Object.keys(reference.features).sort();
  return names.map((name) => {
    const column = reference.features[name];
    if (!column) throw new QueryError(`features: "${name}" is not in the reference profile of "${query.model}"`, 404);
    return { name, column };
  });
}

async function verdictsOver(
  store: DriftStore,
  query: ColumnDriftQuery,
  window: Window,
  falseAlarmShare: number,
  role: DriftColumnRole
): Promise<{ sketches: SketchResult; verdicts: WindowVerdict[] }> {
  const loaded = await loadSketches(store, query, { window }, MINUTE_MS, undefined, [role]);
  const { sketches, partial } = bucketsInside(loaded, window);
  const rounded = partial && !rawRowsCover(window.fromMs);
  const verdicts: WindowVerdict[] = [];
  for (const { name: feature, column } of judgedColumns(query, sketches.reference, role)) {
    const referenceValues = await exactReferenceValues(store, query, feature, column, role);
    const fitted = fitFeature(query, feature, column, referenceValues, falseAlarmShare);
    const buckets = sketches.series.find((s) => s.role === role && s.name === feature)?.buckets ?? [];
    const result = await driftOfWindow(store, query, feature, column, fitted, {
      fromMs: window.fromMs,
      toMs: window.toMs,
      sketches: buckets,
      exact: true,
      partialBuckets: partial,
      role,
    });
    verdicts.push({ feature, kind: column.kind, result: rounded ? withRoundingNotice(result, sketches) : result });
  }
  return { sketches, verdicts };
}
