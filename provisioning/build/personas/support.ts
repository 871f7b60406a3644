import { annotationLayer, PERSONA_LINKS, UIDS, VARIABLES } from '../common';
import { dashboard, mlsight, type PanelSpec, prometheus, text } from '../grafana';

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

const panels: PanelSpec[] = [
  {
    type: 'alertlist',
    title: 'Firing and pending alerts',
    size: { w: 12, h: 9 },
    options: {
      viewMode: 'list',
      groupMode: 'default',
      maxItems: 20,
      sortOrder: 1,
      dashboardAlerts: false,
      alertInstanceLabelFilter: '',
      stateFilter: { firing: true, pending: true, noData: true, normal: false, error: true },
      folder: { title: 'MLSight alerts' },
    },
  },
  text('Runbooks', RUNBOOKS, { w: 12, h: 9 }),
  {
    type: 'mlsight-provenance-panel',
    title: 'Latest pipeline runs (failed steps stand out)',
    size: { w: 24, h: 10 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'pipeline_runs',
        experiment: '$experiment',
        format: 'nodeGraph',
        limit: 20,
        ignoreTimeRange: true,
      }),
    ],
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
    title: 'Recent deployments',
    size: { w: 12, h: 8 },
    targets: [mlsight({ refId: 'A', queryType: 'deployments', model: '$model' })],
  },
  {
    type: 'stat',
    title: 'Proxy and dependencies up',
    description: "1 = up. From Prometheus: the scrape of the proxy and the proxy's own dependency checks.",
    size: { w: 12, h: 4 },
    targets: [
      prometheus('A', 'up{job="mlsight-proxy"}', 'proxy', true),
      prometheus('B', 'mlsight_dependency_up', '{{dependency}}', true),
    ],
    fieldConfig: {
      mappings: [
        { type: 'value', options: { '0': { text: 'DOWN', color: 'red', index: 0 } } },
        { type: 'value', options: { '1': { text: 'UP', color: 'green', index: 1 } } },
      ],
    },
    options: { colorMode: 'background', graphMode: 'none', reduceOptions: { calcs: ['lastNotNull'], values: false } },
  },
  {
    type: 'timeseries',
    title: 'Drifted features over time, with deployments and drift alerts',
    size: { w: 12, h: 4 },
    targets: [prometheus('A', 'sum(mlsight_feature_drifted{model="$model",version=""})', 'drifted features')],
  },
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
