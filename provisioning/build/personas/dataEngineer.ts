import { PERSONA_LINKS, RELEASE_ANNOTATIONS, UIDS, VARIABLES } from '../common';
import { dashboard, mlsight, type PanelSpec, prometheus, row } from '../grafana';

const panels: PanelSpec[] = [
  row('Data quality of the ingested predictions'),
  {
    type: 'timeseries',
    title: 'Missing, out-of-range, unseen-category and type-error rates',
    description: 'Per feature and bucket, against the reference profile frozen at training time.',
    size: { w: 16, h: 9 },
    targets: [mlsight({ refId: 'A', queryType: 'data_quality', model: '$model', version: '$version' })],
    fieldConfig: { unit: 'percentunit' },
  },
  {
    type: 'stat',
    title: 'Freshness: since the last ingested row',
    size: { w: 8, h: 4 },
    targets: [prometheus('A', 'max(mlsight_data_freshness_seconds{model="$model"})', 'freshness', true)],
    fieldConfig: {
      unit: 's',
      thresholds: {
        mode: 'absolute',
        steps: [
          { value: null, color: 'green' },
          { value: 900, color: 'orange' },
          { value: 3600, color: 'red' },
        ],
      },
    },
  },
  {
    type: 'stat',
    title: 'Rows in the monitoring window',
    size: { w: 8, h: 5 },
    targets: [prometheus('A', 'sum(mlsight_data_rows{model="$model",version=""})', 'rows', true)],
    fieldConfig: { unit: 'short' },
  },
  {
    type: 'table',
    title: 'Data quality by feature over the range',
    size: { w: 12, h: 9 },
    targets: [mlsight({ refId: 'A', queryType: 'data_quality', model: '$model', version: '$version' })],
    transformations: [{ id: 'reduce', options: { reducers: ['mean', 'max'] } }],
  },
  {
    type: 'timeseries',
    title: 'Schema / type errors per feature (monitor window)',
    size: { w: 12, h: 9 },
    targets: [
      prometheus(
        'A',
        'max by (feature) (mlsight_data_quality_type_error_ratio{model="$model",version=""})',
        '{{feature}}'
      ),
    ],
    fieldConfig: { unit: 'percentunit' },
  },
  {
    type: 'timeseries',
    title: 'Volume: ingested rows per hour by kind',
    size: { w: 12, h: 8 },
    targets: [
      prometheus(
        'A',
        'sum by (kind) (increase(mlsight_ingest_rows_total{model="$model",outcome="accepted"}[1h]))',
        '{{kind}}'
      ),
    ],
  },
  {
    type: 'timeseries',
    title: 'Rejected rows per hour by kind',
    size: { w: 12, h: 8 },
    targets: [
      prometheus(
        'A',
        'sum by (kind) (increase(mlsight_ingest_rows_total{model="$model",outcome="rejected"}[1h]))',
        '{{kind}}'
      ),
    ],
  },
  row('Pipelines'),
  {
    type: 'table',
    title: 'Pipeline step runs',
    description: 'Every step of the latest pipeline runs with status, duration and the error of a failed step.',
    size: { w: 12, h: 10 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'pipeline_runs',
        experiment: '$experiment',
        format: 'table',
        limit: 50,
        ignoreTimeRange: true,
      }),
    ],
  },
  {
    type: 'mlsight-provenance-panel',
    title: 'Pipeline graph (failed steps in red)',
    size: { w: 12, h: 10 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'pipeline_runs',
        experiment: '$experiment',
        format: 'nodeGraph',
        limit: 50,
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
];

export const dataEngineerDashboard = dashboard({
  uid: UIDS.dataEngineer,
  title: 'Data engineer: quality, volume, freshness, pipelines',
  description: 'Is the data that reaches the model complete, fresh and well-formed, and did the pipelines run?',
  tags: ['data-engineer'],
  variables: [VARIABLES.model, VARIABLES.version, VARIABLES.feature, VARIABLES.segment, VARIABLES.experiment],
  annotations: RELEASE_ANNOTATIONS,
  links: PERSONA_LINKS,
  panels,
});
