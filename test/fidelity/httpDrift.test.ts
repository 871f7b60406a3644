import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { frameRows, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { type StoreProxy, startStoreProxy } from '../support/storeProxy';

/**
 * The drift numbers the proxy serves over HTTP — after ingestion, storage and the query handlers — against scipy
 * and Evidently computed on the same rows: KS statistic within 1e-12 and p-value within 1e-6 (raw rows), and the
 * same method and verdict per column and for the dataset as Evidently's DataDriftPreset under its fixed rule
 * (`thresholdMode: "fixed"`, BH control off).
 */
type Row = Record<string, number | string | null>;
interface FixtureSet {
  name: string;
  numeric: string[];
  categorical: string[];
  reference: Row[];
  current: Row[];
  expected: {
    ks: Record<string, { statistic: number; pValue: number }>;
    evidently: Record<string, { method: string; score: number; drifted: boolean }>;
    dataset: { share: number; drifted: boolean };
  };
}

const python = process.env.MLSIGHT_PYTHON ?? join(__dirname, '../../.venv/bin/python');
const fixtures = JSON.parse(
  execFileSync(python, [join(__dirname, 'http_fixtures.py')], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 })
) as { sets: FixtureSet[] };

let proxy: StoreProxy | undefined;
let app: FastifyInstance;
const now = Date.now();

async function query(body: Record<string, unknown>) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    payload: { from: now - 3_600_000, to: now + 60_000, queries: [{ refId: 'A', ...body }] },
  });
  expect(response.statusCode).toBe(200);
  const result = (response.json() as QueryResponse).results.A;
  if (!result || result.error) throw new Error(`query failed: ${result?.error}`);
  return result.frames;
}

beforeAll(async () => {
  proxy = await startStoreProxy('mlsight-fidelity');
  app = proxy.app;
  for (const set of fixtures.sets) {
    const reference = await app.inject({
      method: 'PUT',
      url: `/api/v1/models/${set.name}/reference`,
      payload: { rows: set.reference.map((features) => ({ features })) },
    });
    expect(reference.statusCode).toBe(200);
    const predictions = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${set.name}/predictions`,
      payload: {
        rows: set.current.map((features, i) => ({
          prediction_id: `${set.name}-${i}`,
          timestamp: now - 1_800_000 + i * 100,
          features,
          prediction: 0,
        })),
      },
    });
    expect(predictions.json()).toMatchObject({ accepted: set.current.length, rejected: 0 });
  }
});

afterAll(async () => {
  await proxy?.close();
});

describe.each(fixtures.sets.map((s) => [s.name, s] as const))('%s fixture over HTTP', (_name, set) => {
  it('serves the KS statistic and p-value of scipy.stats.ks_2samp on the raw rows', async () => {
    const [frame] = await query({ queryType: 'feature_drift', model: set.name, features: set.numeric, method: 'ks' });
    if (!frame) throw new Error('no frame');
    for (const row of frameRows(frame)) {
      const expected = set.expected.ks[String(row.feature)];
      if (!expected) throw new Error(`unexpected feature ${String(row.feature)}`);
      expect(row.method).toBe('ks');
      expect(Math.abs(Number(row.statistic) - expected.statistic)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(Number(row.p_value) - expected.pValue)).toBeLessThanOrEqual(1e-6);
    }
  });

  it("picks Evidently's method and, under its fixed rule, reaches its verdict for every column and the dataset", async () => {
    const evidently = { multipleTesting: 'none', thresholdMode: 'fixed' };
    const [frame] = await query({ queryType: 'feature_drift', model: set.name, ...evidently });
    if (!frame) throw new Error('no frame');
    const rows = frameRows(frame);
    expect(rows.map((r) => r.feature).sort()).toEqual([...set.numeric, ...set.categorical].sort());
    for (const row of rows) {
      const expected = set.expected.evidently[String(row.feature)];
      expect(row.method).toBe(expected?.method);
      expect(row.drifted).toBe(expected?.drifted);
      expect(Math.abs(Number(row.score) - Number(expected?.score))).toBeLessThanOrEqual(1e-6);
    }
    const [dataset] = await query({ queryType: 'dataset_drift', model: set.name, ...evidently });
    if (!dataset) throw new Error('no frame');
    const [summary] = frameRows(dataset);
    expect(summary?.drifted_feature_share).toBeCloseTo(set.expected.dataset.share, 12);
    expect(summary?.drifted).toBe(set.expected.dataset.drifted);
  });

  it('draws the heatmap from stored sketches with every row counted once', async () => {
    const [frame] = await query({ queryType: 'drift_heatmap', model: set.name, features: ['income', 'channel'] });
    if (!frame) throw new Error('no frame');
    const scoreFields = frame.schema.fields.filter((f) => f.name === 'score');
    expect(scoreFields.map((f) => f.labels?.feature).sort()).toEqual(['channel', 'income']);
    for (const field of scoreFields) {
      const rows = (field.config?.custom as { rows: number[] }).rows;
      expect(rows.reduce((a, b) => a + b, 0)).toBe(set.current.length);
    }
  });
});
