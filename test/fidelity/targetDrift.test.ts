import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { frameRows, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { type StoreProxy, startStoreProxy } from '../support/storeProxy';

/**
 * Prediction and label drift served over HTTP — after ingestion of a reference with predictions and labels, the
 * window's predictions and their delayed labels — against scipy on the same rows (target_fixtures.py, fixed seeds):
 * the whole-window KS on the numeric predictions equals scipy.stats.ks_2samp (statistic within 1e-12, p-value
 * within 1e-6, raw rows), the chi-square on the categorical labels equals scipy.stats.chisquare of the window's
 * counts against the reference shares (within 1e-9), and the verdict is the p-value against the row's threshold.
 */
interface Row {
  prediction: number;
  label: string;
}
interface Case {
  name: string;
  reference: Row[];
  current: Row[];
  expected: Record<'ks' | 'chisquare' | 'chi2Contingency', { statistic: number; pValue: number }>;
}

const python = process.env.MLSIGHT_PYTHON ?? join(__dirname, '../../.venv/bin/python');
const fixtures = JSON.parse(
  execFileSync(python, [join(__dirname, 'target_fixtures.py')], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
) as { cases: Case[] };

/** A hang guard for ingestion and queries on a shared, busy machine (not a speed test). */
const HANG_GUARD_MS = 300_000;

let proxy: StoreProxy | undefined;
let app: FastifyInstance;
const now = Date.now();

async function windowRow(body: Record<string, unknown>) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    payload: { from: now - 3_600_000, to: now + 60_000, queries: [{ refId: 'A', ...body }] },
  });
  expect(response.statusCode).toBe(200);
  const result = (response.json() as QueryResponse).results.A;
  if (!result || result.error) throw new Error(`query failed: ${result?.error}`);
  const window = result.frames.find((f) => f.schema.name === `${String(body.queryType)}_window`);
  const [row] = window ? frameRows(window) : [];
  if (!row) throw new Error(`${String(body.queryType)}: no window row`);
  return row;
}

beforeAll(async () => {
  proxy = await startStoreProxy('mlsight-fidelity-target');
  app = proxy.app;
  for (const c of fixtures.cases) {
    const feature = (i: number) => ({ x: (i % 10) / 10 });
    const reference = await app.inject({
      method: 'PUT',
      url: `/api/v1/models/${c.name}/reference`,
      payload: {
        prediction_kind: 'numeric',
        label_kind: 'categorical',
        rows: c.reference.map((r, i) => ({ features: feature(i), prediction: r.prediction, label: r.label })),
      },
    });
    expect(reference.statusCode).toBe(200);
    const id = (i: number) => `${c.name}-${i}`;
    const predictions = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${c.name}/predictions`,
      payload: {
        rows: c.current.map((r, i) => ({
          prediction_id: id(i),
          timestamp: now - 1_800_000 + i * 100,
          features: feature(i),
          prediction: r.prediction,
        })),
      },
    });
    expect(predictions.json()).toMatchObject({ accepted: c.current.length, rejected: 0 });
    const labels = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${c.name}/labels`,
      payload: { rows: c.current.map((r, i) => ({ prediction_id: id(i), label: r.label })) },
    });
    expect(labels.json()).toMatchObject({ accepted: c.current.length, rejected: 0 });
  }
}, HANG_GUARD_MS);

afterAll(async () => {
  await proxy?.close();
});

describe.each(fixtures.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it(
    'serves the prediction KS of scipy.stats.ks_2samp on the raw predictions',
    async () => {
      const row = await windowRow({ queryType: 'prediction_drift', model: c.name, method: 'ks' });
      expect(row.method).toBe('ks');
      expect(row.current_n).toBe(c.current.length);
      expect(row.reference_n).toBe(c.reference.length);
      expect(Math.abs(Number(row.statistic) - c.expected.ks.statistic)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(Number(row.p_value) - c.expected.ks.pValue)).toBeLessThanOrEqual(1e-6);
      expect(row.drifted).toBe(c.expected.ks.pValue <= Number(row.threshold));
    },
    HANG_GUARD_MS
  );

  it(
    'serves the label chi-square of scipy.stats.chisquare against the reference label shares',
    async () => {
      const row = await windowRow({ queryType: 'label_drift', model: c.name, method: 'chisquare' });
      expect(row.method).toBe('chisquare');
      expect(row.current_n).toBe(c.current.length);
      const { statistic, pValue } = c.expected.chisquare;
      expect(Math.abs(Number(row.statistic) - statistic) / Math.max(1, statistic)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(Number(row.p_value) - pValue)).toBeLessThanOrEqual(1e-9);
      expect(row.drifted).toBe(pValue <= Number(row.threshold));
    },
    HANG_GUARD_MS
  );
});

it(
  'flags the shifted target and not the healthy one (both statistics agree with scipy on which is which)',
  async () => {
    const verdicts: Record<string, unknown[]> = {};
    for (const c of fixtures.cases) {
      const prediction = await windowRow({ queryType: 'prediction_drift', model: c.name, method: 'ks' });
      const label = await windowRow({ queryType: 'label_drift', model: c.name, method: 'chisquare' });
      verdicts[c.name] = [prediction.drifted, label.drifted];
    }
    expect(verdicts).toEqual({ 'target-healthy': [false, false], 'target-shifted': [true, true] });
  },
  HANG_GUARD_MS
);
