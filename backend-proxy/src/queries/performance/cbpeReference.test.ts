import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFrameJSON, QueryOf } from '@mlsight/contract';
import { loadConfig } from '../../config/config';
import { mlflowFromConfig } from '../../server/mlflowFromConfig';
import { openSqliteStore } from '../../store/sqliteStore';
import type { DriftStore, PredictionQuery } from '../../store/types';
import type { QueryContext } from '../context';
import { estimatedPerformanceHandler } from './estimatedPerformanceHandler';

const HOUR = 3_600_000;
const END = Math.floor(Date.now() / HOUR) * HOUR;
/** Labelled history ends here; the analysis windows start after it (reference before) or before it (fallback). */
const HISTORY_END = END - 6 * HOUR;

/** The store, counting the reference reads (labelled rows from the beginning of time). */
function countingReferenceReads(store: DriftStore): { store: DriftStore; reads: () => number } {
  let reads = 0;
  const counted: DriftStore = Object.create(store) as DriftStore;
  counted.getLabeledPredictions = (query: PredictionQuery) => {
    if (query.fromMs === 0) reads++;
    return store.getLabeledPredictions(query);
  };
  return { store: counted, reads: () => reads };
}

function scored(n: number, prefix: string, startMs: number) {
  return Array.from({ length: n }, (_, i) => {
    const score = ((i * 37) % 100) / 100;
    return {
      prediction_id: `${prefix}-${i}`,
      timestamp: startMs + i * 20_000,
      features: { x: i % 7 },
      prediction: score >= 0.5 ? 1 : 0,
      score,
    };
  });
}

const customOf = (frames: DataFrameJSON[]) => frames[0]?.schema.meta?.custom as Record<string, unknown>;

describe('CBPE reference fit is reused while the model and the reference rows are unchanged', () => {
  let dir: string;
  let raw: DriftStore;
  const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
  const query = { refId: 'A', queryType: 'estimated_performance', model: 'm' } as QueryOf<'estimated_performance'>;
  const ask = (store: DriftStore, fromMs: number) =>
    estimatedPerformanceHandler(query, {
      window: { fromMs, toMs: END, intervalMs: HOUR, maxDataPoints: 1000 },
      mlflow: mlflowFromConfig(config.mlflow),
      mlflowCall: {},
      store,
      config,
      log: { info: () => undefined } as unknown as QueryContext['log'],
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-cbpe-cache-'));
    raw = await openSqliteStore(join(dir, 'store.db'));
    await raw.putReference('m', { rows: [0, 1, 2, 3, 4, 5, 6].map((x) => ({ features: { x } })) });
    const history = scored(300, 'h', HISTORY_END - 2 * HOUR);
    await raw.ingestPredictions('m', [...history, ...scored(300, 'w', END - 2 * HOUR)]);
    // Labels agree with the prediction for four rows in five.
    await raw.ingestLabels(
      'm',
      history.map((r, i) => ({ prediction_id: r.prediction_id, label: i % 5 === 0 ? 1 - r.prediction : r.prediction }))
    );
  });
  afterEach(async () => {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the fallback reference once for refreshes of a range that starts before any label', async () => {
    const { store, reads } = countingReferenceReads(raw);
    const first = await ask(store, END - 12 * HOUR);
    expect(first[0]?.schema.meta?.notices?.[0]?.text).toMatch(/overlap the time range/);
    const readsFirst = reads();
    const refreshed = await ask(store, END - 12 * HOUR + 15_000);
    expect(reads()).toBe(readsFirst);
    // The same answer as a store that never saw the first window.
    expect(refreshed).toEqual(await ask(countingReferenceReads(raw).store, END - 12 * HOUR + 15_000));
  });

  it('does not reuse the fallback for a range that starts after enough labels: they are its reference', async () => {
    const { store } = countingReferenceReads(raw);
    await ask(store, END - 12 * HOUR);
    const later = await ask(store, END - 3 * HOUR);
    expect(later[0]?.schema.meta?.notices).toBeUndefined();
    expect(customOf(later).referenceToMs).toBeLessThan(HISTORY_END);
    expect(later).toEqual(await ask(countingReferenceReads(raw).store, END - 3 * HOUR));
  });

  it('reuses a reference before the window for the same start, and reads it again after a write', async () => {
    const { store, reads } = countingReferenceReads(raw);
    const before = await ask(store, END - 3 * HOUR);
    await ask(store, END - 3 * HOUR);
    expect(reads()).toBe(1);
    await raw.ingestLabels(
      'm',
      scored(300, 'w', END - 2 * HOUR)
        .slice(0, 100)
        .map((r) => ({ prediction_id: r.prediction_id, label: r.prediction }))
    );
    const after = await ask(store, END - 3 * HOUR);
    expect(reads()).toBe(2);
    // The new labels are in the window (realised values), not in the reference.
    expect(after).not.toEqual(before);
    expect(customOf(after).referenceRows).toBe(customOf(before).referenceRows);
  });
});
