import { z } from 'zod';
import { ALERT_VALUES, type AlertingQueryType } from './alertFrames';
import { FLEET_STATUS_FILTERS } from './fleet';
import type { QueryType } from './queryTypes';

/** Version of the saved-query shape; `migrateQuery` upgrades anything older. */
export const QUERY_SCHEMA_VERSION = 1;

export const DRIFT_METHODS = [
  'auto',
  'psi',
  'ks',
  'chisquare',
  'ztest',
  'jensenshannon',
  'wasserstein',
  'hellinger',
  'linf',
] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/** How drift thresholds are chosen: fitted to each cell's sample size (default), or Evidently's fixed rules. */
export const THRESHOLD_MODES = ['calibrated', 'fixed'] as const;
export type ThresholdMode = (typeof THRESHOLD_MODES)[number];

export const CLASSIFICATION_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece'] as const;
export const REGRESSION_METRICS = ['mae', 'rmse', 'mape', 'r2'] as const;
export const PERFORMANCE_METRICS = [...CLASSIFICATION_METRICS, ...REGRESSION_METRICS] as const;
export type PerformanceMetric = (typeof PERFORMANCE_METRICS)[number];

/** zod's default "expected string, received undefined" read as a sentence a Grafana user acts on. */
const requiredText = {
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : 'must be text'),
};
const name = z.string(requiredText).trim().min(1, 'must not be empty').max(256);
const positiveInt = z.number().int().positive();

/** Fields Grafana puts on every query; unknown extra keys from Grafana (key, datasource…) are ignored. */
const base = {
  refId: z.string().min(1, 'must not be empty').max(64),
  hide: z.boolean().optional(),
  schemaVersion: z.number().int().nonnegative().optional(),
};

/** A registered model, optionally pinned to a version or an alias (not both). */
const modelRef = {
  model: name,
  version: z.string().regex(/^\d+$/, 'must be a version number such as "3"').optional(),
  alias: name.optional(),
};

const optionalModelRef = { ...modelRef, model: name.optional() };

const driftOptions = {
  ...modelRef,
  features: z.array(name).max(2000).optional(),
  method: z.enum(DRIFT_METHODS).optional(),
  /**
   * `calibrated` (default): each verdict's threshold fits its sample — the statistic's spread on healthy data of the
   * cell's size, so a healthy cell is flagged with probability `falseAlarmRate` at any bucket size; `fixed`:
   * Evidently's rules (p < 0.05, distance ≥ 0.1), the same number at every size. A `threshold` implies `fixed`.
   */
  thresholdMode: z.enum(THRESHOLD_MODES).optional(),
  /** Calibrated thresholds: the share of healthy cells flagged (default 0.01). */
  falseAlarmRate: z.number().gt(0).lt(0.5).optional(),
  /** A fixed threshold for the method (implies `thresholdMode: "fixed"`). */
  threshold: z.number().positive().optional(),
  segment: name.optional(),
  minSampleSize: positiveInt.optional(),
  /** Benjamini-Hochberg control across the features' p-values (default `bh`); `none` matches Evidently. */
  multipleTesting: z.enum(['bh', 'none']).optional(),
};

/**
 * Prediction and label drift: the drift options of one column (no feature list, no correction across features).
 * Labels are bucketed by their prediction's time, so a bucket's label sample grows as delayed labels arrive.
 */
const { features: _features, multipleTesting: _multipleTesting, ...targetDriftOptions } = driftOptions;

/** Features a multivariate drift query may fit its PCA on (the covariance and its eigen-decomposition are O(d²)–O(d³)). */
export const MAX_MULTIVARIATE_FEATURES = 300;
/** The registry aliases `champion_challenger` compares by default, and the fleet and the app read. */
export const CHAMPION_ALIAS = 'champion';
export const CHALLENGER_ALIAS = 'challenger';
export const MULTIVARIATE_BAND_SCALINGS = ['chunk', 'rows'] as const;

/**
 * `format: "alerting"` answers one numeric-data frame a Grafana-managed alert rule reads (alertFrames.ts) instead
 * of the panel frames; `alertValue` picks its number (default: the first of ALERT_VALUES, the verdict or the
 * headline value) and is only read in that format.
 */
function alertingOptions<T extends AlertingQueryType>(type: T) {
  return {
    format: z.literal('alerting').optional(),
    alertValue: z.enum(ALERT_VALUES[type]).optional(),
  };
}

/** The most rows a `predictions` query answers, and how many it answers without a `limit`. */
export const MAX_PREDICTION_ROWS = 1000;
export const PREDICTIONS_DEFAULT_LIMIT = 100;

const notBoth = (q: { version?: string; alias?: string }) => !(q.version !== undefined && q.alias !== undefined);
const notBothMessage = { message: 'set either version or alias, not both', path: ['alias'] };

export const querySchemas = {
  drift_heatmap: z.object({
    ...base,
    queryType: z.literal('drift_heatmap'),
    ...driftOptions,
    /**
     * Also the model's prediction and its delayed label as rows named by `DRIFT_TARGET_ROWS` (default false; the
     * provisioned heatmap turns it on). A reference without the column gets a notice instead of the row.
     */
    includeTargets: z.boolean().optional(),
  }),
  feature_drift: z.object({
    ...base,
    queryType: z.literal('feature_drift'),
    ...driftOptions,
    ...alertingOptions('feature_drift'),
  }),
  category_drift: z.object({ ...base, queryType: z.literal('category_drift'), ...driftOptions, feature: name }),
  dataset_drift: z.object({
    ...base,
    queryType: z.literal('dataset_drift'),
    ...driftOptions,
    driftShare: z.number().gt(0).lte(1).optional(),
  }),
  drift_trend: z.object({ ...base, queryType: z.literal('drift_trend'), ...driftOptions }),
  prediction_drift: z.object({ ...base, queryType: z.literal('prediction_drift'), ...targetDriftOptions }),
  label_drift: z.object({ ...base, queryType: z.literal('label_drift'), ...targetDriftOptions }),
  multivariate_drift: z.object({
    ...base,
    queryType: z.literal('multivariate_drift'),
    ...modelRef,
    /** Features the PCA is fitted on; default every profiled feature. */
    features: z.array(name).min(1, 'needs at least one feature').max(MAX_MULTIVARIATE_FEATURES).optional(),
    /** Components kept: a count (1, 2, …) or the share of the reference's variance to explain (default 0.65). */
    components: z
      .number()
      .positive()
      .refine((x) => Number.isInteger(x) || x < 1, 'must be a whole number of components or a fraction in (0, 1)')
      .optional(),
    /** Rows per reference chunk the band is cut from; default the median rows of the range's buckets. */
    chunkSize: positiveInt.optional(),
    /** The band is the reference chunks' mean ± this many standard deviations (default 3, as NannyML). */
    bandMultiplier: z.number().positive().max(100).optional(),
    /**
     * `chunk` (default, NannyML's): one band, at the reference chunk size, for every bucket; `rows`: each bucket's
     * band scaled by √(chunkSize / its rows), so small buckets (night hours) do not alert more often than full ones.
     */
    bandScaling: z.enum(MULTIVARIATE_BAND_SCALINGS).optional(),
    segment: name.optional(),
  }),
  performance: z.object({
    ...base,
    queryType: z.literal('performance'),
    ...modelRef,
    metrics: z.array(z.enum(PERFORMANCE_METRICS)).optional(),
    segment: name.optional(),
    /**
     * `true`: every metric from the labelled rows (ROC AUC exact); `false`: from the per-bucket summaries whatever the
     * window (ROC AUC from score bins, its error bound in a notice); absent: summaries, rows for small windows.
     */
    exact: z.boolean().optional(),
  }),
  estimated_performance: z.object({
    ...base,
    queryType: z.literal('estimated_performance'),
    ...modelRef,
    metrics: z.array(z.enum(CLASSIFICATION_METRICS)).optional(),
    ...alertingOptions('estimated_performance'),
  }),
  data_quality: z.object({
    ...base,
    queryType: z.literal('data_quality'),
    ...modelRef,
    features: z.array(name).optional(),
    ...alertingOptions('data_quality'),
  }),
  explanations_global: z.object({
    ...base,
    queryType: z.literal('explanations_global'),
    ...modelRef,
    source: z.enum(['auto', 'store', 'mlflow']).optional(),
    topN: positiveInt.max(1000).optional(),
  }),
  explanations_local: z.object({
    ...base,
    queryType: z.literal('explanations_local'),
    ...modelRef,
    predictionId: name,
  }),
  explanation_drift: z.object({
    ...base,
    queryType: z.literal('explanation_drift'),
    ...modelRef,
    topN: positiveInt.max(1000).optional(),
  }),
  fairness: z.object({
    ...base,
    queryType: z.literal('fairness'),
    ...modelRef,
    segment: name,
    positiveLabel: z.union([z.string(), z.number()]).optional(),
  }),
  champion_challenger: z.object({
    ...base,
    queryType: z.literal('champion_challenger'),
    model: name,
    champion: name.optional(),
    challenger: name.optional(),
    metrics: z.array(z.enum(PERFORMANCE_METRICS)).optional(),
  }),
  provenance: z.object({
    ...base,
    queryType: z.literal('provenance'),
    ...optionalModelRef,
    runId: name.optional(),
    experiment: name.optional(),
    limit: positiveInt.max(1000).optional(),
  }),
  pipeline_runs: z.object({
    ...base,
    queryType: z.literal('pipeline_runs'),
    experiment: name.optional(),
    runId: name.optional(),
    format: z.enum(['table', 'nodeGraph']).optional(),
    limit: positiveInt.max(1000).optional(),
    ignoreTimeRange: z.boolean().optional(),
  }),
  runs: z.object({
    ...base,
    queryType: z.literal('runs'),
    experiment: name.optional(),
    filter: z.string().max(4000).optional(),
    orderBy: z.array(z.string().max(256)).optional(),
    metrics: z.array(name).optional(),
    params: z.array(name).optional(),
    limit: positiveInt.max(50000).optional(),
    ignoreTimeRange: z.boolean().optional(),
  }),
  metric_history: z.object({
    ...base,
    queryType: z.literal('metric_history'),
    runIds: z.array(name).min(1, 'needs at least one run id').max(100),
    metric: name,
  }),
  model_versions: z.object({ ...base, queryType: z.literal('model_versions'), model: name }),
  deployments: z.object({ ...base, queryType: z.literal('deployments'), model: name.optional() }),
  kpis: z.object({
    ...base,
    queryType: z.literal('kpis'),
    ...modelRef,
    metrics: z.array(name).optional(),
    topN: positiveInt.max(50).optional(),
  }),
  predictions: z.object({
    ...base,
    queryType: z.literal('predictions'),
    ...modelRef,
    /** Feature columns shown beside each prediction; default every feature of the reference. */
    features: z.array(name).max(2000).optional(),
    segment: name.optional(),
    /** Rows answered, the earliest of the range first (default `PREDICTIONS_DEFAULT_LIMIT`). */
    limit: positiveInt.max(MAX_PREDICTION_ROWS).optional(),
  }),
  fleet: z.object({
    ...base,
    queryType: z.literal('fleet'),
    /** Only models whose name contains this text (case-insensitive). */
    search: z.string().max(256).optional(),
    status: z.enum(FLEET_STATUS_FILTERS).optional(),
  }),
} satisfies Record<QueryType, z.ZodObject>;

export type QueryOf<T extends QueryType> = z.infer<(typeof querySchemas)[T]>;

/** The query model: one variant per queryType. */
export const MLSightQuerySchema = z
  .discriminatedUnion('queryType', [
    querySchemas.drift_heatmap,
    querySchemas.feature_drift,
    querySchemas.category_drift,
    querySchemas.dataset_drift,
    querySchemas.drift_trend,
    querySchemas.prediction_drift,
    querySchemas.label_drift,
    querySchemas.multivariate_drift,
    querySchemas.performance,
    querySchemas.estimated_performance,
    querySchemas.data_quality,
    querySchemas.explanations_global,
    querySchemas.explanations_local,
    querySchemas.explanation_drift,
    querySchemas.fairness,
    querySchemas.champion_challenger,
    querySchemas.provenance,
    querySchemas.pipeline_runs,
    querySchemas.runs,
    querySchemas.metric_history,
    querySchemas.model_versions,
    querySchemas.deployments,
    querySchemas.kpis,
    querySchemas.predictions,
    querySchemas.fleet,
  ])
  .refine((q) => !('version' in q) || notBoth(q as { version?: string; alias?: string }), notBothMessage);

export type MLSightQuery = z.infer<typeof MLSightQuerySchema>;

/** Default query a new panel starts with, so it shows data at once. */
export const DEFAULT_QUERY: Partial<MLSightQuery> = { queryType: 'kpis', schemaVersion: QUERY_SCHEMA_VERSION };
