import type { DataFrameJSON } from './frames';
import { buildFrame, type FieldInput } from './frameBuilder';
import type { ThresholdMode } from './query';
import { UNITS } from './units';

/**
 * Field conventions of the frames MLSight's own panels read (drift heatmap, explanation bars). The proxy builds
 * these frames with the builders below and the panels read them by the names here, so neither side guesses.
 * The frames stay ordinary Grafana frames: the heatmap and category frames are wide time frames that Grafana's
 * time series, heatmap and state-timeline panels also draw; the explanation frames are tables.
 */

/** Whether a drift score means drift when it is at/above its threshold (distances) or below it (p-values). */
export type DriftDirection = 'above' | 'below';

/** Per-feature facts of a drift-heatmap score field, in its `config.custom`. */
export interface DriftFieldCustom {
  method: string;
  /** The threshold of the first bucket with a verdict (every bucket's under `fixed`); see `thresholds`. */
  threshold: number;
  direction: DriftDirection;
  /** `calibrated`: each bucket's threshold fits its rows; `fixed`: Evidently's rule, the same in every bucket. */
  thresholdMode: ThresholdMode;
  /** Each bucket's own threshold (null where the bucket has no score), aligned with the time field. */
  thresholds: Array<number | null>;
  /**
   * Each bucket's verdict, aligned with the time field: true drift, false none, null too few rows (or none) —
   * the answer Grafana's state timeline and alert rules read, the same the monitor's gauges carry.
   */
  drifted: Array<boolean | null>;
  /** p-value of each bucket (null where the method has none), aligned with the time field. */
  pValues: Array<number | null>;
  /** Rows (predictions) in each bucket, aligned with the time field. */
  rows: number[];
}

/** Frame-level facts of a drift heatmap, in `meta.custom`. */
export interface DriftHeatmapMeta {
  /** Bucket width in milliseconds (a bucket starts at its time value). */
  bucketMs: number;
  /** Buckets with fewer rows are drawn hatched: the score is too noisy to trust. */
  minSampleSize: number;
}

export const DRIFT_HEATMAP_FRAME = {
  name: 'drift_heatmap',
  /** Time field: bucket start, epoch milliseconds. */
  time: 'time',
  /** One number field per feature with this name, told apart by the `feature` label (and display name). */
  score: 'score',
  featureLabel: 'feature',
} as const;

export const CATEGORY_STATUSES = ['stable', 'new', 'vanished'] as const;
/** `new`: absent from the reference; `vanished`: in the reference but absent from the analysed window. */
export type CategoryStatus = (typeof CATEGORY_STATUSES)[number];

/** Per-category facts of a category-drift share field, in its `config.custom`. */
export interface CategoryFieldCustom {
  /** Share of the category in the reference data, 0..1. */
  referenceShare: number;
  rows: number[];
}

export const CATEGORY_DRIFT_FRAME = {
  name: 'category_drift',
  time: 'time',
  /** One number field per category (share of the bucket's rows, 0..1) labelled {feature, category, status}. */
  share: 'share',
  featureLabel: 'feature',
  categoryLabel: 'category',
  statusLabel: 'status',
} as const;

/** Global explanations (`explanations_global`, `explanation_drift`): one row per feature. */
export const EXPLANATION_FRAME = {
  name: 'explanations',
  feature: 'feature',
  /** Mean |attribution| in the analysed window. */
  value: 'value',
  /** Mean signed attribution (optional). */
  signedValue: 'signed_value',
  /** Mean |attribution| in the reference (only in `explanation_drift` frames). */
  reference: 'reference',
} as const;

/** Frame-level facts of a local explanation, in `meta.custom`. */
export interface LocalExplanationMeta {
  predictionId: string;
  /** Expected model output (SHAP base value); base + Σ attributions = prediction. */
  baseValue: number;
  prediction: number;
}

/** Local explanation (`explanations_local`): one row per feature of one prediction. */
export const LOCAL_EXPLANATION_FRAME = {
  name: 'explanation_local',
  feature: 'feature',
  attribution: 'attribution',
  /** The feature's input value, as text (optional). */
  featureValue: 'feature_value',
} as const;

export interface DriftHeatmapSeries extends Omit<
  DriftFieldCustom,
  'pValues' | 'rows' | 'thresholds' | 'drifted' | 'thresholdMode'
> {
  feature: string;
  scores: Array<number | null>;
  pValues?: Array<number | null>;
  rows?: number[];
  /** Default: `threshold` in every bucket with a score. */
  thresholds?: Array<number | null>;
  /** Default: each score against its bucket's threshold in `direction`. */
  drifted?: Array<boolean | null>;
  /** Default `fixed` (one threshold for every bucket). */
  thresholdMode?: ThresholdMode;
}

/** Whether a score is drift under a threshold: distances at or above it, p-values below it. */
function scoreDrifts(score: number | null, threshold: number | null, direction: DriftDirection): boolean | null {
  if (score === null || threshold === null) return null;
  return direction === 'above' ? score >= threshold : score < threshold;
}

/** Builds a drift-heatmap frame: a wide time frame with one score field per feature. */
export function buildDriftHeatmapFrame(
  times: readonly number[],
  series: readonly DriftHeatmapSeries[],
  meta: DriftHeatmapMeta,
  refId?: string
): DataFrameJSON {
  const fields: FieldInput[] = [
    { name: DRIFT_HEATMAP_FRAME.time, type: 'time', values: times },
    ...series.map<FieldInput>((s) => {
      const thresholds = s.thresholds ?? s.scores.map((v) => (v === null ? null : s.threshold));
      const custom: DriftFieldCustom = {
        method: s.method,
        threshold: s.threshold,
        direction: s.direction,
        thresholdMode: s.thresholdMode ?? 'fixed',
        thresholds,
        drifted: s.drifted ?? s.scores.map((v, i) => scoreDrifts(v, thresholds[i] ?? null, s.direction)),
        pValues: s.pValues ?? times.map(() => null),
        rows: s.rows ?? times.map(() => 0),
      };
      return {
        name: DRIFT_HEATMAP_FRAME.score,
        type: 'number',
        values: s.scores,
        labels: { [DRIFT_HEATMAP_FRAME.featureLabel]: s.feature },
        // No unit: scores have none, and a data-set unit would win over the unit a panel sets in its standard options.
        config: { displayNameFromDS: s.feature, custom: { ...custom } },
      };
    }),
  ];
  return buildFrame({
    name: DRIFT_HEATMAP_FRAME.name,
    refId,
    meta: { type: 'timeseries-wide', custom: { ...meta } },
    fields,
  });
}

export interface CategoryDriftSeries extends CategoryFieldCustom {
  category: string;
  status: CategoryStatus;
  shares: Array<number | null>;
}

/** Builds a category-drift frame: a wide time frame with one share field per category of one feature. */
export function buildCategoryDriftFrame(
  feature: string,
  times: readonly number[],
  series: readonly CategoryDriftSeries[],
  meta: DriftHeatmapMeta,
  refId?: string
): DataFrameJSON {
  const f = CATEGORY_DRIFT_FRAME;
  return buildFrame({
    name: f.name,
    refId,
    meta: { type: 'timeseries-wide', custom: { ...meta, feature } },
    fields: [
      { name: f.time, type: 'time', values: times },
      ...series.map<FieldInput>((s) => ({
        name: f.share,
        type: 'number',
        values: s.shares,
        labels: { [f.featureLabel]: feature, [f.categoryLabel]: s.category, [f.statusLabel]: s.status },
        config: {
          displayNameFromDS: s.category,
          unit: UNITS.ratio,
          min: 0,
          max: 1,
          custom: { referenceShare: s.referenceShare, rows: s.rows },
        },
      })),
    ],
  });
}

export interface ExplanationRow {
  feature: string;
  value: number;
  signedValue?: number;
  reference?: number;
}

/** Builds a global-explanation table; the reference column exists only when every row has one. */
export function buildExplanationFrame(rows: readonly ExplanationRow[], refId?: string): DataFrameJSON {
  const f = EXPLANATION_FRAME;
  const fields: FieldInput[] = [
    { name: f.feature, type: 'string', values: rows.map((r) => r.feature) },
    { name: f.value, type: 'number', values: rows.map((r) => r.value), config: { displayName: 'Mean |attribution|' } },
  ];
  if (rows.length > 0 && rows.every((r) => r.signedValue !== undefined)) {
    fields.push({ name: f.signedValue, type: 'number', values: rows.map((r) => r.signedValue) });
  }
  if (rows.length > 0 && rows.every((r) => r.reference !== undefined)) {
    fields.push({ name: f.reference, type: 'number', values: rows.map((r) => r.reference) });
  }
  return buildFrame({ name: f.name, refId, fields });
}

export interface LocalExplanationRow {
  feature: string;
  attribution: number;
  featureValue?: string;
}

/** Builds a local-explanation table for one prediction (base value and prediction in meta.custom). */
export function buildLocalExplanationFrame(
  rows: readonly LocalExplanationRow[],
  meta: LocalExplanationMeta,
  refId?: string
): DataFrameJSON {
  const f = LOCAL_EXPLANATION_FRAME;
  return buildFrame({
    name: f.name,
    refId,
    meta: { custom: { ...meta } },
    fields: [
      { name: f.feature, type: 'string', values: rows.map((r) => r.feature) },
      { name: f.attribution, type: 'number', values: rows.map((r) => r.attribution) },
      { name: f.featureValue, type: 'string', values: rows.map((r) => r.featureValue ?? '') },
    ],
  });
}

/**
 * The `dataset_drift` table: one row. The share of drifted features and the share at which the dataset counts as
 * drifted are two fields with names that say which is which (the threshold used to be called `drift_share`).
 */
export const DATASET_DRIFT_FRAME = {
  name: 'dataset_drift',
  /** Drifted features / evaluated features, 0..1 (null when no feature had enough data). */
  driftedFeatureShare: 'drifted_feature_share',
  driftedFeatureShareDisplay: 'Share of drifted features',
  driftedFeatures: 'drifted_features',
  driftedFeaturesDisplay: 'Drifted features',
  evaluatedFeatures: 'evaluated_features',
  insufficientFeatures: 'insufficient_features',
  /** The dataset drifts when the share reaches this threshold (Evidently's `drift_share`, default 0.5). */
  driftShareThreshold: 'drift_share_threshold',
  drifted: 'drifted',
  multipleTesting: 'multiple_testing',
} as const;

/** The model's own columns whose drift MLSight judges beside its features (`prediction_drift`, `label_drift`). */
export const DRIFT_TARGETS = ['prediction', 'label'] as const;
export type DriftTarget = (typeof DRIFT_TARGETS)[number];

/**
 * The names of the target rows of a `drift_heatmap` with `includeTargets` (the `feature` label of their score
 * fields): underscored so that no feature of a model can be mistaken for them.
 */
export const DRIFT_TARGET_ROWS: Readonly<Record<DriftTarget, string>> = {
  prediction: '__prediction__',
  label: '__label__',
};

/**
 * `prediction_drift` / `label_drift` answer two frames: a wide time frame named after the query type (one `score`
 * field with the per-bucket verdicts in its `config.custom`, a `DriftFieldCustom`, and the per-bucket `threshold`
 * as a second field) and a one-row table named `<queryType>_window` with the verdict over the whole window.
 */
export const TARGET_DRIFT_FRAME = {
  time: 'time',
  score: 'score',
  threshold: 'threshold',
  targetLabel: 'target',
  windowSuffix: '_window',
} as const;

/**
 * The `multivariate_drift` time series: per bucket NannyML's data reconstruction error, its ±3 SE confidence bounds,
 * the reference band (constant over the range: it comes from the reference) and the alert.
 */
export const MULTIVARIATE_DRIFT_FRAME = {
  name: 'multivariate_drift',
  time: 'time',
  value: 'reconstruction_error',
  valueDisplay: 'Reconstruction error',
  /** value ∓ 3 standard errors of the bucket mean (the lower floored at 0). */
  lowerConfidence: 'lower_confidence_bound',
  lowerConfidenceDisplay: 'Lower confidence bound',
  upperConfidence: 'upper_confidence_bound',
  upperConfidenceDisplay: 'Upper confidence bound',
  samplingError: 'sampling_error',
  samplingErrorDisplay: 'Sampling error',
  lowerThreshold: 'lower_threshold',
  lowerThresholdDisplay: 'Lower threshold',
  upperThreshold: 'upper_threshold',
  upperThresholdDisplay: 'Upper threshold',
  alert: 'alert',
  alertDisplay: 'Alert',
  rows: 'rows',
  rowsDisplay: 'Rows',
} as const;
