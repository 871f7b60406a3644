import { PERSONA_LINKS, RELEASE_ANNOTATIONS, UIDS, VARIABLES } from '../common';
import { dashboard, mlsight, type PanelSpec } from '../grafana';

/** The drill-down target of the heatmap (its default link is `/d/mlsight-feature-drift/...?var-feature=`). */
const panels: PanelSpec[] = [
  {
    type: 'timeseries',
    title: 'Drift score of $feature (threshold dashed)',
    size: { w: 12, h: 9 },
    targets: [
      mlsight({ refId: 'A', queryType: 'drift_trend', model: '$model', version: '$version', features: ['$feature'] }),
    ],
  },
  {
    type: 'table',
    title: '$feature over the range',
    size: { w: 12, h: 9 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'feature_drift',
        model: '$model',
        version: '$version',
        features: ['$feature'],
        segment: '$segment',
      }),
    ],
  },
  {
    type: 'mlsight-driftheatmap-panel',
    title: 'Categories of $feature (new and vanished ones marked)',
    description: 'For categorical features; numeric features answer with a sentence saying so.',
    size: { w: 12, h: 9 },
    targets: [
      mlsight({ refId: 'A', queryType: 'category_drift', model: '$model', version: '$version', feature: '$feature' }),
    ],
    options: { optionsVersion: 1, mode: 'category', rowOrder: 'max', drillDownUrl: '', showLegend: true, cellGap: 1 },
  },
  {
    type: 'timeseries',
    title: 'Data quality of $feature',
    size: { w: 12, h: 9 },
    targets: [
      mlsight({ refId: 'A', queryType: 'data_quality', model: '$model', version: '$version', features: ['$feature'] }),
    ],
    fieldConfig: { unit: 'percentunit' },
  },
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
