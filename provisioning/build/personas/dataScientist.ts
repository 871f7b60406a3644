import { PERSONA_LINKS, RELEASE_ANNOTATIONS, textbox, UIDS, VARIABLES } from '../common';
import { dashboard, mlsight, type PanelSpec, row } from '../grafana';

/** The heatmap's cells open the feature-drift dashboard for that feature and bucket. */
const DRILL_DOWN =
  '/d/' + UIDS.featureDrift + '/feature-drift?var-model=${model}&var-feature=${feature}&from=${from}&to=${to}';

const FAIRNESS_ATTRIBUTE = textbox(
  'attribute',
  'Fairness attribute',
  'region',
  'Segment field the fairness table groups by (a key of the ingested `segment` object).'
);
const PREDICTION_ID = textbox(
  'prediction_id',
  'Prediction id',
  'cr-d29-000001',
  'Prediction whose local explanation is shown (the demo story names them cr-d<day>-<row>).'
);

const panels: PanelSpec[] = [
  row('Drift'),
  {
    type: 'mlsight-driftheatmap-panel',
    title: 'Feature drift heatmap',
    description: 'Drift score per feature and time bucket; click a cell for the feature-drift view.',
    size: { w: 24, h: 10 },
    targets: [
      mlsight({ refId: 'A', queryType: 'drift_heatmap', model: '$model', version: '$version', segment: '$segment' }),
    ],
    options: {
      optionsVersion: 1,
      mode: 'drift',
      rowOrder: 'max',
      drillDownUrl: DRILL_DOWN,
      showLegend: true,
      cellGap: 1,
    },
  },
  {
    type: 'table',
    title: 'Feature drift over the range',
    description: 'Method, score, p-value (Benjamini-Hochberg adjusted), effect size, threshold and sample sizes.',
    size: { w: 16, h: 10 },
    targets: [
      mlsight({ refId: 'A', queryType: 'feature_drift', model: '$model', version: '$version', segment: '$segment' }),
    ],
    options: { showHeader: true, sortBy: [{ displayName: 'score', desc: true }] },
    links: [
      {
        title: 'Feature drift view',
        url: '/d/' + UIDS.featureDrift + '/feature-drift?var-model=${model}&${__url_time_range}',
      },
    ],
  },
  {
    type: 'stat',
    title: 'Dataset drift',
    description: 'Share of drifted features; the dataset drifts when it reaches the configured share (50%).',
    size: { w: 8, h: 10 },
    targets: [mlsight({ refId: 'A', queryType: 'dataset_drift', model: '$model', version: '$version' })],
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '/^(drift_share|drifted_features)$/', values: false } },
  },
  {
    type: 'timeseries',
    title: 'Drift trend: $feature',
    size: { w: 12, h: 8 },
    targets: [
      mlsight({ refId: 'A', queryType: 'drift_trend', model: '$model', version: '$version', features: ['$feature'] }),
    ],
  },
  {
    type: 'timeseries',
    title: 'Category shares: $feature (categorical features)',
    description: 'Share of each category per bucket; categories new since the reference are labelled status=new.',
    size: { w: 12, h: 8 },
    targets: [
      mlsight({ refId: 'A', queryType: 'category_drift', model: '$model', version: '$version', feature: '$feature' }),
    ],
    fieldConfig: { unit: 'percentunit', custom: { stacking: { mode: 'normal' }, fillOpacity: 60 } },
  },
  row('Performance'),
  {
    type: 'timeseries',
    title: 'Realised performance (labelled predictions)',
    size: { w: 12, h: 8 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'performance',
        model: '$model',
        version: '$version',
        segment: '$segment',
        metrics: ['accuracy', 'roc_auc', 'f1'],
      }),
    ],
    fieldConfig: { unit: 'percentunit', min: 0, max: 1 },
  },
  {
    type: 'timeseries',
    title: 'Estimated vs realised accuracy (CBPE, ±3 SE band)',
    size: { w: 12, h: 8 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'estimated_performance',
        model: '$model',
        version: '$version',
        metrics: ['accuracy', 'roc_auc'],
      }),
    ],
    fieldConfig: { unit: 'percentunit', min: 0, max: 1 },
  },
  {
    type: 'table',
    title: 'Champion vs challenger',
    description: 'The same metrics for both aliases over the range, the difference and its significance.',
    size: { w: 12, h: 8 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'champion_challenger',
        model: '$model',
        champion: 'champion',
        challenger: 'challenger',
      }),
    ],
  },
  {
    type: 'table',
    title: 'Fairness by $attribute',
    description: 'Selection rate, true-positive rate, demographic parity and equal-opportunity differences, 80% rule.',
    size: { w: 12, h: 8 },
    targets: [
      mlsight({ refId: 'A', queryType: 'fairness', model: '$model', version: '$version', segment: '$attribute' }),
    ],
  },
  row('Explanations'),
  {
    type: 'mlsight-explanations-panel',
    title: 'Global importance (mean |SHAP|)',
    size: { w: 8, h: 10 },
    targets: [
      mlsight({ refId: 'A', queryType: 'explanations_global', model: '$model', version: '$version', topN: 15 }),
    ],
    options: {
      optionsVersion: 1,
      view: 'global',
      topN: 15,
      sort: 'magnitude',
      valueMode: 'absolute',
      showValues: true,
    },
  },
  {
    type: 'mlsight-explanations-panel',
    title: 'Local explanation: $prediction_id',
    size: { w: 8, h: 10 },
    targets: [
      mlsight({ refId: 'A', queryType: 'explanations_local', model: '$model', predictionId: '$prediction_id' }),
    ],
    options: { optionsVersion: 1, view: 'local', topN: 15, sort: 'magnitude', valueMode: 'signed', showValues: true },
  },
  {
    type: 'mlsight-explanations-panel',
    title: 'Explanation drift vs reference',
    size: { w: 8, h: 10 },
    targets: [mlsight({ refId: 'A', queryType: 'explanation_drift', model: '$model', version: '$version', topN: 15 })],
    options: {
      optionsVersion: 1,
      view: 'global',
      topN: 15,
      sort: 'magnitude',
      valueMode: 'absolute',
      showValues: true,
    },
  },
];

export const dataScientistDashboard = dashboard({
  uid: UIDS.dataScientist,
  title: 'Data scientist: drift, performance, explanations',
  description: 'Why the model behaves as it does: feature drift, realised and estimated performance, fairness, SHAP.',
  tags: ['data-scientist'],
  variables: [
    VARIABLES.model,
    VARIABLES.version,
    VARIABLES.feature,
    VARIABLES.segment,
    FAIRNESS_ATTRIBUTE,
    PREDICTION_ID,
  ],
  annotations: RELEASE_ANNOTATIONS,
  links: PERSONA_LINKS,
  panels,
});
