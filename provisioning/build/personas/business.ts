import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  VizOrientation,
} from '@grafana/grafana-foundation-sdk/common';
import { MappingType } from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DEMO_MODEL, PERSONA_LINKS, RELEASE_ANNOTATIONS, UIDS, VARIABLES } from '../common';
import { absoluteThresholds, dashboard, type LayoutItem, lastValue, row, text } from '../grafana';
import { mlsight } from '../mlsight';

/**
 * The five headline numbers of the `kpis` row: the production numbers the proxy computes over the time range from
 * the drift store (the same computation as the Prometheus monitor). One query, one tile per field. Grafana's field
 * matchers (reduceOptions.fields, overrides by regexp) test a field's *display name*, so these are the display
 * names the proxy gives the fields (backend-proxy/src/queries/productionKpis.ts), some with a suffix ("(CBPE)").
 */
const HEADLINE_DISPLAY_NAMES = [
  'estimated accuracy',
  'realised accuracy',
  'drifted features',
  'dataset drift share',
  'data-quality incidents',
] as const;
const COUNTS_AND_SHARES = HEADLINE_DISPLAY_NAMES.filter((n) => !n.endsWith('accuracy'));

const headline = new stat.PanelBuilder()
  .title('Headline numbers over the selected range')
  .description(
    "Expected accuracy (estimated from the model's confidence, no outcomes needed), confirmed accuracy (from the " +
      'outcomes received so far), inputs that changed, the share of changed inputs, and data-quality incidents.'
  )
  .span(24)
  .height(5)
  .withTarget(mlsight({ refId: 'A', queryType: 'kpis', model: '$model', alias: '$alias' }))
  .reduceOptions(lastValue(`/^(${HEADLINE_DISPLAY_NAMES.join('|')})/`))
  .colorMode(BigValueColorMode.Background)
  .graphMode(BigValueGraphMode.None)
  .textMode(BigValueTextMode.ValueAndName)
  .orientation(VizOrientation.Vertical)
  .overrideByRegexp('/^(estimated|realised) accuracy/', [
    {
      id: 'thresholds',
      value: absoluteThresholds([
        { value: null, color: 'red' },
        { value: 0.7, color: 'orange' },
        { value: 0.8, color: 'green' },
      ]).build(),
    },
  ])
  .overrideByRegexp(`/^(${COUNTS_AND_SHARES.join('|')})/`, [
    {
      id: 'thresholds',
      value: absoluteThresholds([
        { value: null, color: 'green' },
        { value: 0.0001, color: 'orange' },
        { value: 0.5, color: 'red' },
      ]).build(),
    },
  ]);

const modelHealth = new stat.PanelBuilder()
  .title('Model health')
  .description('Drifted when at least half of the inputs changed significantly over the selected time range.')
  .span(6)
  .height(8)
  .withTarget(mlsight({ refId: 'A', queryType: 'dataset_drift', model: '$model', alias: '$alias' }))
  .reduceOptions(lastValue('/^drifted$/'))
  .colorMode(BigValueColorMode.Background)
  .graphMode(BigValueGraphMode.None)
  .textMode(BigValueTextMode.Value)
  .mappings([
    { type: MappingType.ValueToText, options: { true: { text: 'Needs attention', color: 'red', index: 0 } } },
    { type: MappingType.ValueToText, options: { false: { text: 'Healthy', color: 'green', index: 1 } } },
  ]);

const offlineAccuracy = new stat.PanelBuilder()
  .title('Accuracy when it was trained')
  .description('Accuracy of the $alias version on its hold-out set, as its evaluation logged it in MLflow.')
  .span(6)
  .height(8)
  .withTarget(mlsight({ refId: 'A', queryType: 'kpis', model: '$model', alias: '$alias', metrics: ['accuracy'] }))
  .reduceOptions(lastValue('/^accuracy$/'))
  .colorMode(BigValueColorMode.Value)
  .graphMode(BigValueGraphMode.None)
  .unit('percentunit')
  .decimals(1);

const accuracyTrend = new timeseries.PanelBuilder()
  .title('Accuracy: expected now vs confirmed by outcomes')
  .description(
    "Expected accuracy is estimated from the model's own confidence (no outcomes needed); confirmed accuracy " +
      'appears once the real outcomes arrive, 1 to 3 days later.'
  )
  .span(12)
  .height(8)
  .withTarget(
    mlsight({
      refId: 'A',
      queryType: 'estimated_performance',
      model: '$model',
      alias: '$alias',
      metrics: ['accuracy'],
    })
  )
  .withTarget(
    mlsight({
      refId: 'B',
      queryType: 'performance',
      model: '$model',
      alias: '$alias',
      segment: '$segment',
      metrics: ['accuracy'],
    })
  )
  .unit('percentunit')
  .min(0)
  .max(1)
  .lineWidth(2)
  .fillOpacity(10);

const panels: LayoutItem[] = [
  text(
    'How to read this page',
    'The model that decides loan applications, in five numbers and two charts. **Green** is healthy. ' +
      "The status tile turns **red** when today's applicants no longer look like the ones the model learned from; " +
      'the accuracy chart then shows whether its decisions got worse. Ask the data-science team before acting on red.',
    { w: 24, h: 3 }
  ),
  headline,
  row('Is the model still right?'),
  modelHealth,
  offlineAccuracy,
  accuracyTrend,
];

export const businessDashboard = dashboard({
  uid: UIDS.business,
  title: 'Model health at a glance',
  description: `Business view of a model such as ${DEMO_MODEL}: headline numbers, health status and accuracy trend.`,
  tags: ['business'],
  variables: [VARIABLES.model, VARIABLES.alias, VARIABLES.feature, VARIABLES.segment],
  annotations: RELEASE_ANNOTATIONS.filter((layer) => layer.build().name !== 'Retrains'),
  links: PERSONA_LINKS,
  panels,
});
