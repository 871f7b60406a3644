import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFrameJSON, QueryOf } from '@mlsight/contract';
import { loadConfig } from '../../config/config';
import { fitDrift } from '../../stats';
import { categoricalSample, normalSample, seededRandom } from '../../stats/testRandom';
import { mlflowFromConfig } from '../../server/mlflowFromConfig';
import { openSqliteStore } from '../../store/sqliteStore';
import type { DriftStore } from '../../store/types';
import type { QueryContext } from '../context';
import { toMetricsProfile } from './adapters';
import { driftHeatmapHandler, featureDriftHandler } from './driftHandlers';

const HOUR = 3_600_000;
const END = Math.floor(Date.now() / HOUR) * HOUR;
const HOURS = 6;

describe('drift_heatmap with a segment filter', () => {
  let dir: string;
  let store: DriftStore;
  const rand = seededRandom(7);
  const rows = Array.from({ length: HOURS * 120 }, (_, i) => {
    const hour = Math.floor(i / 120);
    return {
      prediction_id: `p-${i}`,
      // Spread inside the hour, including its first and last millisecond.
      timestamp: END - (HOURS - hour) * HOUR + (i % 120 === 119 ? HOUR - 1 : (i % 120) * 1000),
      features: { x: (normalSample(rand, 1, hour * 0.3, 1)[0] ?? 0) as number },
      prediction: 0,
      segment: { region: i % 3 === 0 ? 'eu' : 'us' },
    };
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-heatmap-segment-'));
    store = await openSqliteStore(join(dir, 'store.db'));
    const reference = normalSample(seededRandom(8), 500, 0, 1).map((x) => ({ features: { x } }));
    await store.putReference('m', { rows: reference });
    await store.ingestPredictions('m', rows);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores each bucket on exactly the segment rows of that bucket, read once for the range', async () => {
    const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
    const ctx = {
      window: { fromMs: END - HOURS * HOUR, toMs: END, intervalMs: HOUR, maxDataPoints: 1000 },
      mlflow: mlflowFromConfig(config.mlflow),
      mlflowCall: {},
      store,
      config,
      log: { info: () => undefined } as unknown as QueryContext['log'],
    } as QueryContext;
    const query = {
      refId: 'A',
      queryType: 'drift_heatmap',
      model: 'm',
      method: 'psi',
      segment: 'region=eu',
      minSampleSize: 1,
    } as QueryOf<'drift_heatmap'>;
    const reads = jest.spyOn(store, 'getRawFeatureValues');
    const [frame] = (await driftHeatmapHandler(query, ctx)) as [DataFrameJSON];
    expect(reads).toHaveBeenCalledTimes(1);
    const times = frame.data.values[0] as number[];
    const scoreAt = frame.schema.fields.findIndex((f) => f.name === 'score' && f.labels?.feature === 'x');
    const scores = frame.data.values[scoreAt] as number[];
    const column = (await store.getReference('m'))?.features.x;
    if (!column) throw new Error('no reference column');
    const fitted = fitDrift('psi', toMetricsProfile(column), { minSampleSize: 1 });
    expect(times).toHaveLength(HOURS);
    times.forEach((start, b) => {
      const values = rows
        .filter((r) => r.segment.region === 'eu' && r.timestamp >= start && r.timestamp < start + HOUR)
        .map((r) => r.features.x);
      expect(values.length).toBeGreaterThan(30);
      expect(scores[b]).toBeCloseTo(fitted.calculate({ values }).score ?? Number.NaN, 12);
    });
    // Drift grows with the hour's shift, so the last bucket scores above the first.
    expect(scores[HOURS - 1] ?? 0).toBeGreaterThan(scores[0] ?? 0);
  });
});

describe('windowVerdicts counts only the rows of its window', () => {
  const DAY = 24 * HOUR;
  const START = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
  const SHIFT = START + 36 * HOUR;
  const PER_HOUR = 150;
  let dir: string;
  let store: DriftStore;
  const rand = seededRandom(21);
  const rows = Array.from({ length: 48 * PER_HOUR }, (_, i) => {
    const timestamp = START + Math.floor((i * HOUR) / PER_HOUR);
    const weights = timestamp < SHIFT ? [4, 3, 3] : [1, 4.5, 4.5];
    return {
      prediction_id: `w-${i}`,
      timestamp,
      features: {
        c: categoricalSample(rand, 1, ['a', 'b', 'c'], weights)[0] ?? 'a',
        x: normalSample(rand, 1)[0] ?? 0,
      },
      prediction: 0,
    };
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-window-'));
    store = await openSqliteStore(join(dir, 'store.db'));
    const reference = categoricalSample(seededRandom(22), 5000, ['a', 'b', 'c'], [4, 3, 3]).map((c, i) => ({
      features: { c, x: normalSample(seededRandom(1000 + i), 1)[0] ?? 0 },
    }));
    await store.putReference('w', { rows: reference });
    await store.ingestPredictions('w', rows);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const contextFor = (fromMs: number, toMs: number) => {
    const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
    return {
      window: { fromMs, toMs, intervalMs: HOUR, maxDataPoints: 1000 },
      mlflow: mlflowFromConfig(config.mlflow),
      mlflowCall: {},
      store,
      config,
      log: { info: () => undefined } as unknown as QueryContext['log'],
    } as QueryContext;
  };

  async function categoricalVerdict(fromMs: number, toMs: number, method: 'chisquare' | 'ks') {
    const query = { refId: 'A', queryType: 'feature_drift', model: 'w', method } as QueryOf<'feature_drift'>;
    const [frame] = (await featureDriftHandler(query, contextFor(fromMs, toMs))) as [DataFrameJSON];
    const column = (name: string) => frame.data.values[frame.schema.fields.findIndex((f) => f.name === name)] ?? [];
    const at = (column('feature') as string[]).indexOf('c');
    return {
      currentN: column('current_n')[at] as number,
      pValue: column('p_value')[at] as number,
      method: column('method')[at] as string,
      notice: column('notice')[at] as string,
      xMethod: column('method')[(column('feature') as string[]).indexOf('x')] as string,
    };
  }

  async function expectedPValue(fromMs: number, toMs: number): Promise<{ n: number; p: number }> {
    const values = rows.filter((r) => r.timestamp >= fromMs && r.timestamp < toMs).map((r) => r.features.c);
    const column = (await store.getReference('w'))?.features.c;
    if (!column) throw new Error('no reference column');
    const r = fitDrift('chisquare', toMetricsProfile(column)).calculate({ values });
    return { n: values.length, p: r.pValue ?? Number.NaN };
  }

  it('regression: a Grafana-style day window [d, d + 24 h] merged categorical buckets reaching past it', async () => {
    const d = START + DAY;
    for (const toMs of [d + DAY, d + DAY - 1]) {
      const got = await categoricalVerdict(d, toMs, 'chisquare');
      const expected = await expectedPValue(d, d + DAY);
      expect(got.currentN).toBe(24 * PER_HOUR);
      expect(got.currentN).toBe(expected.n);
      expect(got.pValue).toBeCloseTo(expected.p, 12);
    }
  });

  it('regression: a six-hour window before a shift reported drift from the shifted hours after it', async () => {
    const got = await categoricalVerdict(SHIFT - 6 * HOUR, SHIFT, 'chisquare');
    const expected = await expectedPValue(SHIFT - 6 * HOUR, SHIFT);
    expect(got.currentN).toBe(6 * PER_HOUR);
    expect(got.pValue).toBeCloseTo(expected.p, 12);
    // The shift is large: had a shifted hour leaked in, the p-value would be tiny.
    const after = await expectedPValue(SHIFT - 5 * HOUR, SHIFT + HOUR);
    expect(after.p).toBeLessThan(1e-3);
    expect(got.pValue).toBeGreaterThan(100 * after.p);
  });

  it('a window whose edges cut buckets reads the rows inside it', async () => {
    const fromMs = SHIFT - 6 * HOUR + 17 * 60_000;
    const got = await categoricalVerdict(fromMs, SHIFT - 1, 'chisquare');
    const expected = await expectedPValue(fromMs, SHIFT - 1);
    expect(got.currentN).toBe(expected.n);
    expect(got.pValue).toBeCloseTo(expected.p, 12);
  });

  it("regression: an alert rule's five values of one verdict read the window's rows five times", async () => {
    const values = ['drifted', 'score', 'threshold', 'current_n', 'reference_n'] as const;
    const ask = (alertValue: (typeof values)[number]) =>
      featureDriftHandler(
        { refId: alertValue, queryType: 'feature_drift', model: 'w', format: 'alerting', alertValue },
        contextFor(SHIFT - 6 * HOUR, SHIFT + 6 * HOUR)
      );
    const reads = jest.spyOn(store, 'getRawFeatureValues');
    try {
      await ask('drifted');
      const once = reads.mock.calls.length;
      expect(once).toBeGreaterThan(0);
      reads.mockClear();
      const frames = await Promise.all(values.map(ask));
      // Asked together (as Grafana sends a rule's queries), the window is read and judged once.
      expect(reads.mock.calls.length).toBe(once);
      // Each answer still carries its own value: the sample sizes are the window's and the reference's.
      // The alerting frame is long: string fields for the labels, then the number (contract/src/alertFrames.ts).
      const numberOf = (frame: DataFrameJSON | undefined, feature: string) => {
        const fields = frame?.schema.fields ?? [];
        const row = (frame?.data.values[fields.findIndex((f) => f.name === 'feature')] as string[]).indexOf(feature);
        return (frame?.data.values[fields.length - 1] as number[])[row];
      };
      expect(numberOf(frames[3]?.[0], 'x')).toBe(12 * PER_HOUR);
      expect(numberOf(frames[4]?.[0], 'x')).toBe(5000);
      expect(numberOf(frames[0]?.[0], 'c')).toBe(1);
      // Asked again after they finished, the work is done again (nothing is kept).
      reads.mockClear();
      await ask('score');
      expect(reads.mock.calls.length).toBe(once);
    } finally {
      reads.mockRestore();
    }
  });

  it('regression: method "ks" on a model with a categorical feature failed the whole query', async () => {
    const got = await categoricalVerdict(START, START + DAY, 'ks');
    expect(got.xMethod).toBe('ks');
    expect(got.method).toBe('chisquare');
    expect(got.notice).toContain('ks does not apply to this categorical feature; chisquare is used instead');
  });
});
