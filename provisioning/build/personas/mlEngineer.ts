import { DashboardLinkBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PERSONA_LINKS, RELEASE_ANNOTATIONS, UIDS, VARIABLES } from '../common';
import { dashboard, type LayoutItem, prometheus, row } from '../grafana';
import { mlsight, provenanceGraph } from '../mlsight';

/** A Prometheus time series of one expression, one line per `legendFormat`. */
function proxyChart(title: string, expr: string, legendFormat: string): timeseries.PanelBuilder {
  return (
    new timeseries.PanelBuilder()
      .title(title)
      .span(8)
      .height(8)
      // Service health, not model history: the last hours even when the dashboard spans 30 days.
      .timeFrom('6h')
      .withTarget(prometheus('A', expr, legendFormat))
  );
}

const panels: LayoutItem[] = [
  row('Versions and lineage'),
  new table.PanelBuilder()
    .title('Model versions')
    .span(12)
    .height(8)
    .withTarget(mlsight({ refId: 'A', queryType: 'model_versions', model: '$model' })),
  new table.PanelBuilder()
    .title('Deployed aliases: who and when')
    .span(12)
    .height(8)
    .withTarget(mlsight({ refId: 'A', queryType: 'deployments', model: '$model' })),
  provenanceGraph()
    .title('Lineage: datasets → runs → logged models → versions → aliases')
    .description('Click a node for its details and MLflow link.')
    .span(24)
    .height(12)
    .withTarget(mlsight({ refId: 'A', queryType: 'provenance', model: '$model', limit: 300 })),
  new table.PanelBuilder()
    .title('Runs of $experiment')
    .span(12)
    .height(9)
    .withTarget(
      mlsight({
        refId: 'A',
        queryType: 'runs',
        experiment: '$experiment',
        metrics: ['accuracy', 'roc_auc', 'log_loss'],
        limit: 200,
        ignoreTimeRange: true,
      })
    )
    .dataLinks([
      new DashboardLinkBuilder('Metric history of this run').url(
        '/d/' +
          UIDS.mlEngineer +
          '/ml-engineer?var-model=${model}&var-run_id=${__data.fields.run_id}&${__url_time_range}'
      ),
    ]),
  new timeseries.PanelBuilder()
    .title('Metric history of run $run_id')
    .span(12)
    .height(9)
    .withTarget(mlsight({ refId: 'A', queryType: 'metric_history', runIds: ['$run_id'], metric: 'train_loss' })),
  row('Proxy: requests, errors, latency (Prometheus)'),
  proxyChart(
    'Requests per second by route',
    'sum by (route) (rate(mlsight_http_requests_total[5m]))',
    '{{route}}'
  ).unit('reqps'),
  proxyChart(
    'Error ratio (5xx)',
    'sum(rate(mlsight_http_requests_total{status=~"5.."}[5m])) / clamp_min(sum(rate(mlsight_http_requests_total[5m])), 1e-9)',
    'errors'
  ).unit('percentunit'),
  proxyChart(
    'Latency p95 by route',
    'histogram_quantile(0.95, sum by (le, route) (rate(mlsight_http_request_duration_seconds_bucket[5m])))',
    '{{route}}'
  ).unit('s'),
  proxyChart(
    'Ingested rows per second',
    'sum by (kind, outcome) (rate(mlsight_ingest_rows_total{model="$model"}[5m]))',
    '{{kind}} {{outcome}}'
  ).unit('rowsps'),
  proxyChart(
    'Ingestion errors (rejected rows)',
    'sum by (kind) (increase(mlsight_ingest_rows_total{model="$model",outcome="rejected"}[1h]))',
    '{{kind}}'
  ),
  proxyChart(
    'MLflow calls by outcome',
    'sum by (outcome) (rate(mlsight_mlflow_requests_total[5m]))',
    '{{outcome}}'
  ).unit('reqps'),
];

export const mlEngineerDashboard = dashboard({
  uid: UIDS.mlEngineer,
  title: 'ML engineer: versions, lineage, serving',
  description: 'What is deployed, where it came from, and how the MLSight proxy serves it.',
  tags: ['ml-engineer'],
  time: { from: 'now-7d', to: 'now' },
  variables: [
    VARIABLES.model,
    VARIABLES.version,
    VARIABLES.feature,
    VARIABLES.segment,
    VARIABLES.experiment,
    VARIABLES.run,
  ],
  annotations: RELEASE_ANNOTATIONS,
  links: PERSONA_LINKS,
  panels,
});
