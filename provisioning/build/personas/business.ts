import { DEMO_MODEL, PERSONA_LINKS, RELEASE_ANNOTATIONS, UIDS, VARIABLES } from '../common';
import { dashboard, mlsight, type PanelSpec, row, text } from '../grafana';

/**
 * The five headline numbers of the `kpis` row: the production numbers the proxy computes over the time range from
 * the drift store (the same computation as the Prometheus monitor). One query, one tile per field.
 */
const HEADLINE_FIELDS = [
  'estimated_accuracy',
  'realised_accuracy',
  'drifted_features',
  'dataset_drift_share',
  'quality_incidents',
] as const;

const headline: PanelSpec = {
  type: 'stat',
  title: 'Headline numbers over the selected range',
  description:
    "Expected accuracy (estimated from the model's confidence, no outcomes needed), confirmed accuracy (from the " +
    'outcomes received so far), inputs that changed, the share of changed inputs, and data-quality incidents.',
  size: { w: 24, h: 5 },
  targets: [mlsight({ refId: 'A', queryType: 'kpis', model: '$model', alias: '$alias' })],
  options: {
    reduceOptions: { calcs: ['lastNotNull'], fields: `/^(${HEADLINE_FIELDS.join('|')})$/`, values: false },
    colorMode: 'background',
    graphMode: 'none',
    textMode: 'value_and_name',
    orientation: 'vertical',
  },
  overrides: [
    {
      matcher: { id: 'byRegexp', options: '/accuracy$/' },
      properties: [
        {
          id: 'thresholds',
          value: {
            mode: 'absolute',
            steps: [
              { value: null, color: 'red' },
              { value: 0.7, color: 'orange' },
              { value: 0.8, color: 'green' },
            ],
          },
        },
      ],
    },
    {
      matcher: { id: 'byRegexp', options: '/^(drifted_features|dataset_drift_share|quality_incidents)$/' },
      properties: [
        {
          id: 'thresholds',
          value: {
            mode: 'absolute',
            steps: [
              { value: null, color: 'green' },
              { value: 0.0001, color: 'orange' },
              { value: 0.5, color: 'red' },
            ],
          },
        },
      ],
    },
  ],
};

const offlineAccuracy: PanelSpec = {
  type: 'stat',
  title: 'Accuracy when it was trained',
  description: 'Accuracy of the $alias version on its hold-out set, as its evaluation logged it in MLflow.',
  size: { w: 6, h: 8 },
  targets: [mlsight({ refId: 'A', queryType: 'kpis', model: '$model', alias: '$alias', metrics: ['accuracy'] })],
  options: {
    reduceOptions: { calcs: ['lastNotNull'], fields: '/^accuracy$/', values: false },
    colorMode: 'value',
    graphMode: 'none',
  },
  fieldConfig: { unit: 'percentunit', decimals: 1 },
};

const panels: PanelSpec[] = [
  text(
    'How to read this page',
    'The model that decides loan applications, in five numbers and two charts. **Green** is healthy. ' +
      "The status tile turns **red** when today's applicants no longer look like the ones the model learned from; " +
      'the accuracy chart then shows whether its decisions got worse. Ask the data-science team before acting on red.',
    { w: 24, h: 3 }
  ),
  headline,
  row('Is the model still right?'),
  {
    type: 'stat',
    title: 'Model health',
    description: 'Drifted when at least half of the inputs changed significantly over the selected time range.',
    size: { w: 6, h: 8 },
    targets: [mlsight({ refId: 'A', queryType: 'dataset_drift', model: '$model', alias: '$alias' })],
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '/^drifted$/', values: false },
      colorMode: 'background',
      graphMode: 'none',
      textMode: 'value',
    },
    fieldConfig: {
      mappings: [
        { type: 'value', options: { true: { text: 'Needs attention', color: 'red', index: 0 } } },
        { type: 'value', options: { false: { text: 'Healthy', color: 'green', index: 1 } } },
      ],
    },
  },
  offlineAccuracy,
  {
    type: 'timeseries',
    title: 'Accuracy: expected now vs confirmed by outcomes',
    description:
      "Expected accuracy is estimated from the model's own confidence (no outcomes needed); confirmed accuracy " +
      'appears once the real outcomes arrive, 1 to 3 days later.',
    size: { w: 12, h: 8 },
    targets: [
      mlsight({
        refId: 'A',
        queryType: 'estimated_performance',
        model: '$model',
        alias: '$alias',
        metrics: ['accuracy'],
      }),
      mlsight({
        refId: 'B',
        queryType: 'performance',
        model: '$model',
        alias: '$alias',
        segment: '$segment',
        metrics: ['accuracy'],
      }),
    ],
    fieldConfig: { unit: 'percentunit', min: 0, max: 1, custom: { lineWidth: 2, fillOpacity: 10 } },
  },
];

export const businessDashboard = dashboard({
  uid: UIDS.business,
  title: 'Model health at a glance',
  description: `Business view of a model such as ${DEMO_MODEL}: headline numbers, health status and accuracy trend.`,
  tags: ['business'],
  variables: [VARIABLES.model, VARIABLES.alias, VARIABLES.feature, VARIABLES.segment],
  annotations: RELEASE_ANNOTATIONS.filter((layer) => layer.name !== 'Retrains'),
  links: PERSONA_LINKS,
  panels,
});
