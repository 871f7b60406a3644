/**
 * Every queryType MLSight answers. `as const` so that `Record<QueryType, …>` in the proxy (handlers)
 * and in the data source (editors) cannot miss one: adding a type here breaks the build until both exist.
 */
export const QUERY_TYPES = [
  'drift_heatmap',
  'feature_drift',
  'category_drift',
  'dataset_drift',
  'drift_trend',
  'prediction_drift',
  'label_drift',
  'multivariate_drift',
  'performance',
  'estimated_performance',
  'data_quality',
  'explanations_global',
  'explanations_local',
  'explanation_drift',
  'fairness',
  'champion_challenger',
  'provenance',
  'pipeline_runs',
  'runs',
  'metric_history',
  'model_versions',
  'deployments',
  'kpis',
  'predictions',
  'fleet',
] as const;

export type QueryType = (typeof QUERY_TYPES)[number];

/** Where a query type reads from: MLflow's REST API, the drift store, or both. */
export type QuerySource = 'mlflow' | 'store' | 'both';

export interface QueryTypeInfo {
  label: string;
  description: string;
  source: QuerySource;
}

export const QUERY_TYPE_INFO: Record<QueryType, QueryTypeInfo> = {
  drift_heatmap: { label: 'Drift heatmap', description: 'Drift score per feature and time bucket', source: 'store' },
  feature_drift: {
    label: 'Feature drift',
    description: 'One row per feature: method, score, p-value, verdict',
    source: 'store',
  },
  category_drift: {
    label: 'Category drift',
    description: "A categorical feature's category shares over time",
    source: 'store',
  },
  dataset_drift: {
    label: 'Dataset drift',
    description: 'Share of drifted features and the dataset verdict',
    source: 'store',
  },
  drift_trend: { label: 'Drift trend', description: 'Drift score over time per feature', source: 'store' },
  prediction_drift: {
    label: 'Prediction drift',
    description: "The model's predictions over time against the reference's, with the window's verdict",
    source: 'store',
  },
  label_drift: {
    label: 'Label drift',
    description: 'The delayed labels over time against the reference labels, with the window verdict',
    source: 'store',
  },
  multivariate_drift: {
    label: 'Multivariate drift',
    description: 'PCA reconstruction error per bucket with its reference band (NannyML)',
    source: 'store',
  },
  performance: { label: 'Performance', description: 'Realised performance once labels arrive', source: 'store' },
  estimated_performance: {
    label: 'Estimated performance',
    description: 'CBPE estimate without labels',
    source: 'store',
  },
  data_quality: {
    label: 'Data quality',
    description: 'Missing, out-of-range, unseen and type-error rates',
    source: 'store',
  },
  explanations_global: { label: 'Global explanations', description: 'Mean |attribution| per feature', source: 'both' },
  explanations_local: { label: 'Local explanation', description: "One prediction's attributions", source: 'store' },
  explanation_drift: {
    label: 'Explanation drift',
    description: 'Importance ranking change vs reference',
    source: 'store',
  },
  fairness: { label: 'Fairness', description: 'Parity metrics per segment', source: 'store' },
  champion_challenger: { label: 'Champion vs challenger', description: 'Two versions side by side', source: 'both' },
  provenance: { label: 'Provenance graph', description: 'Dataset → steps → model → version → alias', source: 'mlflow' },
  pipeline_runs: { label: 'Pipeline runs', description: 'Parent runs with their step runs', source: 'mlflow' },
  runs: { label: 'Runs', description: 'MLflow runs of an experiment', source: 'mlflow' },
  metric_history: { label: 'Metric history', description: "A run metric's history as a time series", source: 'mlflow' },
  model_versions: { label: 'Model versions', description: 'Registered versions with their aliases', source: 'mlflow' },
  deployments: { label: 'Deployments', description: 'Aliases and stages with who and when', source: 'mlflow' },
  kpis: { label: 'KPIs', description: 'Headline numbers of the champion version', source: 'both' },
  predictions: {
    label: 'Prediction rows',
    description: 'The stored predictions of a range: features, prediction, score and label, earliest first',
    source: 'store',
  },
  fleet: {
    label: 'Fleet',
    description: 'Every registered model: status, champion, drift, accuracy, incidents',
    source: 'both',
  },
};

export function isQueryType(value: unknown): value is QueryType {
  return typeof value === 'string' && (QUERY_TYPES as readonly string[]).includes(value);
}
