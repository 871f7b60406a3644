import { buildFrame, type FieldInput } from './frameBuilder';
import type { DataFrameJSON } from './frames';

/**
 * `format: "alerting"`: what a Grafana-managed alert rule can read. Grafana's server-side expressions take a data
 * source's answer as time series or as "numeric data": one frame without a time field whose string fields become
 * the labels of each row and which has exactly one number field (the row's value) — any other field (a boolean, a
 * second number) makes the frame neither, and the rule fails (pkg/expr/converter.go `isNumberTable`,
 * `extractNumberSet`; https://grafana.com/docs/grafana/latest/alerting/fundamentals/alert-rule-evaluation/).
 * The panels' frames break those rules (feature_drift has ten number fields and a boolean, data_quality two
 * frames), so these query types answer one numeric-data frame per query in this format: one row per alert
 * instance, the labels as string fields, and the one number `alertValue` picks.
 *
 * Rows whose value does not exist are left out (a feature with too few rows has no verdict), so an instance is
 * never a null that Grafana would turn into NoData.
 */
export const ALERT_VALUES = {
  /** `drifted` is the verdict as 1 / 0 (after the query's multiple-testing control), the rest its evidence. */
  feature_drift: ['drifted', 'score', 'threshold', 'p_value', 'current_n', 'reference_n'],
  /**
   * Over the whole window: the CBPE `estimate` with its ±3 SE band (`lower`, `upper`), the `reference` value
   * (realised on the labelled reference CBPE was fitted on), the `realised` value where labels arrived, and the
   * scored `rows`.
   */
  estimated_performance: ['estimate', 'lower', 'upper', 'reference', 'realised', 'rows'],
  /** `freshness`: seconds since the store last accepted rows for the model (one row); the rest per feature. */
  data_quality: ['freshness', 'missing_rate', 'out_of_range_rate', 'unseen_rate', 'type_error_rate', 'rows'],
} as const;

export type AlertingQueryType = keyof typeof ALERT_VALUES;
export type AlertValue<T extends AlertingQueryType> = (typeof ALERT_VALUES)[T][number];

/** The frame's name; its number field is named after the `alertValue`. */
export const ALERTING_FRAME_NAME = 'alerting';

/** The label fields an alerting frame may carry, in this order (a query's rows all have the same ones). */
export const ALERT_LABELS = ['model', 'version', 'alias', 'feature', 'method', 'metric'] as const;
export type AlertLabel = (typeof ALERT_LABELS)[number];

export interface AlertRow {
  labels: Partial<Record<AlertLabel, string>>;
  value: number | null;
}

/**
 * One numeric-data frame: the label fields every row has (in ALERT_LABELS order), then the value. A label some
 * rows lack is an error of the caller, not a silent empty label.
 */
export function buildAlertingFrame(valueName: string, rows: readonly AlertRow[], unit?: string): DataFrameJSON {
  const kept = rows.filter((r): r is AlertRow & { value: number } => r.value !== null && Number.isFinite(r.value));
  const first = rows[0];
  const labels = ALERT_LABELS.filter((l) => first?.labels[l] !== undefined);
  for (const row of rows) {
    const names = ALERT_LABELS.filter((l) => row.labels[l] !== undefined);
    if (names.join() !== labels.join())
      throw new Error(`buildAlertingFrame: rows carry different labels (${labels.join()} vs ${names.join()})`);
  }
  const fields: FieldInput[] = [
    ...labels.map((l): FieldInput => ({ name: l, type: 'string', values: kept.map((r) => r.labels[l] ?? '') })),
    { name: valueName, type: 'number', values: kept.map((r) => r.value), ...(unit ? { config: { unit } } : {}) },
  ];
  return buildFrame({ name: ALERTING_FRAME_NAME, meta: { preferredVisualisationType: 'table' }, fields });
}
