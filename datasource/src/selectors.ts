/**
 * Labels, tooltips and accessible names of the editors in one place, so the UI, unit tests and E2E tests agree.
 */
export const selectors = {
  config: {
    proxyUrl: {
      label: 'Proxy URL',
      tooltip: 'Base URL of the MLSight proxy as the Grafana server reaches it, e.g. http://localhost:8450',
      placeholder: 'http://localhost:8450',
      id: 'mlsight-config-proxy-url',
      invalid: 'Enter an http:// or https:// URL',
    },
    apiToken: {
      label: 'API token',
      tooltip:
        'Bearer token of the proxy. Stored encrypted by Grafana and added by its data proxy; never sent to browsers',
      placeholder: 'Token with the "read" scope',
      id: 'mlsight-config-api-token',
    },
    mlflowUiUrl: {
      label: 'MLflow UI URL',
      tooltip: 'Base URL of the MLflow UI as users reach it, for links to runs and models (optional)',
      placeholder: 'http://localhost:5000',
      id: 'mlsight-config-mlflow-ui-url',
      invalid: 'Enter an http:// or https:// URL',
    },
    defaultModel: {
      label: 'Default model',
      tooltip: 'Registered model used by queries and variables that name none (optional)',
      placeholder: 'e.g. churn-classifier',
      id: 'mlsight-config-default-model',
    },
  },
  query: {
    container: 'mlsight-query-editor',
    queryType: { label: 'Query', id: 'mlsight-query-type', tooltip: 'What to show' },
    validation: 'mlsight-query-validation',
    fields: {
      model: { label: 'Model', tooltip: 'Registered model in MLflow' },
      pin: { label: 'Version', tooltip: 'Latest version, a version number, or an alias such as champion' },
      version: { label: 'Version number' },
      alias: { label: 'Alias' },
      features: { label: 'Features', tooltip: 'Leave empty for every feature' },
      feature: { label: 'Feature', tooltip: 'A categorical feature' },
      method: {
        label: 'Method',
        tooltip: '"auto" picks the test as Evidently does, by reference size and feature type',
      },
      thresholdMode: {
        label: 'Thresholds',
        tooltip:
          'calibrated (default): each cell is judged against healthy data of its own size, so a healthy cell is ' +
          'flagged with the false-alarm rate; fixed: Evidently’s rules (p < 0.05, distance ≥ 0.1) at every size',
      },
      falseAlarmRate: {
        label: 'False alarms',
        tooltip: 'Calibrated thresholds: share of healthy cells flagged (0–0.5, default 0.01)',
      },
      threshold: { label: 'Threshold', tooltip: 'Fixed threshold for the method (leave empty for Evidently’s rule)' },
      segment: { label: 'Segment', tooltip: 'Segment field to split or filter by' },
      minSampleSize: { label: 'Min samples', tooltip: 'Buckets with fewer rows are marked, not scored' },
      driftShare: { label: 'Drift share', tooltip: 'Share of drifted features for dataset drift (0–1, default 0.5)' },
      components: {
        label: 'Components',
        tooltip: 'PCA components kept: a count, or the share of variance to explain (0–1, default 0.65)',
      },
      chunkSize: {
        label: 'Chunk size',
        tooltip: 'Rows per reference chunk the band is cut from (default: the median rows per bucket)',
      },
      bandMultiplier: { label: 'Band width', tooltip: 'Band = reference chunks’ mean ± this many sd (default 3)' },
      bandScaling: {
        label: 'Band scaling',
        tooltip:
          'chunk (default, NannyML): one band for every bucket; rows: the band widened for buckets with fewer rows ' +
          'than the reference chunks, so small buckets do not cry wolf',
      },
      metrics: { label: 'Metrics' },
      source: { label: 'Source', tooltip: 'Where attributions come from: drift store, MLflow artifacts, or either' },
      topN: { label: 'Top N' },
      predictionId: { label: 'Prediction id' },
      positiveLabel: { label: 'Positive label' },
      search: { label: 'Search', tooltip: 'Only models whose name contains this text' },
      champion: { label: 'Champion', tooltip: 'Alias of the current model (default: champion)' },
      challenger: { label: 'Challenger', tooltip: 'Alias of the candidate (default: challenger)' },
      runId: { label: 'Run id' },
      runIds: { label: 'Run ids' },
      experiment: { label: 'Experiment' },
      limit: { label: 'Limit' },
      format: { label: 'Format' },
      ignoreTimeRange: { label: 'All time', tooltip: 'Ignore the dashboard time range' },
      includeTargets: {
        label: 'Prediction and label',
        tooltip: 'Also show the model’s prediction and its delayed label as rows (__prediction__, __label__)',
      },
      filter: { label: 'Filter', tooltip: "MLflow search filter, e.g. metrics.rmse < 1 and params.model = 'xgb'" },
      orderBy: { label: 'Order by', tooltip: 'e.g. metrics.rmse ASC' },
      params: { label: 'Params' },
      metric: { label: 'Metric' },
    },
  },
  variable: {
    kind: { label: 'Values of', id: 'mlsight-variable-kind' },
    model: { label: 'Model', id: 'mlsight-variable-model' },
    experiment: { label: 'Experiment', id: 'mlsight-variable-experiment' },
    search: { label: 'Contains', id: 'mlsight-variable-search' },
  },
  annotation: {
    kinds: { label: 'Events', id: 'mlsight-annotation-kinds' },
    model: { label: 'Model', id: 'mlsight-annotation-model', tooltip: 'Leave empty for every model' },
  },
} as const;

export type QueryFieldName = keyof typeof selectors.query.fields;
