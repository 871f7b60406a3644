import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type DataFrameJSON, frameRows, fieldValues, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { AUTH, INGEST_TOKEN, mlflowRest, readState, startProxy } from '../support/proxyHarness';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';

/**
 * `champion_challenger` against the seeded MLflow registry (aliases champion → 2, challenger → 3 of the demo model)
 * and a store holding both versions' predictions: the champion scores every request, the challenger shadow-scores
 * most of them (same prediction_id, its own timestamp) and has traffic of its own; labels arrive for most ids.
 * Per-version accuracy, precision, recall and F1 equal counts taken from the generated rows, the difference is
 * challenger − champion, and the McNemar p-value on the labelled shadow pairs equals scipy's `binomtest`.
 * Also pinned here: a shadow row with the champion's own timestamp is taken for a retry and dropped; `performance`
 * pinned to one version counts that version's labelled rows; an unknown alias and a version without labelled
 * predictions fail their own query only.
 */
const HOUR = 3_600_000;
const REQUESTS = 600;
const CHALLENGER_ONLY = 120;
const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };
const python = process.env.MLSIGHT_PYTHON ?? join(__dirname, '../../.venv/bin/python');

const state = readState();
const MODEL = state.summary.modelName;
const CHAMPION = state.summary.aliases.champion;
const CHALLENGER = state.summary.aliases.challenger;
/** A registered model of this test only, whose champion version never predicted. */
const IDLE_MODEL = 'mlsight-it-cc-idle';
const now = Date.now();
const startMs = now - 48 * HOUR;

interface Prediction {
  id: string;
  ts: number;
  version: string;
  score: number;
  prediction: 0 | 1;
}

const random = seededRandom(42);
const clip = (x: number) => Math.round(Math.min(0.999, Math.max(0.001, x)) * 1e6) / 1e6;
const scored = (id: string, ts: number, version: string, score: number): Prediction => ({
  id,
  ts,
  version,
  score,
  prediction: score >= 0.5 ? 1 : 0,
});

const labels = new Map<string, 0 | 1>();
const champion: Prediction[] = [];
const challenger: Prediction[] = [];
for (let i = 0; i < REQUESTS; i++) {
  const id = `cc-${i}`;
  const ts = startMs + Math.floor((i * 47 * HOUR) / REQUESTS);
  const truth = random();
  // The challenger is the better model: less noise around the true probability.
  champion.push(scored(id, ts, CHAMPION ?? '', clip(truth + 0.6 * (random() - 0.5))));
  const challengerScore = clip(truth + 0.3 * (random() - 0.5));
  // Shadow traffic for four requests in five; a shadow row needs its own timestamp (see the retry test).
  if (i % 5 !== 0) challenger.push(scored(id, ts + 1, CHALLENGER ?? '', challengerScore));
  if (i % 10 !== 9) labels.set(id, random() < truth ? 1 : 0);
}
for (let i = 0; i < CHALLENGER_ONLY; i++) {
  const id = `cc-own-${i}`;
  const truth = random();
  challenger.push(
    scored(id, startMs + Math.floor((i * 47 * HOUR) / CHALLENGER_ONLY) + 7, CHALLENGER ?? '', clip(truth))
  );
  if (i % 4 !== 3) labels.set(id, random() < truth ? 1 : 0);
}

/** The labelled rows of one version and their counts, without any library. */
function expected(rows: readonly Prediction[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const r of rows) {
    const label = labels.get(r.id);
    if (label === undefined) continue;
    if (r.prediction === 1 && label === 1) tp++;
    else if (r.prediction === 1) fp++;
    else if (label === 1) fn++;
    else tn++;
  }
  const n = tp + fp + fn + tn;
  return {
    n,
    accuracy: (tp + tn) / n,
    precision: tp / (tp + fp),
    recall: tp / (tp + fn),
    f1: (2 * tp) / (2 * tp + fp + fn),
  };
}

/** Discordant labelled shadow pairs: b = only the champion right, c = only the challenger right. */
function discordant() {
  const byId = new Map(challenger.map((r) => [r.id, r]));
  let pairs = 0;
  let b = 0;
  let c = 0;
  for (const a of champion) {
    const other = byId.get(a.id);
    const label = labels.get(a.id);
    if (!other || label === undefined) continue;
    pairs++;
    const rightA = a.prediction === label;
    const rightB = other.prediction === label;
    if (rightA && !rightB) b++;
    if (rightB && !rightA) c++;
  }
  return { pairs, b, c };
}

/** scipy.stats.binomtest(b, b + c).pvalue: the exact McNemar test as scipy computes it. */
function scipyMcNemar(b: number, c: number): number {
  const out = execFileSync(
    python,
    [
      '-c',
      'import sys; from scipy.stats import binomtest; print(repr(float(binomtest(int(sys.argv[1]), int(sys.argv[2])).pvalue)))',
      String(b),
      String(b + c),
    ],
    { encoding: 'utf8' }
  );
  return Number(out.trim());
}

let app: FastifyInstance;

async function send(model: string, kind: 'reference' | 'predictions' | 'labels', rows: unknown[]) {
  const response = await app.inject({
    method: kind === 'reference' ? 'PUT' : 'POST',
    url: `/api/v1/models/${model}/${kind}`,
    headers: INGEST,
    payload: { rows },
  });
  expect(response.statusCode).toBe(200);
  const body = response.json() as { accepted: number; duplicates: number; errors: unknown[] };
  expect(body.errors).toEqual([]);
  return body;
}

const predictionPayload = (rows: readonly Prediction[]) =>
  rows.map((r) => ({
    prediction_id: r.id,
    timestamp: r.ts,
    version: r.version,
    features: { x: r.score },
    prediction: r.prediction,
    score: r.score,
  }));

async function ask(queries: Array<Record<string, unknown>>): Promise<QueryResponse> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: AUTH,
    payload: { from: startMs - HOUR, to: now + HOUR, intervalMs: 24 * HOUR, queries },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as QueryResponse;
}

function frameOf(body: QueryResponse, refId: string): DataFrameJSON {
  const result = body.results[refId];
  if (!result) throw new Error(`no result for ${refId}`);
  if (result.error) throw new Error(`query ${refId} failed: ${result.error}`);
  const frame = result.frames[0];
  if (!frame) throw new Error(`query ${refId} has no frame`);
  return frame;
}

beforeAll(async () => {
  if (!CHAMPION || !CHALLENGER) throw new Error('the seed summary has no champion/challenger aliases');
  ({ app } = await startProxy(state.url));
  const reference = champion.slice(0, 200).map((r) => ({
    features: { x: r.score },
    prediction: r.prediction,
    label: labels.get(r.id) ?? 0,
  }));
  await send(MODEL, 'reference', reference);
  const stored = await send(MODEL, 'predictions', predictionPayload([...champion, ...challenger]));
  expect(stored.accepted).toBe(champion.length + challenger.length);
  const labelled = await send(
    MODEL,
    'labels',
    [...labels].map(([id, label]) => ({ prediction_id: id, label }))
  );
  expect(labelled.accepted).toBe(labels.size);
});
afterAll(async () => {
  await app.close();
});

describe('champion_challenger with registry aliases and shadow traffic', () => {
  it('per-version metrics, their difference and the McNemar p-value match the generated rows and scipy', async () => {
    const frame = frameOf(
      await ask([
        {
          refId: 'A',
          queryType: 'champion_challenger',
          model: MODEL,
          metrics: ['accuracy', 'precision', 'recall', 'f1'],
        },
      ]),
      'A'
    );
    const a = expected(champion);
    const b = expected(challenger);
    expect(frame.schema.meta?.custom).toMatchObject({
      champion: { alias: 'champion', version: CHAMPION, labelledRows: a.n },
      challenger: { alias: 'challenger', version: CHALLENGER, labelledRows: b.n },
    });
    const rows = frameRows(frame);
    expect(rows.map((r) => r.metric)).toEqual(['accuracy', 'precision', 'recall', 'f1']);
    for (const row of rows) {
      const m = row.metric as 'accuracy' | 'precision' | 'recall' | 'f1';
      expect(row.champion).toBeCloseTo(a[m], 12);
      expect(row.challenger).toBeCloseTo(b[m], 12);
      expect(row.difference).toBeCloseTo(b[m] - a[m], 12);
      expect(row.champion_rows).toBe(a.n);
      expect(row.challenger_rows).toBe(b.n);
    }
    const { pairs, b: onlyChampion, c: onlyChallenger } = discordant();
    // The fixture must exercise the test: discordant pairs on both sides.
    expect(onlyChampion).toBeGreaterThan(0);
    expect(onlyChallenger).toBeGreaterThan(onlyChampion);
    const accuracy = rows[0];
    expect(accuracy?.test).toBe(`McNemar exact on ${pairs} shadow pairs`);
    const scipy = scipyMcNemar(onlyChampion, onlyChallenger);
    expect(Math.abs(Number(accuracy?.p_value) - scipy)).toBeLessThanOrEqual(1e-9 * Math.max(scipy, 1e-300));
    expect(accuracy?.significant).toBe(scipy < 0.05);
    expect(fieldValues(frame, 'p_value')?.slice(1)).toEqual([null, null, null]);
  });

  it('a shadow row with the same prediction_id and timestamp as the champion row is a retry and is dropped', async () => {
    // Request 0 has no shadow row; scoring it with the challenger at the champion's timestamp is not stored.
    const first = champion[0];
    if (!first) throw new Error('no rows');
    const retry = await send(MODEL, 'predictions', predictionPayload([{ ...first, version: CHALLENGER ?? '' }]));
    expect(retry).toMatchObject({ accepted: 0, duplicates: 1 });
    const frame = frameOf(await ask([{ refId: 'A', queryType: 'champion_challenger', model: MODEL }]), 'A');
    expect(frame.schema.meta?.custom).toMatchObject({ challenger: { labelledRows: expected(challenger).n } });
  });

  it('performance pinned to a version counts every labelled row of that version, shadow pairs included', async () => {
    const body = await ask([
      { refId: 'C', queryType: 'performance', model: MODEL, alias: 'champion', metrics: ['accuracy'] },
      { refId: 'D', queryType: 'performance', model: MODEL, version: CHALLENGER, metrics: ['accuracy'] },
    ]);
    for (const [refId, rows] of [
      ['C', champion],
      ['D', challenger],
    ] as const) {
      const frame = frameOf(body, refId);
      const counts = (fieldValues(frame, 'labelled_rows') ?? []) as number[];
      expect(counts.reduce((s, n) => s + n, 0)).toBe(expected(rows).n);
    }
  });
});

describe('champion_challenger errors fail their own query only', () => {
  beforeAll(async () => {
    await mlflowRest(state.url, 'registered-models/create', { name: IDLE_MODEL }).catch((err: Error) => {
      if (!/RESOURCE_ALREADY_EXISTS/.test(err.message)) throw err;
    });
    const versions: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await mlflowRest<{ model_version: { version: string } }>(state.url, 'model-versions/create', {
        name: IDLE_MODEL,
        source: `s3://mlsight-it/cc-idle/${i}`,
      });
      versions.push(created.model_version.version);
    }
    const [idle, busy] = versions;
    await mlflowRest(state.url, 'registered-models/alias', { name: IDLE_MODEL, alias: 'champion', version: idle });
    await mlflowRest(state.url, 'registered-models/alias', { name: IDLE_MODEL, alias: 'challenger', version: busy });
    await send(IDLE_MODEL, 'reference', [{ features: { x: 0.5 }, prediction: 1, label: 1 }]);
    const rows = challenger.slice(0, 50).map((r) => ({ ...r, version: busy ?? '' }));
    await send(IDLE_MODEL, 'predictions', predictionPayload(rows));
    await send(
      IDLE_MODEL,
      'labels',
      rows.map((r) => ({ prediction_id: r.id, label: r.prediction }))
    );
  });

  it('an unknown alias and a version without labelled predictions: errors naming them; the other query answers', async () => {
    const body = await ask([
      { refId: 'A', queryType: 'champion_challenger', model: MODEL, challenger: 'no-such-alias' },
      { refId: 'B', queryType: 'champion_challenger', model: IDLE_MODEL },
      { refId: 'C', queryType: 'champion_challenger', model: MODEL },
    ]);
    expect(body.results.A).toMatchObject({ status: 404, frames: [] });
    expect(body.results.A?.error).toContain('no-such-alias');
    expect(body.results.B).toMatchObject({ status: 404, frames: [] });
    expect(body.results.B?.error).toMatch(/^champion: version "\d+" \(alias "champion"\) has no labelled predictions/);
    expect(frameRows(frameOf(body, 'C')).length).toBeGreaterThan(0);
  });
});
