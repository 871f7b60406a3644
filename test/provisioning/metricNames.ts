/**
 * The Prometheus metric names the proxy exports for alerting (fixed in docs/metrics.md; the alert rules may use
 * only these and Prometheus's own `up`), and the proxy's HTTP/dependency metrics that dashboards may also chart.
 */
export const ALERTING_METRIC_NAMES = [
  'mlsight_feature_drift_score',
  'mlsight_feature_drift_threshold',
  'mlsight_feature_drift_p_value',
  'mlsight_feature_drifted',
  'mlsight_feature_drift_sample_size',
  'mlsight_feature_drift_insufficient',
  'mlsight_dataset_drift_share_ratio',
  'mlsight_dataset_drifted',
  'mlsight_prediction_drift_score',
  'mlsight_prediction_drifted',
  'mlsight_label_drift_score',
  'mlsight_label_drifted',
  'mlsight_data_quality_missing_ratio',
  'mlsight_data_quality_out_of_range_ratio',
  'mlsight_data_quality_unseen_category_ratio',
  'mlsight_data_quality_type_error_ratio',
  'mlsight_data_rows',
  'mlsight_data_freshness_seconds',
  'mlsight_performance',
  'mlsight_performance_labelled_rows',
  'mlsight_estimated_performance',
  'mlsight_estimated_performance_lower',
  'mlsight_estimated_performance_upper',
  'mlsight_fairness_disparate_impact_ratio',
  'mlsight_fairness_demographic_parity_difference',
  'mlsight_ingest_rows_total',
  'mlsight_ingest_batch_duration_seconds',
  'mlsight_mlflow_requests_total',
  'mlsight_monitor_last_run_timestamp_seconds',
  'mlsight_monitor_run_duration_seconds',
  'mlsight_monitor_errors_total',
  'up',
] as const;

/** Request metrics of backend-proxy/src/server/metrics.ts (histograms also expose _bucket, _sum and _count). */
export const PROXY_METRIC_NAMES = [
  'mlsight_http_requests_total',
  'mlsight_http_request_duration_seconds_bucket',
  'mlsight_http_request_duration_seconds_sum',
  'mlsight_http_request_duration_seconds_count',
  'mlsight_queries_total',
  'mlsight_dependency_up',
] as const;

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  // Aggregations may be followed by `by (...)` instead of their parenthesis.
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
]);

/**
 * Metric names a PromQL expression selects: identifiers outside label matchers, range selectors and grouping
 * lists that are neither keywords nor function calls.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' $1 ')
    .replace(/\b\d+(\.\d+)?(e-?\d+)?\b/gi, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice((match.index ?? 0) + word.length).trimStart();
    if (PROMQL_WORDS.has(word) || after.startsWith('(')) continue;
    names.add(word);
  }
  return [...names];
}
