import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import type { QueryContext } from '../queries/context';
import { mlflowFromConfig } from '../server/mlflowFromConfig';
import { openSqliteStore } from '../store/sqliteStore';
import type { DriftStore } from '../store/types';
import { performanceContributor } from './performanceContributor';

const HOUR = 3_600_000;
/** An hour-long window centred on an hour boundary: an hour-sized, epoch-aligned bucket grid would cut it in two. */
const BOUNDARY = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const WINDOW = { fromMs: BOUNDARY - HOUR / 2, toMs: BOUNDARY + HOUR / 2 - 1 };

describe('performanceContributor', () => {
  let dir: string;
  let store: DriftStore;
  const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-perf-contributor-'));
    store = await openSqliteStore(join(dir, 'store.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the whole window, not only the part after a bucket boundary inside it', async () => {
    await store.putReference('m', { rows: [0, 1, 2].map((x) => ({ features: { x } })) });
    // 60 rows before the boundary, all predicted right; 60 after it, one in three predicted wrong.
    const rows = Array.from({ length: 120 }, (_, i) => ({
      prediction_id: `p-${i}`,
      timestamp: WINDOW.fromMs + 600_000 + i * 20_000,
      features: { x: i % 3 },
      prediction: i % 2,
      score: i % 2 === 0 ? 0.2 : 0.8,
    }));
    expect(rows.filter((r) => r.timestamp < BOUNDARY)).toHaveLength(60);
    await store.ingestPredictions('m', rows);
    const labels = rows.map((r, i) => ({
      prediction_id: r.prediction_id,
      label: i >= 60 && i % 3 === 0 ? 1 - r.prediction : r.prediction,
    }));
    await store.ingestLabels('m', labels);
    const correct = labels.filter((l, i) => l.label === rows[i]?.prediction).length;

    const contributor = performanceContributor({
      mlflow: mlflowFromConfig(config.mlflow),
      config,
      log: { info: () => undefined, warn: () => undefined } as unknown as QueryContext['log'],
    });
    const samples = await contributor.contribute({
      model: 'm',
      version: undefined,
      store,
      window: WINDOW,
      nowMs: WINDOW.toMs,
    });
    const value = (name: string, metric?: string) =>
      samples.find(
        (s) => s.name === name && (metric === undefined || (s.labels as { metric?: string }).metric === metric)
      )?.value;
    expect(value('mlsight_performance_labelled_rows')).toBe(120);
    expect(value('mlsight_performance', 'accuracy')).toBeCloseTo(correct / 120, 12);
  });
});
