import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFrameJSON, MLSightQuery, QueryResponse, TimeWindow } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/config';
import { queryHandlers, type QueryHandlers } from '../queries';
import { openSqliteStore } from '../store/sqliteStore';
import type { DriftStore, SketchPlan } from '../store/types';
import { AnswerCache } from '../cache/answerCache';
import { buildApp } from './app';
import { mlflowFromConfig } from './mlflowFromConfig';

const HOUR = 3_600_000;
const END = Math.floor(Date.now() / HOUR) * HOUR;

function rows(n: number, hour: number, shift: number, prefix: string) {
  return Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}-${hour}-${i}`,
    timestamp: END - (hour + 1) * HOUR + i * 1000,
    features: { x: ((i * 37) % 100) / 10 + shift },
    prediction: 0,
  }));
}

describe('AnswerCache in the query route', () => {
  let dir: string;
  let store: DriftStore;
  let app: FastifyInstance;
  const calls: Record<string, number> = {};

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-answers-'));
    store = await openSqliteStore(join(dir, 'store.db'));
    await store.putReference('m', { rows: rows(500, 0, 0, 'ref').map((r) => ({ features: r.features })) });
    for (let hour = 0; hour < 6; hour++) await store.ingestPredictions('m', rows(200, hour, 0, 'p'));
    const counted = <K extends keyof QueryHandlers>(type: K): QueryHandlers[K] =>
      (async (query: never, ctx: never) => {
        calls[type] = (calls[type] ?? 0) + 1;
        return (queryHandlers[type] as (q: never, c: never) => Promise<DataFrameJSON[]>)(query, ctx);
      }) as QueryHandlers[K];
    for (const k of Object.keys(calls)) delete calls[k];
    const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
    const handlers = {
      ...queryHandlers,
      drift_heatmap: counted('drift_heatmap'),
      feature_drift: counted('feature_drift'),
    };
    app = await buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), store, handlers, logger: false });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (refId: string, queryType: string, toMs: number) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: { from: END - 6 * HOUR, to: toMs, intervalMs: HOUR, queries: [{ refId, queryType, model: 'm' }] },
    });
    expect(res.statusCode).toBe(200);
    return (res.json() as QueryResponse).results[refId];
  };

  it('answers a repeated heatmap over the same buckets from memory, under the asking refId', async () => {
    const first = await ask('A', 'drift_heatmap', END - 1);
    // Another range over the same whole buckets (as a refresh seconds later asks).
    const second = await ask('B', 'drift_heatmap', END - 60_000);
    expect(calls.drift_heatmap).toBe(1);
    expect(second?.frames[0]?.schema.refId).toBe('B');
    expect(second?.frames[0]?.data).toEqual(first?.frames[0]?.data);
  });

  it('recomputes after any write to the model, and shows the new data', async () => {
    const before = await ask('A', 'drift_heatmap', END - 1);
    await store.ingestPredictions('m', rows(200, 0, 5, 'late'));
    const after = await ask('A', 'drift_heatmap', END - 1);
    expect(calls.drift_heatmap).toBe(2);
    expect(after?.frames[0]?.data).not.toEqual(before?.frames[0]?.data);
  });

  it('does not cache whole-window queries, whose answer depends on the exact range', async () => {
    await ask('A', 'feature_drift', END - 1);
    await ask('A', 'feature_drift', END - 1);
    expect(calls.feature_drift).toBe(2);
  });
});

describe('AnswerCache', () => {
  const window: TimeWindow = { fromMs: 0, toMs: 10 * HOUR, intervalMs: HOUR, maxDataPoints: 1000 };
  const plan: SketchPlan = { bucketMs: HOUR, granularityMs: HOUR, firstMs: 0, endMs: 10 * HOUR };
  const fakeStore = (generation: number | undefined) =>
    ({ dataGeneration: async () => generation, planSketchBuckets: () => plan }) as unknown as DriftStore;
  const heatmap = { refId: 'A', queryType: 'drift_heatmap', model: 'm' } as MLSightQuery;
  const frame = (name: string) => ({ schema: { name, fields: [] }, data: { values: [] } }) as DataFrameJSON;

  it('keys by generation and ignores refId; no key without a store, for unknown models or other types', async () => {
    const cache = new AnswerCache();
    const k1 = await cache.keyFor(heatmap, window, fakeStore(1));
    expect(k1).toBe(await cache.keyFor({ ...heatmap, refId: 'Z' }, window, fakeStore(1)));
    expect(k1).not.toBe(await cache.keyFor(heatmap, window, fakeStore(2)));
    expect(await cache.keyFor(heatmap, window, fakeStore(undefined))).toBeUndefined();
    expect(await cache.keyFor(heatmap, window, undefined)).toBeUndefined();
    const runs = { refId: 'A', queryType: 'runs' } as MLSightQuery;
    expect(await cache.keyFor(runs, window, fakeStore(1))).toBeUndefined();
  });

  it('drops the least recently used entry beyond its size, and expired entries', () => {
    const cache = new AnswerCache({ maxEntries: 2, ttlMs: 1000 });
    cache.set('a', [frame('a')], 0);
    cache.set('b', [frame('b')], 0);
    expect(cache.get('a', 10)).toBeDefined(); // a is now the most recent
    cache.set('c', [frame('c')], 10);
    expect(cache.get('b', 10)).toBeUndefined();
    expect(cache.get('a', 10)?.[0]?.schema.name).toBe('a');
    expect(cache.get('c', 1010)).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('AnswerCache.getOrCompute', () => {
  it('computes a missing key once for concurrent askers, then answers from memory', async () => {
    const cache = new AnswerCache<number>();
    let computations = 0;
    let release: (v: number) => void = () => undefined;
    const compute = () => {
      computations++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = cache.getOrCompute('k', compute);
    const second = cache.getOrCompute('k', compute);
    release(42);
    expect(await Promise.all([first, second])).toEqual([42, 42]);
    expect(await cache.getOrCompute('k', compute)).toBe(42);
    expect(computations).toBe(1);
  });

  it('keeps no failed computation: the next asker computes again', async () => {
    const cache = new AnswerCache<number>();
    await expect(cache.getOrCompute('k', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.getOrCompute('k', () => Promise.resolve(7))).toBe(7);
    expect(cache.size).toBe(1);
  });

  it('stays within its size, dropping the least recently used answer', async () => {
    const cache = new AnswerCache<string>({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) await cache.getOrCompute(k, async () => k.toUpperCase());
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('e')).toBe('E');
  });
});
