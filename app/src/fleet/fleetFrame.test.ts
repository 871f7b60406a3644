/** @jest-environment jsdom */
import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import {
  DRIFT_TREND_FIELD,
  driftShareByModel,
  FLEET_DRIFT_SHARE_FRAME,
  FLEET_FRAME,
  fleetRowOrder,
  fleetTableFrame,
  frameNamed,
} from './fleetFrame';

/** A `fleet` frame shaped as the contract of #16 says the proxy answers it (fields in the contract's order). */
function fleetFrame(rows: Array<{ model: string; status: string; attention: number; drift_share: number }>): DataFrame {
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
  return createDataFrame({
    name: FLEET_FRAME,
    meta: { type: 'table' as never },
    fields: [
      { name: 'model', type: FieldType.string, values: column('model') },
      { name: 'status', type: FieldType.string, values: column('status') },
      { name: 'attention', type: FieldType.number, values: column('attention') },
      { name: 'champion_version', type: FieldType.string, values: rows.map(() => '3') },
      { name: 'drift_share', type: FieldType.number, values: column('drift_share'), config: { unit: 'percentunit' } },
      { name: 'reasons', type: FieldType.string, values: rows.map((r) => `why ${r.model}`) },
    ],
  });
}

const trendFrame = createDataFrame({
  name: FLEET_DRIFT_SHARE_FRAME,
  meta: { type: 'timeseries-long' as never },
  fields: [
    { name: 'time', type: FieldType.time, values: [2000, 1000, 1000, 2000] },
    { name: 'model', type: FieldType.string, values: ['a', 'a', 'b', 'b'] },
    { name: 'drift_share', type: FieldType.number, values: [0.5, 0.25, 0, 0.1] },
  ],
});

const fleet = fleetFrame([
  { model: 'healthy', status: 'ok', attention: 0, drift_share: 0 },
  { model: 'a', status: 'critical', attention: 9, drift_share: 0.5 },
  { model: 'quiet', status: 'no_data', attention: 1, drift_share: 0 },
  { model: 'b', status: 'warning', attention: 4, drift_share: 0.1 },
]);

const valuesOf = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)?.values;

describe('fleetRowOrder', () => {
  it('puts the worst model first whatever order the rows arrive in', () => {
    expect(fleetRowOrder(fleet, { search: '', status: 'all' }).map((i) => valuesOf(fleet, 'model')?.[i])).toEqual([
      'a',
      'b',
      'quiet',
      'healthy',
    ]);
  });

  it('keeps critical and warning models for "attention", only ok ones for "ok"', () => {
    const names = (status: 'attention' | 'ok') =>
      fleetRowOrder(fleet, { search: '', status }).map((i) => valuesOf(fleet, 'model')?.[i]);
    expect(names('attention')).toEqual(['a', 'b']);
    expect(names('ok')).toEqual(['healthy']);
  });

  it('searches model names case-insensitively, ignoring surrounding spaces', () => {
    expect(fleetRowOrder(fleet, { search: '  QUI ', status: 'all' })).toEqual([2]);
  });
});

describe('driftShareByModel', () => {
  it('groups the long frame by model in time order', () => {
    expect(Object.fromEntries(driftShareByModel(trendFrame))).toEqual({
      a: { time: [1000, 2000], share: [0.25, 0.5] },
      b: { time: [1000, 2000], share: [0, 0.1] },
    });
  });
});

describe('fleetTableFrame', () => {
  const table = fleetTableFrame(fleet, trendFrame, { search: '', status: 'attention' });

  it('reorders every column together and keeps only the filtered rows', () => {
    expect(table.length).toBe(2);
    expect(valuesOf(table, 'model')).toEqual(['a', 'b']);
    expect(valuesOf(table, 'reasons')).toEqual(['why a', 'why b']);
  });

  it('adds a sparkline frame per row right after drift_share, empty for a model without points', () => {
    expect(table.fields.map((f) => f.name)).toEqual([
      'model',
      'status',
      'attention',
      'champion_version',
      'drift_share',
      DRIFT_TREND_FIELD,
      'reasons',
    ]);
    const sparkline = table.fields.find((f) => f.name === DRIFT_TREND_FIELD);
    expect(sparkline?.type).toBe(FieldType.frame);
    const first = sparkline?.values[0] as DataFrame;
    expect(first.fields.map((f) => f.values)).toEqual([
      [1000, 2000],
      [0.25, 0.5],
    ]);
    const all = fleetTableFrame(fleet, undefined, { search: '', status: 'all' });
    expect((all.fields.find((f) => f.name === DRIFT_TREND_FIELD)?.values[0] as DataFrame).length).toBe(0);
  });

  it('finds the frames of an answer by name', () => {
    expect(frameNamed([trendFrame, fleet], FLEET_FRAME)).toBe(fleet);
    expect(frameNamed([fleet], FLEET_DRIFT_SHARE_FRAME)).toBeUndefined();
  });
});
