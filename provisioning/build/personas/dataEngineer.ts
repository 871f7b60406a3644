import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PERSONA_LINKS, pipelineRuns, RELEASE_ANNOTATIONS, UIDS, VARIABLES } from '../common';
import { absoluteThresholds, dashboard, type LayoutItem, prometheus, row } from '../grafana';
import { mlsight, provenanceGraph } from '../mlsight';

const panels: LayoutItem[] = [
  row('Data quality of the ingested predictions'),
  new timeseries.PanelBuilder()
    .title('Missing, out-of-range, unseen-category and type-error rates')
    .description('Per feature and bucket, against the reference profile frozen at training time.')
    .span(16)
    .height(9)
    .withTarget(mlsight({ refId: 'A', queryType: 'data_quality', model: '$model', version: '$version' }))
    .unit('percentunit'),
  new stat.PanelBuilder()
    .title('Freshness: since the last ingested row')
    .span(8)
    .height(4)
    .withTarget(prometheus('A', 'max(mlsight_data_freshness_seconds{model="$model"})', 'freshness', true))
    .unit('s')
    .thresholds(
      absoluteThresholds([
        { value: null, color: 'green' },
        { value: 900, color: 'orange' },
        { value: 3600, color: 'red' },
      ])
    ),
  new stat.PanelBuilder()
    .title('Rows in the monitoring window')
    .span(8)
    .height(5)
    .withTarget(prometheus('A', 'sum(mlsight_data_rows{model="$model",version=""})', 'rows', true))
    .unit('short'),
  new table.PanelBuilder()
    .title('Data quality by feature over the range')
    .span(12)
    .height(9)
    .withTarget(mlsight({ refId: 'A', queryType: 'data_quality', model: '$model', version: '$version' }))
    .withTransformation({ id: 'reduce', options: { reducers: ['mean', 'max'] } }),
  new timeseries.PanelBuilder()
    .title('Schema / type errors per feature (monitor window)')
    .timeFrom('24h')
    .span(12)
    .height(9)
    .withTarget(
      prometheus(
        'A',
        'max by (feature) (mlsight_data_quality_type_error_ratio{model="$model",version=""})',
        '{{feature}}'
      )
    )
    .unit('percentunit'),
  new timeseries.PanelBuilder()
    .title('Volume: ingested rows per hour by kind')
    .timeFrom('24h')
    .span(12)
    .height(8)
    .withTarget(
      prometheus(
        'A',
        'sum by (kind) (increase(mlsight_ingest_rows_total{model="$model",outcome="accepted"}[1h]))',
        '{{kind}}'
      )
    ),
  new timeseries.PanelBuilder()
    .title('Rejected rows per hour by kind')
    .timeFrom('24h')
    .span(12)
    .height(8)
    .withTarget(
      prometheus(
        'A',
        'sum by (kind) (increase(mlsight_ingest_rows_total{model="$model",outcome="rejected"}[1h]))',
        '{{kind}}'
      )
    ),
  row('Pipelines'),
  new table.PanelBuilder()
    .title('Pipeline step runs')
    .description('Every step of the latest pipeline runs with status, duration and the error of a failed step.')
    .span(12)
    .height(10)
    .withTarget(pipelineRuns('table', 50)),
  provenanceGraph()
    .title('Pipeline graph (failed steps in red)')
    .span(12)
    .height(10)
    .withTarget(pipelineRuns('nodeGraph', 50)),
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
