import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DataFrameJSON,
  DRIFT_TARGET_ROWS,
  type DriftFieldCustom,
  fieldValues,
  type QueryOf,
} from '@mlsight/contract';
import { loadConfig } from '../../config/config';
import { fitDrift } from '../../stats';
import { categoricalSample, normalSample, seededRandom } from '../../stats/testRandom';
import { mlflowFromConfig } from '../../server/mlflowFromConfig';
import { openSqliteStore } from '../../store/sqliteStore';
import type { DriftStore } from '../../store/types';
import type { QueryContext } from '../context';
import { toMetricsProfile } from './adapters';
import { driftHeatmapHandler } from './driftHandlers';
import { targetDriftHandler } from './targetDrift';

const HOUR = 3_600_000;
const END = Math.floor(Date.now() / HOUR) * HOUR;
const HOURS = 6;
const PER_HOUR = 200;
/** From this hour on the model approves less and more of its applicants default. */
const SHIFT_HOUR = 3;
const START = END - HOURS * HOUR;

const rand = seededRandom(11);
const reference = Array.from({ length: 2000 }, () => ({
  features: { x: normalSample(rand, 1)[0] ?? 0 },
  prediction: categoricalSample(rand, 1, ['approve', 'decline'], [0.7, 0.3])[0],
  label: rand() < 0.3 ? 1 : 0,
}));
const traffic = Array.from({ length: HOURS * PER_HOUR }, (_, i) => {
  const hour = Math.floor(i / PER_HOUR);
  const shifted = hour >= SHIFT_HOUR;
  return {
    prediction_id: `p-${i}`,
    timestamp: START + hour * HOUR + (i % PER_HOUR) * 10_000,
    features: { x: normalSample(rand, 1)[0] ?? 0 },
    prediction: categoricalSample(rand, 1, ['approve', 'decline'], shifted ? [0.4, 0.6] : [0.7, 0.3])[0],
    label: rand() < (shifted ? 0.6 : 0.3) ? 1 : 0,
  };
});

let dir: string;
let store: DriftStore;

function context(fromMs = START, toMs = END, intervalMs = HOUR): QueryContext {
  const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
  return {
    window: { fromMs, toMs, intervalMs, maxDataPoints: 1000 },
    mlflow: mlflowFromConfig(config.mlflow),
    mlflowCall: {},
    store,
    config,
    log: { info: () => undefined } as unknown as QueryContext['log'],
  } as QueryContext;
}

const hourOf = (row: { timestamp: number }) => Math.floor((row.timestamp - START) / HOUR);

/** A score field's verdict facts (a `DriftFieldCustom` by the contract). */
const customOf = (f: { config?: { custom?: unknown } } | undefined) => f?.config?.custom as DriftFieldCustom;

function field(frame: DataFrameJSON, name: string, label?: [string, string]) {
  const i = frame.schema.fields.findIndex(
    (f) => f.name === name && (label === undefined || f.labels?.[label[0]] === label[1])
  );
  if (i < 0) throw new Error(`${frame.schema.name}: no field ${name} ${label?.join('=') ?? ''}`);
  return { field: frame.schema.fields[i], values: frame.data.values[i] ?? [] };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlsight-target-drift-'));
  store = await openSqliteStore(join(dir, 'store.db'));
  await store.putReference('m', { rows: reference, predictionKind: 'categorical', labelKind: 'numeric' });
  await store.ingestPredictions('m', traffic);
  await store.ingestLabels(
    'm',
    traffic.map((r) => ({ prediction_id: r.prediction_id, label: r.label, timestamp: r.timestamp + 60_000 }))
  );
  await store.putReference('unlabelled', {
    rows: reference.map(({ features, prediction }) => ({ features, prediction })),
    predictionKind: 'categorical',
  });
  await store.ingestPredictions('unlabelled', traffic);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('prediction_drift', () => {
  const query = { refId: 'A', queryType: 'prediction_drift', model: 'm', method: 'jensenshannon' } as const;

  it('answers a per-bucket frame and a whole-window row', async () => {
    const frames = await targetDriftHandler(query, context());
    expect(frames.map((f) => f.schema.name)).toEqual(['prediction_drift', 'prediction_drift_window']);
    const [trend] = frames as [DataFrameJSON];
    expect(trend.schema.fields.map((f) => f.name)).toEqual(['time', 'score', 'threshold']);
    expect(fieldValues(trend, 'time')).toEqual(Array.from({ length: HOURS }, (_, h) => START + h * HOUR));
  });

  it("scores each bucket as the drift method does on that bucket's predictions", async () => {
    const [trend] = (await targetDriftHandler(query, context())) as [DataFrameJSON];
    const column = (await store.getReference('m'))?.prediction;
    if (!column) throw new Error('no reference prediction column');
    const fitted = fitDrift('jensenshannon', toMetricsProfile(column));
    const scores = field(trend, 'score').values;
    for (let h = 0; h < HOURS; h++) {
      const values = traffic.filter((r) => hourOf(r) === h).map((r) => String(r.prediction));
      expect(scores[h]).toBeCloseTo(fitted.calculate({ values }).score ?? Number.NaN, 12);
    }
    const custom = customOf(field(trend, 'score').field);
    expect(custom.rows).toEqual(Array.from({ length: HOURS }, () => PER_HOUR));
    expect(custom.thresholdMode).toBe('calibrated');
    expect(field(trend, 'threshold').values).toEqual(custom.thresholds);
    // The approval share moves .7 → .4 at SHIFT_HOUR: calm before, flagged after.
    expect(custom.drifted).toEqual([false, false, false, true, true, true]);
  });

  it('judges the whole window once, on every prediction in it', async () => {
    const [, window] = (await targetDriftHandler(query, context())) as [DataFrameJSON, DataFrameJSON];
    expect(fieldValues(window, 'target')).toEqual(['prediction']);
    expect(fieldValues(window, 'current_n')).toEqual([HOURS * PER_HOUR]);
    expect(fieldValues(window, 'reference_n')).toEqual([reference.length]);
    expect(fieldValues(window, 'drifted')).toEqual([true]);
    const [, calm] = (await targetDriftHandler(query, context(START, START + SHIFT_HOUR * HOUR))) as [
      DataFrameJSON,
      DataFrameJSON,
    ];
    expect(fieldValues(calm, 'verdict')).toEqual(['no drift']);
  });
});

describe('label_drift', () => {
  const query = { refId: 'A', queryType: 'label_drift', model: 'm' } as QueryOf<'label_drift'>;

  it('scores binary numeric labels from their raw values (sketches keep no value counts), bucketed by prediction time', async () => {
    const reads = jest.spyOn(store, 'getLabeledPredictions');
    const [trend, window] = (await targetDriftHandler(query, context())) as [DataFrameJSON, DataFrameJSON];
    expect(reads).toHaveBeenCalled();
    reads.mockRestore();
    const column = (await store.getReference('m'))?.label;
    if (!column) throw new Error('no reference label column');
    const custom = customOf(field(trend, 'score').field);
    const fitted = fitDrift('auto', toMetricsProfile(column));
    const scores = field(trend, 'score').values;
    for (let h = 0; h < HOURS; h++) {
      const values = traffic.filter((r) => hourOf(r) === h).map((r) => r.label);
      const expected = fitted.calculate({ values });
      expect(custom.method).toBe(expected.method);
      expect(scores[h]).toBeCloseTo(expected.score ?? Number.NaN, 12);
    }
    expect(custom.drifted).toEqual([false, false, false, true, true, true]);
    expect(fieldValues(window, 'drifted')).toEqual([true]);
  });

  it('answers a notice instead of failing when the reference has no label column', async () => {
    const frames = await targetDriftHandler({ ...query, model: 'unlabelled' }, context());
    expect(frames.map((f) => f.schema.name)).toEqual(['label_drift', 'label_drift_window']);
    expect(frames.every((f) => (f.data.values[0] ?? []).length === 0)).toBe(true);
    const notice = frames[0]?.schema.meta?.notices?.[0];
    expect(notice?.severity).toBe('warning');
    expect(notice?.text).toContain('has no label column');
  });
});

describe('drift_heatmap with includeTargets', () => {
  const heatmap = { refId: 'A', queryType: 'drift_heatmap', model: 'm' } as QueryOf<'drift_heatmap'>;
  const rowsOf = (frame: DataFrameJSON) =>
    frame.schema.fields.filter((f) => f.name === 'score').map((f) => f.labels?.feature);

  it('adds the prediction and label rows below the features, with the verdicts of the target queries', async () => {
    const [frame] = (await driftHeatmapHandler({ ...heatmap, includeTargets: true }, context())) as [DataFrameJSON];
    expect(rowsOf(frame)).toEqual(['x', DRIFT_TARGET_ROWS.prediction, DRIFT_TARGET_ROWS.label]);
    const [trend] = (await targetDriftHandler(
      { refId: 'A', queryType: 'prediction_drift', model: 'm' },
      context()
    )) as [DataFrameJSON];
    const row = field(frame, 'score', ['feature', DRIFT_TARGET_ROWS.prediction]);
    expect(row.values).toEqual(field(trend, 'score').values);
    expect(customOf(row.field).drifted).toEqual(customOf(field(trend, 'score').field).drifted);
  });

  it('leaves them out by default', async () => {
    const [frame] = (await driftHeatmapHandler(heatmap, context())) as [DataFrameJSON];
    expect(rowsOf(frame)).toEqual(['x']);
  });

  it('says why a target row is missing', async () => {
    const [frame] = (await driftHeatmapHandler(
      { ...heatmap, model: 'unlabelled', includeTargets: true },
      context()
    )) as [DataFrameJSON];
    expect(rowsOf(frame)).toEqual(['x', DRIFT_TARGET_ROWS.prediction]);
    expect(frame.schema.meta?.notices?.map((n) => n.text).join(' ')).toContain('has no label column');
  });
});
