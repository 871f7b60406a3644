import { PERSONA_LINKS, RELEASE_ANNOTATIONS, textbox, UIDS, VARIABLES } from '../common';
import { dashboard, mlsight, type PanelSpec, prometheus, row } from '../grafana';

const RUN_ID = textbox(
  'run_id',
  'Run id',
  '',
  'MLflow run whose metric history is drawn; click a run in the Runs table or a node of the lineage graph to set it.'
);

const panels: PanelSpec[] = [
  row('Versions and lineage'),
  {
    type: 'table',
    title: 'Model versions',
    size: { w: 12, h: 8 },
    targets: [mlsight({ refId: 'A', queryType: 'model_versions', model: '$model' })],
  },
  {
    type: 'table',
    title: 'Deployed aliases: who and when',
    size: { w: 12, h: 8 },
    targets: [mlsight({ refId: 'A', queryType: 'deployments', model: '$model' })],
  },
  {
    type: 'mlsight-provenance-panel',
    title: 'Lineage: datasets → runs → logged models → versions → aliases',
    description: 'Click a node for its details and MLflow link.',
    size: { w: 24, h: 12 },
    targets: [mlsight({ refId: 'A', queryType: 'provenance', model: '$model', limit: 300 })],
    options: {
      optionsVersion: 1,
      direction: 'LR',
      mlflowBaseUrl: '',
      collapseKinds: [],
      autoCollapseAbove: 400,
      showLegend: true,
    },
  },
  {
    type: 'table',
    title: 'Runs of $experiment',
    size: { w: 12, h: 9 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'runs',
        experiment: '$experiment',
        metrics: ['accuracy', 'roc_auc', 'log_loss'],
        limit: 200,
        ignoreTimeRange: true,
      }),
    ],
    fieldConfig: {
      links: [
        {
          title: 'Metric history of this run',
          url:
            '/d/' +
            UIDS.mlEngineer +
            '/ml-engineer?var-model=${model}&var-run_id=${__data.fields.run_id}&${__url_time_range}',
        },
      ],
    },
  },
  {
    type: 'timeseries',
    title: 'Metric history of run $run_id',
    size: { w: 12, h: 9 },
    targets: [mlsight({ refId: 'A', queryType: 'metric_history', runIds: ['$run_id'], metric: 'train_loss' })],
  },
  row('Proxy: requests, errors, latency (Prometheus)'),
  {
    type: 'timeseries',
    title: 'Requests per second by route',
    size: { w: 8, h: 8 },
    targets: [prometheus('A', 'sum by (route) (rate(mlsight_http_requests_total[5m]))', '{{route}}')],
    fieldConfig: { unit: 'reqps' },
  },
  {
    type: 'timeseries',
    title: 'Error ratio (5xx)',
    size: { w: 8, h: 8 },
    targets: [
      prometheus(
        'A',
        'sum(rate(mlsight_http_requests_total{status=~"5.."}[5m])) / clamp_min(sum(rate(mlsight_http_requests_total[5m])), 1e-9)',
        'errors'
      ),
    ],
    fieldConfig: { unit: 'percentunit' },
  },
  {
    type: 'timeseries',
    title: 'Latency p95 by route',
    size: { w: 8, h: 8 },
    targets: [
      prometheus(
        'A',
        'histogram_quantile(0.95, sum by (le, route) (rate(mlsight_http_request_duration_seconds_bucket[5m])))',
        '{{route}}'
      ),
    ],
    fieldConfig: { unit: 's' },
  },
  {
    type: 'timeseries',
    title: 'Ingested rows per second',
    size: { w: 8, h: 8 },
    targets: [
      prometheus(
        'A',
        'sum by (kind, outcome) (rate(mlsight_ingest_rows_total{model="$model"}[5m]))',
        '{{kind}} {{outcome}}'
      ),
    ],
    fieldConfig: { unit: 'rowsps' },
  },
  {
    type: 'timeseries',
    title: 'Ingestion errors (rejected rows)',
    size: { w: 8, h: 8 },
    targets: [
      prometheus(
        'A',
        'sum by (kind) (increase(mlsight_ingest_rows_total{model="$model",outcome="rejected"}[1h]))',
        '{{kind}}'
      ),
    ],
  },
  {
    type: 'timeseries',
    title: 'MLflow calls by outcome',
    size: { w: 8, h: 8 },
    targets: [prometheus('A', 'sum by (outcome) (rate(mlsight_mlflow_requests_total[5m]))', '{{outcome}}')],
    fieldConfig: { unit: 'reqps' },
  },
];

export const mlEngineerDashboard = dashboard({
  uid: UIDS.mlEngineer,
  title: 'ML engineer: versions, lineage, serving',
  description: 'What is deployed, where it came from, and how the MLSight proxy serves it.',
  tags: ['ml-engineer'],
  time: { from: 'now-7d', to: 'now' },
  variables: [VARIABLES.model, VARIABLES.version, VARIABLES.feature, VARIABLES.segment, VARIABLES.experiment, RUN_ID],
  annotations: RELEASE_ANNOTATIONS,
  links: PERSONA_LINKS,
  panels,
});
