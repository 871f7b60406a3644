import {
  buildFrame,
  type DataFrameJSON,
  type DriftFieldCustom,
  type DriftHeatmapSeries,
  type DriftTarget,
  type QueryOf,
  TARGET_DRIFT_FRAME,
  UNITS,
  withNotice,
} from '@mlsight/contract';
import type { DriftStore } from '../../store';
import type { QueryContext } from '../context';
import { withApproximationNotices } from './approximation';
import { alignOnTimes, driftPerBucket, heatmapSeries } from './driftHandlers';
import {
  bucketSizeOf,
  type ColumnDriftQuery,
  loadSketches,
  missingTargetText,
  referenceHasTarget,
  requireAffordable,
  requireStore,
  type TargetDriftQuery,
  type Window,
  type WindowVerdict,
  windowVerdicts,
} from './driftWindows';

/** The column a target drift query judges. */
export function targetOf(queryType: TargetDriftQuery['queryType']): DriftTarget {
  return queryType === 'prediction_drift' ? 'prediction' : 'label';
}

/** Per-bucket drift of the target: one `score` field (verdicts in `config.custom`) and the per-bucket threshold. */
export function targetTrendFrame(
  queryType: TargetDriftQuery['queryType'],
  times: readonly number[],
  series: DriftHeatmapSeries & { thresholdMode: NonNullable<DriftHeatmapSeries['thresholdMode']> },
  bucketMs: number
): DataFrameJSON {
  const f = TARGET_DRIFT_FRAME;
  const target = targetOf(queryType);
  const thresholds = series.thresholds ?? series.scores.map((v) => (v === null ? null : series.threshold));
  const custom: DriftFieldCustom = {
    method: series.method,
    threshold: series.threshold,
    direction: series.direction,
    thresholdMode: series.thresholdMode,
    thresholds,
    drifted: series.drifted ?? times.map(() => null),
    pValues: series.pValues ?? times.map(() => null),
    rows: series.rows ?? times.map(() => 0),
  };
  // A p-value drifts below its threshold, a distance at or above it: the colour steps follow the direction.
  const steps =
    series.direction === 'above'
      ? [
          { value: null, color: 'green' },
          { value: series.threshold, color: 'red' },
        ]
      : [
          { value: null, color: 'red' },
          { value: series.threshold, color: 'green' },
        ];
  return buildFrame({
    name: queryType,
    meta: { type: 'timeseries-wide', custom: { bucketMs, target } },
    fields: [
      { name: f.time, type: 'time', values: times },
      {
        name: f.score,
        type: 'number',
        values: series.scores,
        labels: { [f.targetLabel]: target, method: series.method },
        config: {
          displayNameFromDS: `${target} (${series.method})`,
          unit: UNITS.none,
          thresholds: { mode: 'absolute', steps },
          custom: { ...custom, thresholdsStyle: { mode: 'dashed' } },
        },
      },
      {
        name: f.threshold,
        type: 'number',
        values: thresholds,
        labels: { [f.targetLabel]: target, method: series.method },
        config: {
          displayNameFromDS: `${target} threshold`,
          unit: UNITS.none,
          description: 'Each bucket’s own threshold (calibrated to its rows, or the fixed rule)',
          custom: { lineStyle: { fill: 'dash', dash: [10, 10] } },
        },
      },
    ],
  });
}

const verdictText = (drifted: boolean | null) =>
  drifted === null ? 'insufficient data' : drifted ? 'drift' : 'no drift';

/** The verdict over the whole window as one row, with the columns of `feature_drift` that apply to one column. */
export function targetWindowFrame(queryType: TargetDriftQuery['queryType'], verdict: WindowVerdict): DataFrameJSON {
  const r = verdict.result;
  return buildFrame({
    name: `${queryType}${TARGET_DRIFT_FRAME.windowSuffix}`,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { name: TARGET_DRIFT_FRAME.targetLabel, type: 'string', values: [targetOf(queryType)] },
      { name: 'kind', type: 'string', values: [verdict.kind] },
      { name: 'method', type: 'string', values: [r.method] },
      { name: 'score', type: 'number', values: [r.score], config: { decimals: 4 } },
      { name: 'statistic', type: 'number', values: [r.statistic] },
      { name: 'p_value', type: 'number', values: [r.pValue], config: { displayName: 'p-value' } },
      { name: 'effect_size', type: 'number', values: [r.effectSize], config: { decimals: 4 } },
      { name: 'effect_size_measure', type: 'string', values: [r.effectSizeMeasure] },
      { name: 'threshold', type: 'number', values: [r.threshold] },
      { name: 'reference_n', type: 'number', values: [r.referenceN], config: { unit: UNITS.count } },
      { name: 'current_n', type: 'number', values: [r.currentN], config: { unit: UNITS.count } },
      { name: 'drifted', type: 'boolean', values: [r.drifted] },
      { name: 'verdict', type: 'string', values: [verdictText(r.drifted)] },
      { name: 'notice', type: 'string', values: [r.notice ?? ''] },
    ],
  });
}

/** The answer of a reference without the target column: both frames, empty, the trend one carrying the notice. */
export function missingTargetFrames(queryType: TargetDriftQuery['queryType'], model: string): DataFrameJSON[] {
  const target = targetOf(queryType);
  const trend = buildFrame({
    name: queryType,
    meta: { type: 'timeseries-wide', custom: { target } },
    fields: [
      { name: TARGET_DRIFT_FRAME.time, type: 'time', values: [] },
      {
        name: TARGET_DRIFT_FRAME.score,
        type: 'number',
        values: [],
        labels: { [TARGET_DRIFT_FRAME.targetLabel]: target },
      },
    ],
  });
  const window = buildFrame({
    name: `${queryType}${TARGET_DRIFT_FRAME.windowSuffix}`,
    meta: { preferredVisualisationType: 'table' },
    fields: [{ name: TARGET_DRIFT_FRAME.targetLabel, type: 'string', values: [] }],
  });
  return [withNotice(trend, { severity: 'warning', text: missingTargetText(target, model) }), window];
}

/**
 * The target's verdict over one whole window, by the rule `feature_drift` judges a feature with (`trailing`: also
 * pooled with the two windows before it, as the monitor judges); undefined when the reference lacks the column.
 */
export async function targetWindowVerdict(
  store: DriftStore,
  query: ColumnDriftQuery,
  target: DriftTarget,
  window: Window,
  options: { trailing?: boolean } = {}
): Promise<WindowVerdict | undefined> {
  const { verdicts } = await windowVerdicts(store, query, window, { ...options, role: target });
  return verdicts[0];
}

/**
 * `prediction_drift` / `label_drift`: the model's predictions (or the labels that arrived for them, bucketed by the
 * prediction's time) per bucket against the reference's, with the same calibrated verdicts as a feature's heatmap
 * cells, and the verdict over the whole window.
 */
export async function targetDriftHandler(
  query: QueryOf<'prediction_drift' | 'label_drift'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  const target = targetOf(query.queryType);
  await requireAffordable(store, query, ctx, bucketSizeOf(ctx));
  const sketches = await loadSketches(store, query, ctx, bucketSizeOf(ctx), undefined, [target]);
  if (!referenceHasTarget(sketches.reference, target)) return missingTargetFrames(query.queryType, query.model);
  const [series] = await driftPerBucket(query, ctx, sketches);
  const verdict = await targetWindowVerdict(store, query, target, ctx.window);
  const times = series ? alignOnTimes([series]) : [];
  const shaped = series
    ? heatmapSeries(series, times, query)
    : emptySeries(query.method ?? 'auto', query.thresholdMode ?? 'calibrated');
  const trend = withApproximationNotices(
    targetTrendFrame(
      query.queryType,
      times,
      { ...shaped, thresholdMode: shaped.thresholdMode ?? 'calibrated' },
      sketches.bucketMs
    ),
    series ? [series.cells] : []
  );
  return verdict ? [trend, targetWindowFrame(query.queryType, verdict)] : [trend];
}

/** A target with no stored bucket in the range (no predictions, or no labels yet): no cells. */
function emptySeries(method: string, thresholdMode: NonNullable<DriftHeatmapSeries['thresholdMode']>) {
  return {
    feature: '',
    method,
    threshold: Number.NaN,
    direction: 'above' as const,
    thresholdMode,
    scores: [],
  } satisfies DriftHeatmapSeries;
}
