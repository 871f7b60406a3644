import { FieldType, type DataFrame, type Field } from '@grafana/data';
import {
  FLEET_DRIFT_SHARE_FRAME as DRIFT_SHARE_FIELDS,
  FLEET_FRAME as FLEET_FIELDS,
  FLEET_STATUS_FILTERS,
  type FleetStatus,
  type FleetStatusFilter,
} from '@mlsight/contract';

export { FLEET_STATUSES, FLEET_STATUS_FILTERS, type FleetStatus, type FleetStatusFilter } from '@mlsight/contract';

/** The names of the `fleet` query's two frames (their fields are the contract's `FLEET_FRAME`). */
export const FLEET_FRAME = FLEET_FIELDS.name;
export const FLEET_DRIFT_SHARE_FRAME = DRIFT_SHARE_FIELDS.name;

export interface FleetFilter {
  search: string;
  status: FleetStatusFilter;
}

/** The sparkline column the app adds: the model's drift share per bucket, as a frame per row. */
export const DRIFT_TREND_FIELD = 'drift_share_trend';

const ATTENTION: ReadonlySet<string> = new Set<FleetStatus>(['critical', 'warning']);

export function isFleetStatusFilter(value: unknown): value is FleetStatusFilter {
  return typeof value === 'string' && (FLEET_STATUS_FILTERS as readonly string[]).includes(value);
}

function fieldOf(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

/** The frame of a query answer by its name (the proxy names its frames), else undefined. */
export function frameNamed(series: DataFrame[], name: string): DataFrame | undefined {
  return series.find((frame) => frame.name === name);
}

function matches(model: string, status: string, filter: FleetFilter): boolean {
  const search = filter.search.trim().toLowerCase();
  if (search !== '' && !model.toLowerCase().includes(search)) return false;
  if (filter.status === 'attention') return ATTENTION.has(status);
  if (filter.status === 'ok') return status === 'ok';
  return true;
}

/** Row indices of the models the filter keeps, worst first (`attention` descending, then model name). */
export function fleetRowOrder(frame: DataFrame, filter: FleetFilter): number[] {
  const models = fieldOf(frame, 'model')?.values ?? [];
  const statuses = fieldOf(frame, 'status')?.values ?? [];
  const attention = fieldOf(frame, 'attention')?.values ?? [];
  const score = (i: number) => (typeof attention[i] === 'number' ? attention[i] : Number.NEGATIVE_INFINITY);
  return models
    .map((_, i) => i)
    .filter((i) => matches(String(models[i] ?? ''), String(statuses[i] ?? ''), filter))
    .sort((a, b) => score(b) - score(a) || String(models[a]).localeCompare(String(models[b])));
}

/** Each model's drift-share points from `fleet_drift_share` (long: time, model, drift_share), in time order. */
export function driftShareByModel(trend: DataFrame | undefined): Map<string, { time: number[]; share: number[] }> {
  const byModel = new Map<string, { time: number[]; share: number[] }>();
  if (!trend) return byModel;
  const time = fieldOf(trend, 'time')?.values ?? [];
  const model = fieldOf(trend, 'model')?.values ?? [];
  const share = fieldOf(trend, 'drift_share')?.values ?? [];
  const order = time.map((_, i) => i).sort((a, b) => Number(time[a]) - Number(time[b]));
  for (const i of order) {
    const name = String(model[i] ?? '');
    const points = byModel.get(name) ?? { time: [], share: [] };
    points.time.push(Number(time[i]));
    points.share.push(typeof share[i] === 'number' ? share[i] : Number.NaN);
    byModel.set(name, points);
  }
  return byModel;
}

/**
 * The fleet table's frame: the rows the filter keeps, worst first, with a sparkline column (a frame per row, as
 * Grafana's time-series-to-table transformation makes for the table's sparkline cell) after `drift_share`.
 */
export function fleetTableFrame(fleet: DataFrame, trend: DataFrame | undefined, filter: FleetFilter): DataFrame {
  const order = fleetRowOrder(fleet, filter);
  const trends = driftShareByModel(trend);
  const models = fieldOf(fleet, 'model')?.values ?? [];
  const sparkline: Field = {
    name: DRIFT_TREND_FIELD,
    type: FieldType.frame,
    config: { displayName: 'Drift share trend', unit: 'percentunit', min: 0, max: 1 },
    values: order.map((i) => {
      const points = trends.get(String(models[i] ?? '')) ?? { time: [], share: [] };
      return {
        name: String(models[i] ?? ''),
        length: points.time.length,
        fields: [
          { name: 'time', type: FieldType.time, config: {}, values: points.time },
          { name: 'drift_share', type: FieldType.number, config: { unit: 'percentunit' }, values: points.share },
        ],
      } satisfies DataFrame;
    }),
  };
  const fields = fleet.fields.flatMap((field): Field[] => {
    const reordered: Field = { ...field, values: order.map((i) => field.values[i]) };
    return field.name === 'drift_share' ? [reordered, sparkline] : [reordered];
  });
  if (!fieldOf(fleet, 'drift_share')) fields.push(sparkline);
  return { ...fleet, fields, length: order.length };
}
