import {
  StackingConfigBuilder,
  StackingMode,
  TableSortByFieldStateBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DATASET_DRIFT_FRAME, MULTIVARIATE_DRIFT_FRAME } from '@mlsight/contract';
import { DashboardLinkBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PERSONA_LINKS, RELEASE_ANNOTATIONS, textbox, UIDS, VARIABLES } from '../common';
import { dashboard, type LayoutItem, lastValue, row } from '../grafana';
import { mlsight, MLSightPanelBuilder } from '../mlsight';

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

/** Global importance bars: the 15 largest mean |SHAP| values. */
const GLOBAL_BARS = {
  optionsVersion: 1,
  view: 'global',
  topN: 15,
  sort: 'magnitude',
  valueMode: 'absolute',
  showValues: true,
} as const;

/**
 * The multivariate drift panel draws the error and its band; the other fields stay in the tooltip. Grafana's field
 * matchers test display names, so these are the contract's.
 */
const BAND_DISPLAY = [MULTIVARIATE_DRIFT_FRAME.lowerThresholdDisplay, MULTIVARIATE_DRIFT_FRAME.upperThresholdDisplay];
const HIDDEN_MULTIVARIATE_DISPLAY = [
  MULTIVARIATE_DRIFT_FRAME.samplingErrorDisplay,
  MULTIVARIATE_DRIFT_FRAME.alertDisplay,
  MULTIVARIATE_DRIFT_FRAME.rowsDisplay,
  MULTIVARIATE_DRIFT_FRAME.lowerConfidenceDisplay,
  MULTIVARIATE_DRIFT_FRAME.upperConfidenceDisplay,
];

const panels: LayoutItem[] = [
  row('Drift'),
  new MLSightPanelBuilder('mlsight-driftheatmap-panel', {
    optionsVersion: 1,
    mode: 'drift',
    rowOrder: 'max',
    drillDownUrl: DRILL_DOWN,
    showLegend: true,
    cellGap: 1,
  })
    .title('Feature drift heatmap')
    .description(
      'Drift score per feature and time bucket, with the prediction and the delayed label as the last rows ' +
        '(__prediction__, __label__); click a feature cell for the feature-drift view.'
    )
    .span(24)
    .height(10)
    .withTarget(
      mlsight({
        refId: 'A',
        queryType: 'drift_heatmap',
        model: '$model',
        version: '$version',
        segment: '$segment',
        includeTargets: true,
      })
    ),
  new table.PanelBuilder()
    .title('Feature drift over the range')
    .description('Method, score, p-value (Benjamini-Hochberg adjusted), effect size, threshold and sample sizes.')
    .span(16)
    .height(10)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'feature_drift', model: '$model', version: '$version', segment: '$segment' })
    )
    .showHeader(true)
    .sortBy([new TableSortByFieldStateBuilder().displayName('score').desc(true)])
    .links([
      new DashboardLinkBuilder('Feature drift view').url(
        '/d/' + UIDS.featureDrift + '/feature-drift?var-model=${model}&${__url_time_range}'
      ),
    ]),
  new stat.PanelBuilder()
    .title('Dataset drift')
    .description('Share of drifted features; the dataset drifts when it reaches the configured share (50%).')
    .span(8)
    .height(10)
    .withTarget(mlsight({ refId: 'A', queryType: 'dataset_drift', model: '$model', version: '$version' }))
    // Grafana's field matchers test display names: the share and the count, not the threshold.
    .reduceOptions(
      lastValue(`/^(${DATASET_DRIFT_FRAME.driftedFeatureShareDisplay}|${DATASET_DRIFT_FRAME.driftedFeaturesDisplay})$/`)
    ),
  new timeseries.PanelBuilder()
    .title('Drift trend: $feature')
    .span(12)
    .height(8)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'drift_trend', model: '$model', version: '$version', features: ['$feature'] })
    ),
  new timeseries.PanelBuilder()
    .title('Category shares: $feature (categorical features)')
    .description('Share of each category per bucket; categories new since the reference are labelled status=new.')
    .span(12)
    .height(8)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'category_drift', model: '$model', version: '$version', feature: '$feature' })
    )
    .unit('percentunit')
    .stacking(new StackingConfigBuilder().mode(StackingMode.Normal))
    .fillOpacity(60),
  new timeseries.PanelBuilder()
    .title('Prediction drift')
    .description(
      "Drift of the model's predictions per bucket against the reference predictions, with each bucket's own " +
        '(calibrated) threshold dashed: a changed prediction mix shows before any label arrives.'
    )
    .span(12)
    .height(8)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'prediction_drift', model: '$model', version: '$version', segment: '$segment' })
    ),
  new timeseries.PanelBuilder()
    .title('Label drift (delayed labels)')
    .description(
      'Drift of the labels that have arrived, by the time of their prediction, against the reference labels; ' +
        'recent buckets fill in as labels come.'
    )
    .span(12)
    .height(8)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'label_drift', model: '$model', version: '$version', segment: '$segment' })
    ),
  new timeseries.PanelBuilder()
    .title('Multivariate drift: PCA reconstruction error')
    .description(
      "NannyML's data reconstruction error per bucket: PCA fitted on the reference, the mean distance between each " +
        "bucket's rows and their reconstruction. It rises when the features' joint distribution changes (a broken " +
        'correlation) even if no single feature drifts; outside the reference band (dashed) the bucket alerts.'
    )
    .span(24)
    .height(8)
    .withTarget(mlsight({ refId: 'A', queryType: 'multivariate_drift', model: '$model', version: '$version' }))
    .overrideByRegexp(`/^(${BAND_DISPLAY.join('|')})$/`, [
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
      { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
    ])
    .overrideByRegexp(`/^(${HIDDEN_MULTIVARIATE_DISPLAY.join('|')})$/`, [
      { id: 'custom.hideFrom', value: { viz: true, legend: true, tooltip: false } },
    ]),
  row('Performance'),
  new timeseries.PanelBuilder()
    .title('Realised performance (labelled predictions)')
    .span(12)
    .height(8)
    .withTarget(
      mlsight({
        refId: 'A',
        queryType: 'performance',
        model: '$model',
        version: '$version',
        segment: '$segment',
        metrics: ['accuracy', 'roc_auc', 'f1'],
      })
    )
    .unit('percentunit')
    .min(0)
    .max(1),
  new timeseries.PanelBuilder()
    .title('Estimated vs realised accuracy (CBPE, ±3 SE band)')
    .span(12)
    .height(8)
    .withTarget(
      mlsight({
        refId: 'A',
        queryType: 'estimated_performance',
        model: '$model',
        version: '$version',
        metrics: ['accuracy', 'roc_auc'],
      })
    )
    .unit('percentunit')
    .min(0)
    .max(1),
  new table.PanelBuilder()
    .title('Champion vs challenger')
    .description('The same metrics for both aliases over the range, the difference and its significance.')
    .span(12)
    .height(8)
    .withTarget(
      mlsight({
        refId: 'A',
        queryType: 'champion_challenger',
        model: '$model',
        champion: 'champion',
        challenger: 'challenger',
      })
    ),
  new table.PanelBuilder()
    .title('Fairness by $attribute')
    .description('Selection rate, true-positive rate, demographic parity and equal-opportunity differences, 80% rule.')
    .span(12)
    .height(8)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'fairness', model: '$model', version: '$version', segment: '$attribute' })
    ),
  row('Explanations'),
  new MLSightPanelBuilder('mlsight-explanations-panel', GLOBAL_BARS)
    .title('Global importance (mean |SHAP|)')
    .span(8)
    .height(10)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'explanations_global', model: '$model', version: '$version', topN: 15 })
    ),
  new MLSightPanelBuilder('mlsight-explanations-panel', { ...GLOBAL_BARS, view: 'local', valueMode: 'signed' })
    .title('Local explanation: $prediction_id')
    .span(8)
    .height(10)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'explanations_local', model: '$model', predictionId: '$prediction_id' })
    ),
  new MLSightPanelBuilder('mlsight-explanations-panel', GLOBAL_BARS)
    .title('Explanation drift vs reference')
    .span(8)
    .height(10)
    .withTarget(
      mlsight({ refId: 'A', queryType: 'explanation_drift', model: '$model', version: '$version', topN: 15 })
    ),
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
