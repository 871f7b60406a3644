import {
  type AlertRow,
  buildAlertingFrame,
  buildCategoryDriftFrame,
  buildDriftHeatmapFrame,
  buildFrame,
  type CategoryDriftSeries,
  type DataFrameJSON,
  DATASET_DRIFT_FRAME,
  DRIFT_TARGET_ROWS,
  DRIFT_TARGETS,
  type DriftHeatmapSeries,
  type QueryOf,
  type QueryResultMetaNotice,
  UNITS,
  withNotice,
} from '@mlsight/contract';
import {
  datasetDrift,
  DEFAULT_MIN_SAMPLE_SIZE,
  DriftColumns,
  type FittedDriftMethod,
  isPValueMethod,
  TRAILING_CELLS,
  withTrailingEvidence,
} from '../../stats';
import type { ColumnProfile, DriftStore, SketchResult, SketchSeries } from '../../store';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';
import {
  bucketSizeOf,
  type ColumnDriftQuery,
  type DriftColumnRole,
  driftOfWindow,
  type DriftQuery,
  fitFeature,
  loadSketches,
  missingTargetText,
  parseSegment,
  pooledEvidence,
  rawRowsCover,
  readRawValues,
  referenceHasTarget,
  requireAffordable,
  requireStore,
  windowVerdicts,
} from './driftWindows';
import { sharedAlertingWork } from '../alertingWork';
import { needsRawRows } from './adapters';
import { withApproximationNotices } from './approximation';
import { sketchDriftPerBucket } from './bucketDrift';

export interface FeatureSeriesResult {
  feature: string;
  /** What the series judges: a feature, or the model's prediction or label (named by the role). */
  role: DriftColumnRole;
  times: number[];
  /** One verdict per bucket, as typed columns. */
  cells: DriftColumns;
  rows: number[];
}

/**
 * The raw values of one feature for every bucket, read once for the whole range and split by time — for the windows
 * sketches cannot answer (a segment filter, a feature with a handful of numeric values). Undefined when sketches
 * answer, or when the range reaches beyond the raw retention or the read limit (then each bucket decides alone, as
 * `driftOfWindow` does).
 */
async function rawValuesPerBucket(
  store: DriftStore,
  query: ColumnDriftQuery,
  role: DriftColumnRole,
  feature: string,
  column: ColumnProfile,
  starts: readonly number[],
  bucketMs: number
): Promise<Array<Array<number | string>> | undefined> {
  const segment = parseSegment(query.segment);
  const first = starts[0];
  const last = starts[starts.length - 1];
  if (!(segment || needsRawRows(column)) || first === undefined || last === undefined) return undefined;
  if (!rawRowsCover(first)) return undefined;
  const raw = await readRawValues(store, query, role, feature, {
    fromMs: first,
    toMs: last + bucketMs,
    withTimes: true,
  });
  if (raw.truncated || !raw.times) return undefined;
  const out = starts.map((): Array<number | string> => []);
  let b = 0;
  raw.values.forEach((value, i) => {
    const t = raw.times?.[i] ?? Number.NaN;
    while (b < starts.length && t >= (starts[b] ?? 0) + bucketMs) b++;
    if (b < starts.length && t >= (starts[b] ?? 0)) out[b]?.push(value);
  });
  return out;
}

/** The reference column a sketch series is compared with (none for a score or attribution series). */
export function referenceColumnOf(
  reference: SketchResult['reference'],
  series: Pick<SketchSeries, 'role' | 'name'>
): { role: DriftColumnRole; column: ColumnProfile } | undefined {
  const column =
    series.role === 'feature'
      ? reference.features[series.name]
      : series.role === 'prediction' || series.role === 'label'
        ? reference[series.role]
        : null;
  return column && series.role !== 'score' && series.role !== 'attribution' ? { role: series.role, column } : undefined;
}

/**
 * Drift per series and bucket: one fit per column (on the frozen reference); the buckets' sketches scored by its
 * kernel, or one calculate per bucket where raw rows answer (a segment filter, a feature with a handful of numeric
 * values). The series are features, or the prediction and label series when the sketches were read with those roles.
 */
export async function driftPerBucket(query: ColumnDriftQuery, ctx: QueryContext, sketches: SketchResult) {
  const store = requireStore(ctx, query.queryType);
  const out: FeatureSeriesResult[] = [];
  const segment = parseSegment(query.segment);
  for (const series of sketches.series) {
    const judged = referenceColumnOf(sketches.reference, series);
    if (!judged) continue;
    const { role, column } = judged;
    const pooled = pooledEvidence(query);
    const fitted = fitFeature(query, series.name, column, undefined, pooled ? 0.5 : 1);
    const starts = series.buckets.map((b) => b.bucketMs);
    const size = sketches.bucketMs;
    // Under calibrated thresholds each cell is also tested pooled with the cells before it (when they are there).
    const trailingFrom = (i: number): number | null => {
      const j = i - (TRAILING_CELLS - 1);
      return pooled && j >= 0 && (starts[i] ?? 0) - (starts[j] ?? 0) === (TRAILING_CELLS - 1) * size ? j : null;
    };
    const cells =
      segment || needsRawRows(column)
        ? await rawDriftPerBucket(
            store,
            query,
            series.buckets,
            size,
            { role, name: series.name, column, fitted },
            trailingFrom
          )
        : sketchDriftPerBucket(fitted, column, series.buckets, trailingFrom);
    out.push({ feature: series.name, role, times: starts, cells, rows: series.buckets.map((b) => b.count) });
  }
  return out;
}

/**
 * The per-bucket drift of a series whose windows read raw rows: the range read once and split by bucket when it can
 * be, else each bucket decides alone (`driftOfWindow`: raw rows inside the retention, the sketch before it).
 */
async function rawDriftPerBucket(
  store: DriftStore,
  query: ColumnDriftQuery,
  buckets: SketchSeries['buckets'],
  size: number,
  judged: { role: DriftColumnRole; name: string; column: ColumnProfile; fitted: FittedDriftMethod },
  trailingFrom: (i: number) => number | null
): Promise<DriftColumns> {
  const { role, name, column, fitted } = judged;
  const starts = buckets.map((b) => b.bucketMs);
  const raw = await rawValuesPerBucket(store, query, role, name, column, starts, size);
  const cells = new DriftColumns(buckets.length);
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i];
    if (!bucket) continue;
    const j = trailingFrom(i);
    if (raw) {
      const own = fitted.calculate({ values: raw[i] ?? [] });
      const trailing = j === null ? null : fitted.calculate({ values: raw.slice(j, i + 1).flat() });
      cells.set(i, withTrailingEvidence(own, trailing));
      continue;
    }
    const own = await driftOfWindow(store, query, name, column, fitted, {
      fromMs: bucket.bucketMs,
      toMs: bucket.bucketMs + size,
      sketches: [bucket],
      role,
    });
    const trailing =
      j === null
        ? null
        : await driftOfWindow(store, query, name, column, fitted, {
            fromMs: starts[j] ?? bucket.bucketMs,
            toMs: bucket.bucketMs + size,
            sketches: buckets.slice(j, i + 1),
            role,
          });
    cells.set(i, withTrailingEvidence(own, trailing));
  }
  return cells;
}

/** Aligns per-feature bucket series on the union of their bucket times (missing buckets → null). */
export function alignOnTimes(series: readonly FeatureSeriesResult[]): number[] {
  return [...new Set(series.flatMap((s) => s.times))].sort((a, b) => a - b);
}

export function heatmapSeries(
  series: FeatureSeriesResult,
  times: readonly number[],
  query: ColumnDriftQuery
): DriftHeatmapSeries {
  const at = new Map(series.times.map((t, i) => [t, i]));
  const pick = <T>(f: (i: number) => T, empty: T) => times.map((t) => (at.has(t) ? f(at.get(t) as number) : empty));
  const c = series.cells;
  // The series' method and threshold are those of its first cell with a verdict (else its first cell).
  let first = c.length > 0 ? 0 : -1;
  for (let i = 0; i < c.length; i++) {
    if (c.driftedAt(i) !== null) {
      first = i;
      break;
    }
  }
  const method = first >= 0 ? c.method(first) : undefined;
  return {
    feature: series.feature,
    method: method ?? query.method ?? 'auto',
    threshold: first >= 0 ? (c.threshold[first] ?? Number.NaN) : Number.NaN,
    direction: method !== undefined && isPValueMethod(method) ? 'below' : 'above',
    thresholdMode: (first >= 0 ? c.thresholdMode : null) ?? query.thresholdMode ?? 'calibrated',
    thresholds: pick((i) => c.threshold[i] ?? null, null),
    drifted: pick((i) => c.driftedAt(i), null),
    scores: pick((i) => c.scoreAt(i), null),
    pValues: pick((i) => c.pValueAt(i), null),
    rows: pick((i) => series.rows[i] ?? 0, 0),
  };
}

/** A heatmap row's name: the feature's, or the contract's name of a target row. */
function rowName(series: FeatureSeriesResult): string {
  return series.role === 'feature' ? series.feature : DRIFT_TARGET_ROWS[series.role];
}

/**
 * The notices of the target rows a heatmap asked for and cannot show: a reference without the column, or a range
 * without a stored bucket of it (no labels yet).
 */
function targetRowNotices(
  reference: SketchResult['reference'],
  series: readonly FeatureSeriesResult[],
  model: string
): QueryResultMetaNotice[] {
  return DRIFT_TARGETS.flatMap((target): QueryResultMetaNotice[] => {
    if (!referenceHasTarget(reference, target)) return [{ severity: 'info', text: missingTargetText(target, model) }];
    if (series.some((s) => s.role === target)) return [];
    const what = target === 'label' ? 'no labels have arrived for the predictions' : 'no predictions are stored';
    return [{ severity: 'info', text: `${what} of this range: no ${DRIFT_TARGET_ROWS[target]} row` }];
  });
}

/**
 * `drift_heatmap`: features × buckets, one score per cell, with method, threshold, p-values and rows; with
 * `includeTargets`, the prediction and label below the features, judged by the same calibrated rule.
 */
export async function driftHeatmapHandler(
  query: QueryOf<'drift_heatmap'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  const targets = query.includeTargets === true;
  await requireAffordable(store, query, ctx, bucketSizeOf(ctx), targets ? DRIFT_TARGETS.length : 0);
  const roles = targets ? (['feature', ...DRIFT_TARGETS] as const) : (['feature'] as const);
  const sketches = await loadSketches(store, query, ctx, bucketSizeOf(ctx), undefined, roles);
  const series = await driftPerBucket(query, ctx, sketches);
  const times = alignOnTimes(series);
  const frame = buildDriftHeatmapFrame(
    times,
    series.map((s) => ({ ...heatmapSeries(s, times, query), feature: rowName(s) })),
    { bucketMs: sketches.bucketMs, minSampleSize: query.minSampleSize ?? DEFAULT_MIN_SAMPLE_SIZE }
  );
  const notices = targets ? targetRowNotices(sketches.reference, series, query.model) : [];
  return [
    notices.reduce(
      withNotice,
      withApproximationNotices(
        frame,
        series.map((s) => s.cells)
      )
    ),
  ];
}

/** `drift_trend`: the same scores as plain time series (one field per feature) with the threshold drawn. */
export async function driftTrendHandler(query: QueryOf<'drift_trend'>, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  await requireAffordable(store, query, ctx, bucketSizeOf(ctx));
  const sketches = await loadSketches(store, query, ctx, bucketSizeOf(ctx));
  const series = await driftPerBucket(query, ctx, sketches);
  const times = alignOnTimes(series);
  return [
    withApproximationNotices(
      buildFrame({
        name: 'drift_trend',
        meta: { type: 'timeseries-wide', custom: { bucketMs: sketches.bucketMs } },
        fields: [
          { name: 'time', type: 'time', values: times },
          ...series.map((s) => {
            const h = heatmapSeries(s, times, query);
            return {
              name: s.feature,
              type: 'number' as const,
              values: h.scores,
              labels: { feature: s.feature, method: h.method },
              config: {
                displayNameFromDS: `${s.feature} (${h.method})`,
                unit: UNITS.none,
                thresholds: {
                  mode: 'absolute' as const,
                  steps:
                    h.direction === 'above'
                      ? [
                          { value: null, color: 'green' },
                          { value: h.threshold, color: 'red' },
                        ]
                      : [
                          { value: null, color: 'red' },
                          { value: h.threshold, color: 'green' },
                        ],
                },
                custom: { thresholdsStyle: { mode: 'dashed' } },
              },
            };
          }),
        ],
      }),
      series.map((s) => s.cells)
    ),
  ];
}

/** Every requested feature over the query's window (see `windowVerdicts`). */
async function queryWindowVerdicts(query: DriftQuery, ctx: QueryContext) {
  const store = requireStore(ctx, query.queryType);
  return (await windowVerdicts(store, query, ctx.window)).verdicts;
}

type FeatureDriftRow = Awaited<ReturnType<typeof queryWindowVerdicts>>[number] & {
  adjusted: ReturnType<typeof datasetDrift>['features'][number] | undefined;
};

/**
 * `feature_drift` with `format: "alerting"`: one row per feature (labels model, version or alias, feature, method)
 * with the verdict as 1 / 0 or one number of its evidence; a feature without a verdict (too few rows) has no row.
 */
function featureDriftAlertingFrame(query: QueryOf<'feature_drift'>, rows: readonly FeatureDriftRow[]): DataFrameJSON {
  const value = query.alertValue ?? 'drifted';
  const pick = (r: FeatureDriftRow): number | null => {
    const drifted = r.adjusted?.drifted ?? null;
    if (drifted === null) return null;
    switch (value) {
      case 'drifted':
        return drifted ? 1 : 0;
      case 'score':
        return r.result.score;
      case 'threshold':
        return r.result.threshold;
      case 'p_value':
        return r.result.pValue;
      case 'current_n':
        return r.result.currentN;
      case 'reference_n':
        return r.result.referenceN;
    }
  };
  const labels = {
    model: query.model,
    ...(query.version !== undefined ? { version: query.version } : {}),
    ...(query.alias !== undefined ? { alias: query.alias } : {}),
  };
  const alertRows: AlertRow[] = rows.map((r) => ({
    labels: { ...labels, feature: r.feature, method: r.result.method },
    value: pick(r),
  }));
  return buildAlertingFrame(value, alertRows, value.endsWith('_n') ? UNITS.count : undefined);
}

/** `feature_drift`: one row per feature — method, score, p-value (and BH-adjusted), effect size, n, verdict. */
export async function featureDriftHandler(
  query: QueryOf<'feature_drift'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const judge = async (): Promise<FeatureDriftRow[]> => {
    const verdicts = await queryWindowVerdicts(query, ctx);
    const dataset = datasetDrift(verdicts, { multipleTesting: query.multipleTesting ?? 'bh' });
    return verdicts.map((v, i) => ({ ...v, adjusted: dataset.features[i] }));
  };
  if (query.format === 'alerting') {
    return [featureDriftAlertingFrame(query, await sharedAlertingWork(query, ctx.window, judge))];
  }
  const rows = await judge();
  const verdictText = (d: boolean | null) => (d === null ? 'insufficient data' : d ? 'drift' : 'no drift');
  return [
    buildFrame({
      name: 'feature_drift',
      meta: { preferredVisualisationType: 'table' },
      fields: [
        { name: 'feature', type: 'string', values: rows.map((r) => r.feature) },
        { name: 'kind', type: 'string', values: rows.map((r) => r.kind) },
        { name: 'method', type: 'string', values: rows.map((r) => r.result.method) },
        { name: 'score', type: 'number', values: rows.map((r) => r.result.score), config: { decimals: 4 } },
        { name: 'statistic', type: 'number', values: rows.map((r) => r.result.statistic) },
        {
          name: 'p_value',
          type: 'number',
          values: rows.map((r) => r.result.pValue),
          config: { displayName: 'p-value' },
        },
        {
          name: 'p_value_bh',
          type: 'number',
          values: rows.map((r) => r.adjusted?.adjustedPValue ?? null),
          config: { displayName: 'p-value (BH)', description: 'Benjamini-Hochberg adjusted across the features' },
        },
        { name: 'effect_size', type: 'number', values: rows.map((r) => r.result.effectSize), config: { decimals: 4 } },
        { name: 'effect_size_measure', type: 'string', values: rows.map((r) => r.result.effectSizeMeasure) },
        { name: 'threshold', type: 'number', values: rows.map((r) => r.result.threshold) },
        {
          name: 'reference_n',
          type: 'number',
          values: rows.map((r) => r.result.referenceN),
          config: { unit: UNITS.count },
        },
        {
          name: 'current_n',
          type: 'number',
          values: rows.map((r) => r.result.currentN),
          config: { unit: UNITS.count },
        },
        { name: 'drifted', type: 'boolean', values: rows.map((r) => r.adjusted?.drifted ?? null) },
        { name: 'verdict', type: 'string', values: rows.map((r) => verdictText(r.adjusted?.drifted ?? null)) },
        { name: 'notice', type: 'string', values: rows.map((r) => r.result.notice ?? '') },
      ],
    }),
  ];
}

/** `dataset_drift`: share of drifted features and the dataset verdict (≥ driftShare), BH control on. */
export async function datasetDriftHandler(
  query: QueryOf<'dataset_drift'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const verdicts = await queryWindowVerdicts(query, ctx);
  const result = datasetDrift(verdicts, {
    ...(query.driftShare !== undefined ? { driftShare: query.driftShare } : {}),
    multipleTesting: query.multipleTesting ?? 'bh',
  });
  const f = DATASET_DRIFT_FRAME;
  return [
    buildFrame({
      name: f.name,
      meta: { preferredVisualisationType: 'table' },
      fields: [
        {
          name: f.driftedFeatureShare,
          type: 'number',
          values: [result.share],
          config: { displayName: f.driftedFeatureShareDisplay, unit: UNITS.ratio, min: 0, max: 1 },
        },
        {
          name: f.driftedFeatures,
          type: 'number',
          values: [result.driftedFeatures],
          config: { displayName: f.driftedFeaturesDisplay },
        },
        { name: f.evaluatedFeatures, type: 'number', values: [result.evaluatedFeatures] },
        { name: f.insufficientFeatures, type: 'number', values: [result.insufficientFeatures] },
        {
          name: f.driftShareThreshold,
          type: 'number',
          values: [result.driftShare],
          config: {
            displayName: 'Dataset drift threshold (share)',
            unit: UNITS.ratio,
            description: 'The dataset counts as drifted when the share of drifted features reaches this value',
          },
        },
        { name: f.drifted, type: 'boolean', values: [result.drifted] },
        { name: f.multipleTesting, type: 'string', values: [result.multipleTesting] },
      ],
    }),
  ];
}

/** `category_drift`: one categorical feature's category shares per bucket against the reference shares. */
export async function categoryDriftHandler(
  query: QueryOf<'category_drift'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  const sketches = await loadSketches(store, query, ctx, bucketSizeOf(ctx), [query.feature]);
  const column = sketches.reference.features[query.feature];
  if (!column)
    throw new QueryError(`feature: "${query.feature}" is not in the reference profile of "${query.model}"`, 404);
  if (column.kind !== 'categorical') throw new QueryError(`feature: "${query.feature}" is numeric, not categorical`);
  const buckets = sketches.series.find((s) => s.name === query.feature)?.buckets ?? [];
  const times = buckets.map((b) => b.bucketMs);
  const referenceTotal = column.counts.reduce((a, b) => a + b, 0);
  const share = (n: number, total: number) => (total > 0 ? n / total : null);
  const totals = buckets.map((b) => b.count);
  const known: CategoryDriftSeries[] = column.categories.map((category, i) => {
    const counts = buckets.map((b) => b.counts[i] ?? 0);
    const seen = counts.some((n) => n > 0);
    return {
      category,
      status: seen || buckets.length === 0 ? 'stable' : 'vanished',
      referenceShare: referenceTotal > 0 ? (column.counts[i] ?? 0) / referenceTotal : 0,
      rows: totals,
      shares: counts.map((n, j) => share(n, totals[j] ?? 0)),
    };
  });
  const unseenNames = [...new Set(buckets.flatMap((b) => Object.keys(b.unseenCategories)))].sort();
  const unseen: CategoryDriftSeries[] = unseenNames.map((category) => ({
    category,
    status: 'new',
    referenceShare: 0,
    rows: totals,
    shares: buckets.map((b, j) => share(b.unseenCategories[category] ?? 0, totals[j] ?? 0)),
  }));
  return [
    buildCategoryDriftFrame(query.feature, times, [...known, ...unseen], {
      bucketMs: sketches.bucketMs,
      minSampleSize: query.minSampleSize ?? DEFAULT_MIN_SAMPLE_SIZE,
    }),
  ];
}
