import { BigValueColorMode, BigValueGraphMode } from '@grafana/grafana-foundation-sdk/common';
import { MappingType } from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { annotationLayer, PERSONA_LINKS, pipelineRuns, UIDS, VARIABLES } from '../common';
import { alertList, dashboard, type LayoutItem, lastValue, prometheus, text } from '../grafana';
import { mlsight, provenanceGraph } from '../mlsight';

const RUNBOOKS = [
  '**Runbooks** (alerts carry feature, statistic, value, threshold and sample size in their annotations)',
  '',
  '- *MLSightFeatureDrift / MLSightDatasetDrift*: open the [data-scientist dashboard](/d/' +
    UIDS.dataScientist +
    ') for the model; check the [feature view](/d/' +
    UIDS.featureDrift +
    ') of the named feature; page the model owner if estimated accuracy dropped too.',
  '- *MLSightMissingData / MLSightStaleData*: check the [data-engineer dashboard](/d/' +
    UIDS.dataEngineer +
    '): pipeline graph for failed steps, rejected rows, freshness.',
  '- *MLSightEstimatedAccuracyDrop*: compare with realised accuracy once labels arrive; consider rolling the ' +
    'champion alias back (see the deployments table).',
  '- *MLSightProxyDown*: `docker compose ps proxy`, then `docker compose logs proxy`; MLflow and PostgreSQL ' +
    "health are in the proxy's `/readyz`.",
].join('\n');

const panels: LayoutItem[] = [
  alertList({
    viewMode: 'list',
    groupMode: 'default',
    maxItems: 20,
    sortOrder: 1,
    dashboardAlerts: false,
    alertInstanceLabelFilter: '',
    stateFilter: { firing: true, pending: true, noData: true, normal: false, error: true },
    folder: { title: 'MLSight alerts' },
  })
    .title('Firing and pending alerts')
    .span(12)
    .height(9),
  text('Runbooks', RUNBOOKS, { w: 12, h: 9 }),
  provenanceGraph()
    .title('Latest pipeline runs (failed steps stand out)')
    .span(24)
    .height(10)
    .withTarget(pipelineRuns('nodeGraph', 20)),
  new table.PanelBuilder()
    .title('Recent deployments')
    .span(12)
    .height(8)
    .withTarget(mlsight({ refId: 'A', queryType: 'deployments', model: '$model' })),
  new stat.PanelBuilder()
    .title('Proxy and dependencies up')
    .description("1 = up. From Prometheus: the scrape of the proxy and the proxy's own dependency checks.")
    .span(12)
    .height(4)
    .withTarget(prometheus('A', 'up{job="mlsight-proxy"}', 'proxy', true))
    .withTarget(prometheus('B', 'mlsight_dependency_up', '{{dependency}}', true))
    .mappings([
      { type: MappingType.ValueToText, options: { '0': { text: 'DOWN', color: 'red', index: 0 } } },
      { type: MappingType.ValueToText, options: { '1': { text: 'UP', color: 'green', index: 1 } } },
    ])
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(lastValue()),
  new timeseries.PanelBuilder()
    .title('Drifted features over time, with deployments and drift alerts')
    .timeFrom('24h')
    .span(12)
    .height(4)
    .withTarget(prometheus('A', 'sum(mlsight_feature_drifted{model="$model",version=""})', 'drifted features')),
];

export const supportDashboard = dashboard({
  uid: UIDS.support,
  title: 'Support: alerts, pipelines, deployments',
  description: 'First stop when paged: what fires, what failed, what changed, and what to do.',
  tags: ['support'],
  time: { from: 'now-7d', to: 'now' },
  variables: [VARIABLES.model, VARIABLES.alias, VARIABLES.feature, VARIABLES.segment, VARIABLES.experiment],
  annotations: [
    annotationLayer('Deployments', ['deployment']),
    annotationLayer('Alias changes', ['alias_change']),
    annotationLayer('Drift alerts', ['drift_alert']),
  ],
  links: PERSONA_LINKS,
  panels,
});
