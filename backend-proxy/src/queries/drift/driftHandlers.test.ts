import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFrameJSON, QueryOf } from '@mlsight/contract';
import { loadConfig } from '../../config/config';
import { fitDrift } from '../../metrics';
import { normalSample, seededRandom } from '../../metrics/testRandom';
import { mlflowFromConfig } from '../../server/mlflowFromConfig';
import { openSqliteStore } from '../../store/sqliteStore';
import type { DriftStore } from '../../store/types';
import type { QueryContext } from '../context';
import { toMetricsProfile } from './adapters';
import { driftHeatmapHandler } from './driftHandlers';

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
