import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PERSONA_LINKS, RELEASE_ANNOTATIONS, UIDS, VARIABLES } from '../common';
import { dashboard, type LayoutItem } from '../grafana';
import { mlsight, MLSightPanelBuilder } from '../mlsight';

/** The drill-down target of the heatmap (its default link is `/d/mlsight-feature-drift/...?var-feature=`). */
const panels: LayoutItem[] = [
  new timeseries.PanelBuilder()
    .title('Drift score of $feature (threshold dashed)')
    .span(12)
    .height(9)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'drift_trend', model: '$model', version: '$version', features: ['$feature'] })
    ),
  new table.PanelBuilder()
    .title('$feature over the range')
    .span(12)
    .height(9)
    .withTarget(
      mlsight({
        refId: 'A',
        queryType: 'feature_drift',
        model: '$model',
        version: '$version',
        features: ['$feature'],
        segment: '$segment',
      })
    ),
  new MLSightPanelBuilder('mlsight-driftheatmap-panel', {
    optionsVersion: 1,
    mode: 'category',
    rowOrder: 'max',
    drillDownUrl: '',
    showLegend: true,
    cellGap: 1,
  })
    .title('Categories of $feature (new and vanished ones marked)')
    .description('For categorical features; numeric features answer with a sentence saying so.')
    .span(12)
    .height(9)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'category_drift', model: '$model', version: '$version', feature: '$feature' })
    ),
  new timeseries.PanelBuilder()
    .title('Data quality of $feature')
    .span(12)
    .height(9)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'data_quality', model: '$model', version: '$version', features: ['$feature'] })
    )
    .unit('percentunit'),
];

export const featureDriftDashboard = dashboard({
  uid: UIDS.featureDrift,
  title: 'Feature drift',
  description: 'One feature in detail: its drift trend, statistics, categories and data quality.',
  tags: ['data-scientist', 'drill-down'],
  variables: [VARIABLES.model, VARIABLES.version, VARIABLES.feature, VARIABLES.segment],
  annotations: RELEASE_ANNOTATIONS,
  links: PERSONA_LINKS,
  panels,
});
