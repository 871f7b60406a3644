/**
 * Grafana-managed alert rules that query MLSight itself (its Go backend answers Grafana's alerting engine), beside
 * the Prometheus-based rules of provisioning/alerting/mlsight-alerts.yaml (written by hand). Written to
 * provisioning/alerting/mlsight-direct-alerts.yaml by generate.ts, so every MLSight query in a rule is typed by the
 * contract (`QueryOf`) and the file cannot drift from it.
 *
 * Each data query asks for `format: "alerting"`: one numeric-data frame (string fields → labels, one number), the
 * shape Grafana's server-side expressions read without a Reduce (contract/src/alertFrames.ts). The queries name no
 * model: they watch the data source's default model (`defaultModel`, MLSIGHT_DEFAULT_MODEL), which the Go backend
 * fills in as the frontend does; copy a rule with `model` set for every other model.
 */
import type { AlertValue, AlertingQueryType, QueryOf } from '@mlsight/contract';
import { stringify } from 'yaml';
import { UIDS } from './common';
import { MLSIGHT_DATASOURCE } from './dataSources';

export const DIRECT_ALERTS_FILE = 'mlsight-direct-alerts.yaml';
export const DIRECT_ALERTS_FOLDER = 'MLSight alerts';

/** An MLSight query of a rule: the contract's query of an alerting type, in the alerting format, without a model. */
type AlertQuery<T extends AlertingQueryType> = Omit<QueryOf<T>, 'model' | 'refId' | 'format' | 'alertValue'>;

interface DataQuery {
  refId: string;
  relativeTimeRange: { from: number; to: number };
  datasourceUid: string;
  model: Record<string, unknown>;
}

interface ExpressionQuery {
  refId: string;
  datasourceUid: '__expr__';
  model: Record<string, unknown>;
}

export interface AlertRule {
  uid: string;
  title: string;
  condition: string;
  data: Array<DataQuery | ExpressionQuery>;
  noDataState: 'OK' | 'NoData' | 'Alerting' | 'KeepLast';
  execErrState: 'OK' | 'Error' | 'Alerting' | 'KeepLast';
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  isPaused: boolean;
}

/** Seconds before the evaluation time. */
const HOUR_S = 3600;

/**
 * One MLSight query of a rule over the `windowS` seconds before the evaluation. `intervalMs` and `maxDataPoints` are
 * what Grafana's rule editor saves with every query (the alerting format answers one row per label set either way).
 */
function mlsight<T extends AlertingQueryType>(
  refId: string,
  windowS: number,
  query: AlertQuery<T> & { queryType: T },
  alertValue: AlertValue<T>
): DataQuery {
  return {
    refId,
    relativeTimeRange: { from: windowS, to: 0 },
    datasourceUid: MLSIGHT_DATASOURCE.uid,
    model: {
      refId,
      datasource: MLSIGHT_DATASOURCE,
      ...query,
      format: 'alerting',
      alertValue,
      intervalMs: 1000,
      maxDataPoints: 43200,
    },
  };
}

/** Grafana's threshold expression (pkg/expr/threshold.go): 1 where `input` is above `value`, else 0. */
function thresholdAbove(refId: string, input: string, value: number): ExpressionQuery {
  return {
    refId,
    datasourceUid: '__expr__',
    model: {
      refId,
      type: 'threshold',
      expression: input,
      conditions: [{ evaluator: { type: 'gt', params: [value] } }],
    },
  };
}

/** Grafana's math expression (pkg/expr/mathexp): `$REF` operands, joined on their labels. */
function math(refId: string, expression: string): ExpressionQuery {
  return { refId, datasourceUid: '__expr__', model: { refId, type: 'math', expression } };
}

/** The drift window: six hours, so a pager's verdict rests on some hundred rows even at night. */
const DRIFT_WINDOW_S = 6 * HOUR_S;
/**
 * A pager's false-alarm rate per feature and evaluation (the heatmap's default is 0.01): a healthy model should
 * page about once in a thousand windows per feature, not once in a hundred.
 */
const DRIFT_FALSE_ALARM_RATE = 0.001;
const drift: AlertQuery<'feature_drift'> & { queryType: 'feature_drift' } = {
  queryType: 'feature_drift',
  falseAlarmRate: DRIFT_FALSE_ALARM_RATE,
};

/** CBPE over the last six hours against the accuracy realised on the labelled reference it was fitted on. */
const CBPE_WINDOW_S = 6 * HOUR_S;
/** A drop of more than this (accuracy points, 0..1) against the reference pages. */
export const ACCURACY_DROP = 0.05;
const cbpe: AlertQuery<'estimated_performance'> & { queryType: 'estimated_performance' } = {
  queryType: 'estimated_performance',
  metrics: ['accuracy'],
};

/** No row accepted for longer than this (seconds) pages. */
export const STALE_AFTER_S = 3600;

export const DIRECT_RULES: AlertRule[] = [
  {
    uid: 'mlsight-direct-feature-drift',
    title: 'MLSightDirectFeatureDrift',
    condition: 'ALERT',
    data: [
      mlsight('DRIFTED', DRIFT_WINDOW_S, drift, 'drifted'),
      mlsight('SCORE', DRIFT_WINDOW_S, drift, 'score'),
      mlsight('THRESHOLD', DRIFT_WINDOW_S, drift, 'threshold'),
      mlsight('SAMPLE', DRIFT_WINDOW_S, drift, 'current_n'),
      mlsight('REFERENCE', DRIFT_WINDOW_S, drift, 'reference_n'),
      thresholdAbove('ALERT', 'DRIFTED', 0.5),
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: '10m',
    labels: { severity: 'warning', team: 'ml', source: 'mlsight' },
    annotations: {
      summary: 'Feature {{ $labels.feature }} of {{ $labels.model }} drifted ({{ $labels.method }})',
      description:
        'Feature {{ $labels.feature }} of model {{ $labels.model }}: statistic {{ $labels.method }} = ' +
        '{{ humanize $values.SCORE.Value }}, threshold {{ humanize $values.THRESHOLD.Value }}, on ' +
        '{{ $values.SAMPLE.Value }} rows of the last 6 hours against {{ $values.REFERENCE.Value }} reference rows.',
      feature: '{{ $labels.feature }}',
      statistic: '{{ $labels.method }}',
      value: '{{ $values.SCORE.Value }}',
      threshold: '{{ $values.THRESHOLD.Value }}',
      sample_size: '{{ $values.SAMPLE.Value }}',
      runbook_url: `/d/${UIDS.featureDrift}/feature-drift?var-model={{ $labels.model }}&var-feature={{ $labels.feature }}`,
      __dashboardUid__: UIDS.dataScientist,
      __panelId__: '2',
    },
    isPaused: false,
  },
  {
    uid: 'mlsight-direct-accuracy-drop',
    title: 'MLSightDirectEstimatedAccuracyDrop',
    condition: 'ALERT',
    data: [
      mlsight('ESTIMATE', CBPE_WINDOW_S, cbpe, 'estimate'),
      mlsight('REFERENCE', CBPE_WINDOW_S, cbpe, 'reference'),
      mlsight('ROWS', CBPE_WINDOW_S, cbpe, 'rows'),
      math('ALERT', `$REFERENCE - $ESTIMATE > ${ACCURACY_DROP}`),
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: '15m',
    labels: { severity: 'critical', team: 'ml', source: 'mlsight' },
    annotations: {
      summary: 'Estimated accuracy of {{ $labels.model }} dropped against its reference',
      description:
        'CBPE estimates {{ $labels.metric }} {{ humanizePercentage $values.ESTIMATE.Value }} for {{ $labels.model }} ' +
        'over the last 6 hours ({{ $values.ROWS.Value }} scored rows, no labels needed), against ' +
        '{{ humanizePercentage $values.REFERENCE.Value }} realised on the labelled reference CBPE was fitted on.',
      statistic: 'estimated {{ $labels.metric }} (CBPE)',
      value: '{{ $values.ESTIMATE.Value }}',
      threshold: `reference {{ $labels.metric }} - ${ACCURACY_DROP}`,
      sample_size: '{{ $values.ROWS.Value }}',
      __dashboardUid__: UIDS.business,
      __panelId__: '6',
    },
    isPaused: false,
  },
  {
    uid: 'mlsight-direct-stale-data',
    title: 'MLSightDirectStaleData',
    condition: 'ALERT',
    data: [
      mlsight('AGE', HOUR_S, { queryType: 'data_quality' }, 'freshness'),
      thresholdAbove('ALERT', 'AGE', STALE_AFTER_S),
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: '5m',
    labels: { severity: 'warning', team: 'data', source: 'mlsight' },
    annotations: {
      summary: 'No new predictions for {{ $labels.model }}',
      description:
        'The MLSight drift store last accepted rows for {{ $labels.model }} ' +
        `{{ humanizeDuration $values.AGE.Value }} ago (threshold ${STALE_AFTER_S / 3600}h).`,
      statistic: 'seconds since the last ingested row',
      value: '{{ $values.AGE.Value }}',
      threshold: String(STALE_AFTER_S),
      __dashboardUid__: UIDS.dataEngineer,
      __panelId__: '3',
    },
    isPaused: false,
  },
];

/** The provisioning document: one group, evaluated every minute. */
export function directAlertsDocument(): Record<string, unknown> {
  return {
    apiVersion: 1,
    groups: [{ orgId: 1, name: 'mlsight-direct', folder: DIRECT_ALERTS_FOLDER, interval: '1m', rules: DIRECT_RULES }],
  };
}

const HEADER = `# Grafana-managed alert rules that query the MLSight data source directly (its Go backend), beside the
# Prometheus-based rules of mlsight-alerts.yaml. Generated by provisioning/build/directAlerts.ts (npm run
# provisioning); do not edit by hand. Each MLSight query asks for format "alerting": one numeric-data frame
# (string fields become labels, one number), which Grafana's server-side expressions read without a Reduce. The
# queries name no model: they watch the data source's default model (MLSIGHT_DEFAULT_MODEL).
`;

/** The file's content exactly as committed. */
export function renderDirectAlerts(): string {
  return HEADER + stringify(directAlertsDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
}
