/**
 * The gauges the monitor publishes, by name (fixed: Grafana alert rules and Prometheus rule files are written
 * against them). Common labels: `model`, and `version` ("" = all versions). No label ever carries a prediction id or
 * a segment value other than a fairness `attribute`/`group`, so the number of series stays bounded by models ×
 * features. docs/metrics.md mirrors this table.
 */
export const MONITOR_GAUGES = {
  mlsight_feature_drift_score: {
    help: 'Drift score of a feature over the monitor window: the p-value for ks/chisquare/ztest, the distance otherwise.',
    labelNames: ['model', 'version', 'feature', 'method'],
  },
  mlsight_feature_drift_threshold: {
    help: 'Threshold the drift score is compared with (p-value methods: drift below it; distances: drift at or above it).',
    labelNames: ['model', 'version', 'feature', 'method'],
  },
  mlsight_feature_drift_p_value: {
    help: 'p-value of test methods after Benjamini-Hochberg adjustment across the model features (the value the verdict compares with the threshold).',
    labelNames: ['model', 'version', 'feature', 'method'],
  },
  mlsight_feature_drifted: {
    help: 'Whether the feature drifted over the window (1) or not (0); absent when the sample is below the minimum size.',
    labelNames: ['model', 'version', 'feature', 'method'],
  },
  mlsight_feature_drift_sample_size: {
    help: 'Non-missing values the drift verdict rests on, side="reference" or "current".',
    labelNames: ['model', 'version', 'feature', 'side'],
  },
  mlsight_feature_drift_insufficient: {
    help: 'Whether the reference or the window is below the minimum sample size for a verdict (1) or not (0).',
    labelNames: ['model', 'version', 'feature'],
  },
  mlsight_dataset_drift_share_ratio: {
    help: 'Share of the evaluated features that drifted over the window (0..1).',
    labelNames: ['model', 'version'],
  },
  mlsight_dataset_drifted: {
    help: 'Whether the share of drifted features reached the dataset drift share (1) or not (0).',
    labelNames: ['model', 'version'],
  },
  mlsight_prediction_drift_score: {
    help: "Drift score of the model's predictions over the window against the reference predictions (the p-value for ks/chisquare/ztest, the distance otherwise).",
    labelNames: ['model', 'version'],
  },
  mlsight_prediction_drifted: {
    help: 'Whether the predictions drifted over the window (1) or not (0), by the rule of a feature verdict; absent when the sample is below the minimum size or the reference has no prediction.',
    labelNames: ['model', 'version'],
  },
  mlsight_label_drift_score: {
    help: 'Drift score of the labels that arrived for the window predictions (by prediction time) against the reference labels.',
    labelNames: ['model', 'version'],
  },
  mlsight_label_drifted: {
    help: 'Whether the labels drifted over the window (1) or not (0); absent until enough labels arrived, or when the reference has no label.',
    labelNames: ['model', 'version'],
  },
  mlsight_data_quality_missing_ratio: {
    help: 'Share of the stored rows of the window where the feature was missing (missing / (values + missing)).',
    labelNames: ['model', 'version', 'feature'],
  },
  mlsight_data_quality_out_of_range_ratio: {
    help: 'Share of the non-missing numeric values outside the reference [min, max].',
    labelNames: ['model', 'version', 'feature'],
  },
  mlsight_data_quality_unseen_category_ratio: {
    help: 'Share of the non-missing categorical values absent from the reference category set.',
    labelNames: ['model', 'version', 'feature'],
  },
  mlsight_data_quality_type_error_ratio: {
    help: 'Share of the rows offered (stored + refused) that were refused because this feature had the wrong type.',
    labelNames: ['model', 'version', 'feature'],
  },
  mlsight_data_rows: {
    help: 'Prediction rows stored for the model over the monitor window.',
    labelNames: ['model', 'version'],
  },
  mlsight_data_freshness_seconds: {
    help: 'Seconds since the model last had rows accepted (predictions, labels or a reference), as of the last monitor run.',
    labelNames: ['model'],
  },
  mlsight_performance: {
    help: 'Realised performance over the window, from labelled rows only.',
    labelNames: ['model', 'version', 'metric'],
  },
  mlsight_performance_labelled_rows: {
    help: 'Labelled rows the realised performance rests on.',
    labelNames: ['model', 'version'],
  },
  mlsight_estimated_performance: {
    help: 'CBPE estimate of performance over the window (no labels needed).',
    labelNames: ['model', 'version', 'metric'],
  },
  mlsight_estimated_performance_lower: {
    help: 'Lower end of the CBPE estimate band (estimate - 3 standard errors).',
    labelNames: ['model', 'version', 'metric'],
  },
  mlsight_estimated_performance_upper: {
    help: 'Upper end of the CBPE estimate band (estimate + 3 standard errors).',
    labelNames: ['model', 'version', 'metric'],
  },
  mlsight_fairness_disparate_impact_ratio: {
    help: 'Positive-prediction rate of a group over that of the most favoured group of the attribute (0.8 rule).',
    labelNames: ['model', 'version', 'attribute', 'group'],
  },
  mlsight_fairness_demographic_parity_difference: {
    help: 'Largest difference in positive-prediction rate between groups of a segment attribute.',
    labelNames: ['model', 'version', 'attribute'],
  },
} as const satisfies Record<string, { help: string; labelNames: readonly string[] }>;

export type MonitorGaugeName = keyof typeof MONITOR_GAUGES;

/** The label names of one gauge. */
export type LabelsOf<N extends MonitorGaugeName> = (typeof MONITOR_GAUGES)[N]['labelNames'][number];

/** One value of one gauge, with exactly that gauge's labels. */
export type MonitorSample = {
  [N in MonitorGaugeName]: { name: N; labels: Record<LabelsOf<N>, string>; value: number };
}[MonitorGaugeName];

/** Builds a sample; the compiler checks the labels against the gauge. */
export function sample<N extends MonitorGaugeName>(
  name: N,
  labels: Record<LabelsOf<N>, string>,
  value: number
): MonitorSample {
  return { name, labels, value } as MonitorSample;
}
