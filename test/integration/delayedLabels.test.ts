import { type DataFrameJSON, fieldValues, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { AUTH, INGEST_TOKEN, readState, startProxy } from '../support/proxyHarness';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';

/**
 * Delayed labels through the real proxy (HTTP ingest routes, SQLite store, query route; MLflow from globalSetup):
 * a binary classifier's predictions arrive first over seven days, their labels days later in two batches.
 * Realised `performance` of a day appears only once that day's labels have arrived (and then equals the accuracy,
 * precision, recall and F1 counted from the generated rows), while `estimated_performance` (CBPE, fitted on an
 * earlier labelled period) covers every day from the start and does not move when the window's labels arrive.
 * Bad input — an unknown model, a model with predictions but no labels — fails its own query only.
 */
const DAY = 86_400_000;
const ROWS_PER_DAY = 96;
const REFERENCE_DAYS = 3;
const ANALYSIS_DAYS = 7;
/** Analysis days whose labels arrive in the first label batch; the rest come in the second. */
const FIRST_LABELLED_DAYS = 4;
const LABEL_DELAY_DAYS = 3;
const MODEL = 'it-delayed-labels';
const UNLABELLED_MODEL = 'it-delayed-unlabelled';
const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };

const state = readState();
// Whole UTC days, so the proxy's daily buckets are the generated days.
const today = Math.floor(Date.now() / DAY) * DAY;
const referenceFrom = today - (ANALYSIS_DAYS + REFERENCE_DAYS) * DAY;
const windowFrom = today - ANALYSIS_DAYS * DAY;
const windowTo = today;

interface Row {
  id: string;
  ts: number;
  score: number;
  prediction: 0 | 1;
  label: 0 | 1;
}

/** A calibrated classifier: label ~ Bernoulli(score), prediction = score ≥ 0.5; the score spread shrinks by day. */
function generate(prefix: string, fromMs: number, days: number, seed: number): Row[] {
  const random = seededRandom(seed);
  const rows: Row[] = [];
  for (let d = 0; d < days; d++) {
    const spread = 0.9 - 0.08 * d;
    for (let k = 0; k < ROWS_PER_DAY; k++) {
      const score = Math.round((0.5 + spread * (random() - 0.5)) * 1e6) / 1e6;
      rows.push({
        id: `${prefix}-${d}-${k}`,
        ts: fromMs + d * DAY + k * (DAY / ROWS_PER_DAY),
        score,
        prediction: score >= 0.5 ? 1 : 0,
        label: random() < score ? 1 : 0,
      });
    }
  }
  return rows;
}

const referenceRows = generate('ref', referenceFrom, REFERENCE_DAYS, 7);
const analysisRows = generate('day', windowFrom, ANALYSIS_DAYS, 8);
const dayOf = (row: Row) => Math.floor(row.ts / DAY) * DAY;
const analysisDays = Array.from({ length: ANALYSIS_DAYS }, (_, d) => windowFrom + d * DAY);
const firstBatchDays = analysisDays.slice(0, FIRST_LABELLED_DAYS);

/** Accuracy, precision, recall and F1 of the positive class, counted from the rows (no library). */
function expectedMetrics(rows: readonly Row[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const r of rows) {
    if (r.prediction === 1 && r.label === 1) tp++;
    else if (r.prediction === 1) fp++;
    else if (r.label === 1) fn++;
    else tn++;
  }
  return {
    accuracy: (tp + tn) / rows.length,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    f1: 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
    rows: rows.length,
  };
}

let app: FastifyInstance;

async function send(method: 'PUT' | 'POST', url: string, rows: unknown[]) {
  const response = await app.inject({ method, url, headers: INGEST, payload: { rows } });
  expect(response.statusCode).toBe(200);
  const body = response.json() as { accepted?: number; rejected?: number; errors?: unknown[] };
  expect(body.errors ?? []).toEqual([]);
  return body;
}

const predictionPayload = (rows: readonly Row[]) =>
  rows.map((r) => ({
    prediction_id: r.id,
    timestamp: r.ts,
    features: { x: r.score },
    prediction: r.prediction,
    score: r.score,
  }));

/** Labels "days later": each label's own timestamp is its prediction's plus the delay (never in the future). */
const labelPayload = (rows: readonly Row[]) =>
  rows.map((r) => ({
    prediction_id: r.id,
    label: r.label,
    timestamp: Math.min(Date.now(), r.ts + LABEL_DELAY_DAYS * DAY),
  }));

async function ask(queries: Array<Record<string, unknown>>, from = windowFrom, to = windowTo): Promise<QueryResponse> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: AUTH,
    payload: { from, to: to - 1, intervalMs: DAY, queries },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as QueryResponse;
}

function frameOf(body: QueryResponse, refId: string, name: string): DataFrameJSON {
  const result = body.results[refId];
  if (!result) throw new Error(`no result for ${refId}`);
  if (result.error) throw new Error(`query ${refId} failed: ${result.error}`);
  const frame = result.frames.find((f) => f.schema.name === name);
  if (!frame) throw new Error(`query ${refId} has no ${name} frame`);
  return frame;
}

function numbers(frame: DataFrameJSON, field: string): Array<number | null> {
  const values = fieldValues(frame, field);
  if (!values) throw new Error(`frame ${frame.schema.name} has no field ${field}`);
  return values as Array<number | null>;
}

const performanceQuery = { refId: 'P', queryType: 'performance', model: MODEL };
const estimatedQuery = { refId: 'E', queryType: 'estimated_performance', model: MODEL };

/** The realised metrics of the performance frame per bucket, checked against the rows of that day. */
function expectRealised(frame: DataFrameJSON, days: readonly number[], rows: readonly Row[]) {
  expect(numbers(frame, 'time')).toEqual(days);
  days.forEach((day, i) => {
    const expected = expectedMetrics(rows.filter((r) => dayOf(r) === day));
    expect(numbers(frame, 'labelled_rows')[i]).toBe(expected.rows);
    for (const m of ['accuracy', 'precision', 'recall', 'f1'] as const)
      expect(numbers(frame, m)[i]).toBeCloseTo(expected[m], 12);
  });
}

let estimateBeforeLabels: Array<number | null>;

beforeAll(async () => {
  ({ app } = await startProxy(state.url));
  for (const model of [MODEL, UNLABELLED_MODEL]) {
    await send(
      'PUT',
      `/api/v1/models/${model}/reference`,
      referenceRows.map((r) => ({ features: { x: r.score }, prediction: r.prediction, label: r.label }))
    );
  }
  // The earlier period is already labelled: it is what CBPE calibrates on.
  await send('POST', `/api/v1/models/${MODEL}/predictions`, predictionPayload(referenceRows));
  await send('POST', `/api/v1/models/${MODEL}/labels`, labelPayload(referenceRows));
  const stored = await send('POST', `/api/v1/models/${MODEL}/predictions`, predictionPayload(analysisRows));
  expect(stored.accepted).toBe(analysisRows.length);
  await send('POST', `/api/v1/models/${UNLABELLED_MODEL}/predictions`, predictionPayload(analysisRows));
});
afterAll(async () => {
  await app.close();
});

describe('delayed labels', () => {
  it('before any label of the window: no realised performance, CBPE estimates for every day', async () => {
    const body = await ask([performanceQuery, estimatedQuery]);
    expect(body.results.P?.status).toBe(404);
    expect(body.results.P?.error).toMatch(/no labels yet for "it-delayed-labels"/);
    const estimated = frameOf(body, 'E', 'estimated_performance');
    expect(numbers(estimated, 'time')).toEqual(analysisDays);
    expect(numbers(estimated, 'rows')).toEqual(analysisDays.map(() => ROWS_PER_DAY));
    expect(numbers(estimated, 'labelled_rows')).toEqual(analysisDays.map(() => 0));
    expect(numbers(estimated, 'accuracy_realised')).toEqual(analysisDays.map(() => null));
    const accuracy = numbers(estimated, 'accuracy');
    const lower = numbers(estimated, 'accuracy_lower');
    const upper = numbers(estimated, 'accuracy_upper');
    accuracy.forEach((value, i) => {
      expect(typeof value).toBe('number');
      expect(value).toBeGreaterThanOrEqual(lower[i] ?? Number.NaN);
      expect(value).toBeLessThanOrEqual(upper[i] ?? Number.NaN);
    });
    // Fitted on the labelled earlier period only, not on the window.
    expect(estimated.schema.meta?.custom).toMatchObject({ referenceRows: referenceRows.length });
    expect(estimated.schema.meta?.notices ?? []).toEqual([]);
    estimateBeforeLabels = accuracy;

    // Over the wider range, realised buckets exist for the labelled earlier days only.
    const wide = await ask([performanceQuery], referenceFrom, windowTo);
    const referenceDays = Array.from({ length: REFERENCE_DAYS }, (_, d) => referenceFrom + d * DAY);
    expectRealised(frameOf(wide, 'P', 'performance'), referenceDays, referenceRows);
  });

  it('after the first label batch: realised performance for those days only; estimates unchanged', async () => {
    const labelled = analysisRows.filter((r) => firstBatchDays.includes(dayOf(r)));
    const result = await send('POST', `/api/v1/models/${MODEL}/labels`, labelPayload(labelled));
    expect(result.accepted).toBe(labelled.length);
    const body = await ask([performanceQuery, estimatedQuery]);
    expectRealised(frameOf(body, 'P', 'performance'), firstBatchDays, analysisRows);

    const estimated = frameOf(body, 'E', 'estimated_performance');
    expect(numbers(estimated, 'accuracy')).toEqual(estimateBeforeLabels);
    expect(numbers(estimated, 'labelled_rows')).toEqual(
      analysisDays.map((_, d) => (d < FIRST_LABELLED_DAYS ? ROWS_PER_DAY : 0))
    );
    const realised = numbers(estimated, 'accuracy_realised');
    analysisDays.forEach((day, d) => {
      if (d >= FIRST_LABELLED_DAYS) expect(realised[d]).toBeNull();
      else expect(realised[d]).toBeCloseTo(expectedMetrics(analysisRows.filter((r) => dayOf(r) === day)).accuracy, 12);
    });
  });

  it('after the last label batch: realised performance for every day', async () => {
    const labelled = analysisRows.filter((r) => !firstBatchDays.includes(dayOf(r)));
    await send('POST', `/api/v1/models/${MODEL}/labels`, labelPayload(labelled));
    const body = await ask([performanceQuery, estimatedQuery]);
    expectRealised(frameOf(body, 'P', 'performance'), analysisDays, analysisRows);
    const estimated = frameOf(body, 'E', 'estimated_performance');
    expect(numbers(estimated, 'accuracy')).toEqual(estimateBeforeLabels);
    expect(numbers(estimated, 'labelled_rows')).toEqual(analysisDays.map(() => ROWS_PER_DAY));
  });
});

describe('bad input fails its own query only', () => {
  it('unknown model and a model without labels: a clear error each, the other query answers', async () => {
    const body = await ask([
      { refId: 'A', queryType: 'performance', model: 'it-no-such-model' },
      { refId: 'B', queryType: 'performance', model: UNLABELLED_MODEL },
      { refId: 'C', queryType: 'estimated_performance', model: UNLABELLED_MODEL },
      estimatedQuery,
    ]);
    expect(body.results.A).toMatchObject({ status: 404, frames: [] });
    expect(body.results.A?.error).toMatch(/model: "it-no-such-model" is not in the drift store/);
    expect(body.results.B).toMatchObject({ status: 404, frames: [] });
    expect(body.results.B?.error).toMatch(/no labels yet for "it-delayed-unlabelled"/);
    expect(body.results.B?.error).toContain(`POST /api/v1/models/${UNLABELLED_MODEL}/labels`);
    expect(body.results.C).toMatchObject({ status: 404, frames: [] });
    expect(body.results.C?.error).toMatch(/CBPE has no reference/);
    expect(numbers(frameOf(body, 'E', 'estimated_performance'), 'accuracy')).toEqual(estimateBeforeLabels);
  });
});
