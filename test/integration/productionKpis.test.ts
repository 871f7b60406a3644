/**
 * The business dashboard's five headline numbers (`kpis`) and the monitor's performance gauges, against a real
 * MLflow (the seeded `credit-risk` registry) and a real SQLite drift store: each number must equal what the
 * dedicated query type answers over the same range.
 */
import type { DataFrameJSON } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { normalSample, seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { AUTH, INGEST_TOKEN, readState, startProxy } from '../support/proxyHarness';

const MODEL = 'credit-risk';
const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };
const state = readState();
let app: FastifyInstance;

const valueOf = (frame: DataFrameJSON | undefined, field: string): unknown => {
  const i = frame?.schema.fields.findIndex((f) => f.name === field) ?? -1;
  return i < 0 ? undefined : frame?.data.values[i]?.[0];
};

const HOUR = 3_600_000;
/**
 * The window is one whole two-hour bucket that has already ended: with `now-1h` the bucket grid could split the
 * window's rows in two (it did, once in CI, when an even hour fell among them) and the time-series answers' first
 * value would cover only part of the rows the kpis cover.
 */
const WINDOW = { from: Math.floor(Date.now() / (2 * HOUR)) * 2 * HOUR - 2 * HOUR, intervalMs: 2 * HOUR };
const windowEnd = WINDOW.from + WINDOW.intervalMs - 1;

/** Scored binary predictions in the window's second hour; `shift` moves `income` away from the reference. */
function predictions(n: number, shift: number, seed: number) {
  const rand = seededRandom(seed);
  const income = normalSample(rand, n, 50 + shift, 10);
  const now = windowEnd;
  return income.map((x, i) => {
    const score = rand();
    return {
      prediction_id: `kpi-${seed}-${i}`,
      timestamp: now - 60_000 - i * 1000,
      features: { income: x, age: 20 + (i % 40) },
      prediction: score >= 0.5 ? 1 : 0,
      score,
    };
  });
}

beforeAll(async () => {
  ({ app } = await startProxy(state.url, { MLSIGHT_MONITOR_INTERVAL: '0' }));
  const rand = seededRandom(1);
  const reference = normalSample(rand, 800, 50, 10).map((income, i) => ({
    features: { income, age: 20 + (i % 40) },
  }));
  const put = await app.inject({
    method: 'PUT',
    url: `/api/v1/models/${MODEL}/reference`,
    headers: INGEST,
    payload: { rows: reference },
  });
  expect(put.statusCode).toBe(200);
  // Labelled history before the window (CBPE's reference), then the window's traffic with income drifted.
  const history = predictions(600, 0, 2).map((r) => ({ ...r, timestamp: r.timestamp - 3 * HOUR }));
  const current = predictions(600, 15, 3);
  for (const rows of [history, current]) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${MODEL}/predictions`,
      headers: INGEST,
      payload: { rows },
    });
    expect(res.json()).toMatchObject({ accepted: rows.length, rejected: 0 });
  }
  // Labels agree with the score for ~80% of rows (a deterministic rule), for the history and half the window.
  const labelOf = (r: { score: number; prediction_id: string }, i: number) =>
    i % 5 === 0 ? (r.score >= 0.5 ? 0 : 1) : r.score >= 0.5 ? 1 : 0;
  const labels = [...history, ...current.slice(0, 300)].map((r, i) => ({
    prediction_id: r.prediction_id,
    label: labelOf(r, i),
  }));
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${MODEL}/labels`,
    headers: INGEST,
    payload: { rows: labels },
  });
  expect(res.json()).toMatchObject({ accepted: labels.length });
});
afterAll(async () => app?.close());

describe('kpis with production numbers', () => {
  it('equal what the drift, performance and CBPE queries answer over the same range', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: AUTH,
      payload: {
        // One bucket for the whole window, so the time-series types answer one value for it.
        from: WINDOW.from,
        to: windowEnd,
        intervalMs: WINDOW.intervalMs,
        queries: [
          { refId: 'K', queryType: 'kpis', model: MODEL },
          { refId: 'D', queryType: 'dataset_drift', model: MODEL },
          { refId: 'F', queryType: 'feature_drift', model: MODEL },
          { refId: 'P', queryType: 'performance', model: MODEL },
          { refId: 'E', queryType: 'estimated_performance', model: MODEL },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const { results } = res.json() as { results: Record<string, { frames: DataFrameJSON[]; error?: string }> };
    for (const refId of ['K', 'D', 'F', 'P', 'E']) expect(results[refId]?.error).toBeUndefined();
    const kpis = results.K?.frames[0];
    // The MLflow part is still there (the champion's version), beside the production part.
    expect(valueOf(kpis, 'version')).toBe(state.summary.aliases.champion);

    const features = results.F?.frames[0];
    const driftedColumn = features?.schema.fields.findIndex((f) => f.name === 'drifted') ?? -1;
    const driftedCount = (features?.data.values[driftedColumn] ?? []).filter((v) => v === true).length;
    expect(driftedCount).toBeGreaterThan(0);
    expect(valueOf(kpis, 'drifted_features')).toBe(driftedCount);
    expect(valueOf(results.D?.frames[0], 'drifted_features')).toBe(driftedCount);
    expect(valueOf(kpis, 'dataset_drift_share')).toBe(valueOf(results.D?.frames[0], 'drifted_feature_share'));
    expect(valueOf(kpis, 'realised_accuracy')).toBeCloseTo(Number(valueOf(results.P?.frames[0], 'accuracy')), 12);
    expect(valueOf(kpis, 'estimated_accuracy')).toBeCloseTo(Number(valueOf(results.E?.frames[0], 'accuracy')), 12);
    expect(valueOf(kpis, 'production_rows')).toBe(600);
  });
});
