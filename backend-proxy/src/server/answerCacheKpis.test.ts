import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import type { QueryContext } from '../queries/context';
import { kpisWindowOf, productionKpis } from '../queries/productionKpis';
import { openSqliteStore } from '../store/sqliteStore';
import type { DriftStore } from '../store/types';
import { mlflowFromConfig } from './mlflowFromConfig';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const END = Math.floor(Date.now() / HOUR) * HOUR;

/** The store, counting the sketch reads a kpis computation starts with. */
function countingSketchReads(store: DriftStore): { store: DriftStore; reads: () => number } {
  let reads = 0;
  const counted: DriftStore = Object.create(store) as DriftStore;
  counted.getFeatureSketches = (query) => {
    reads++;
    return store.getFeatureSketches(query);
  };
  return { store: counted, reads: () => reads };
}

function predictions(n: number, prefix: string, shift: number) {
  return Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}-${i}`,
    timestamp: END - 2 * HOUR + i * 10_000,
    features: { x: ((i * 37) % 100) / 10 + shift },
    prediction: i % 2,
    score: (i % 10) / 10,
  }));
}

describe('kpisWindowOf', () => {
  it('covers the whole minutes the range touches', () => {
    expect(kpisWindowOf({ fromMs: 5 * MINUTE + 1234, toMs: 9 * MINUTE + 5 })).toEqual({
      fromMs: 5 * MINUTE,
      toMs: 10 * MINUTE - 1,
    });
    // A window of whole minutes (closed, as the integration test asks) stays as it is.
    expect(kpisWindowOf({ fromMs: 2 * HOUR, toMs: 4 * HOUR - 1 })).toEqual({ fromMs: 2 * HOUR, toMs: 4 * HOUR - 1 });
  });
});

describe('productionKpis answers from the cache while the model is unchanged', () => {
  let dir: string;
  let raw: DriftStore;
  let store: DriftStore;
  let reads: () => number;
  const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
  const ctxAt = (fromMs: number, toMs: number): QueryContext => ({
    window: { fromMs, toMs, intervalMs: HOUR, maxDataPoints: 1000 },
    mlflow: mlflowFromConfig(config.mlflow),
    mlflowCall: {},
    store,
    config,
    log: { info: () => undefined, warn: () => undefined } as unknown as QueryContext['log'],
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-kpis-cache-'));
    raw = await openSqliteStore(join(dir, 'store.db'));
    ({ store, reads } = countingSketchReads(raw));
    await raw.putReference('m', { rows: predictions(300, 'ref', 0).map((r) => ({ features: r.features })) });
    await raw.ingestPredictions('m', predictions(300, 'p', 0));
  });
  afterEach(async () => {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes once for refreshes within the same minutes, and says the same', async () => {
    // `now-3h` … `now` asked at 10:00:05 and again at 10:00:40 of the same minute.
    const first = await productionKpis('m', ctxAt(END - 3 * HOUR + 5_000, END + 5_000));
    // One computation's reads (a window's verdicts may read more than one granularity).
    const once = reads();
    expect(once).toBeGreaterThan(0);
    const again = await productionKpis('m', ctxAt(END - 3 * HOUR + 40_000, END + 40_000));
    expect(reads()).toBe(once);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ kpis: { rows: 300 } });
    // The next minute is another window.
    await productionKpis('m', ctxAt(END - 3 * HOUR + 65_000, END + 65_000));
    expect(reads()).toBe(2 * once);
  });

  it('computes again after a write to the model, and counts the new rows', async () => {
    await productionKpis('m', ctxAt(END - 3 * HOUR, END));
    const once = reads();
    await raw.ingestPredictions('m', predictions(50, 'late', 3));
    const after = await productionKpis('m', ctxAt(END - 3 * HOUR, END));
    expect(reads()).toBe(2 * once);
    expect(after).toMatchObject({ kpis: { rows: 350 } });
  });

  it('shares one computation between panels asking at the same time', async () => {
    // One computation's reads, on another window (another cache key).
    await productionKpis('m', ctxAt(END - 10 * HOUR, END - 7 * HOUR));
    const once = reads();
    const [a, b] = await Promise.all([
      productionKpis('m', ctxAt(END - 3 * HOUR, END)),
      productionKpis('m', ctxAt(END - 3 * HOUR, END)),
    ]);
    expect(reads()).toBe(2 * once);
    expect(b).toEqual(a);
  });

  it('keeps stores apart: another store with the same model computes its own numbers', async () => {
    await productionKpis('m', ctxAt(END - 3 * HOUR, END));
    const other = countingSketchReads(raw);
    await productionKpis('m', { ...ctxAt(END - 3 * HOUR, END), store: other.store });
    expect(other.reads()).toBe(reads());
  });
});
