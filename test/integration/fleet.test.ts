/**
 * The `fleet` query against a real MLflow (the seeded registry plus four demo-like models registered here) and a
 * real SQLite drift store: every registered model appears once, worst first, with its champion from MLflow, and the
 * numbers equal what the per-model queries (`dataset_drift`, `kpis`, `performance`) answer over the same range.
 */
import type { DataFrameJSON } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { normalSample, seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { AUTH, INGEST_TOKEN, mlflowRest, readState, startProxy } from '../support/proxyHarness';

const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };
const state = readState();
let app: FastifyInstance;

const HEALTHY = 'fleet-it-healthy';
const DRIFTED = 'fleet-it-drifted';
const QUALITY = 'fleet-it-quality';
const EMPTY = 'fleet-it-empty';

const HOUR = 3_600_000;
/** Two whole hours that have ended, on the 2-hour grid: one bucket of a query asked with a 2-hour interval. */
const FROM = Math.floor(Date.now() / (2 * HOUR)) * 2 * HOUR - 4 * HOUR;
const TO = FROM + 2 * HOUR - 1;

async function register(name: string, versions: number, champion: number | null): Promise<string[]> {
  await mlflowRest(state.url, 'registered-models/create', { name }).catch((err: Error) => {
    if (!/RESOURCE_ALREADY_EXISTS/.test(err.message)) throw err;
  });
  const out: string[] = [];
  for (let i = 0; i < versions; i++) {
    const created = await mlflowRest<{ model_version: { version: string } }>(state.url, 'model-versions/create', {
      name,
      source: `s3://mlsight-it/fleet/${name}/${i}`,
    });
    out.push(created.model_version.version);
  }
  const version = champion === null ? undefined : out[champion];
  if (version !== undefined) {
    await mlflowRest(state.url, 'registered-models/alias', { name, alias: 'champion', version });
  }
  return out;
}

async function send(model: string, kind: 'reference' | 'predictions' | 'labels', rows: unknown[]) {
  const res = await app.inject({
    method: kind === 'reference' ? 'PUT' : 'POST',
    url: `/api/v1/models/${model}/${kind}`,
    headers: INGEST,
    payload: { rows },
  });
  expect(res.statusCode).toBe(200);
}

/** Rows of three numeric features; `shift` moves all three by that many standard deviations. */
function featureRows(n: number, seed: number, shift: number) {
  const rand = seededRandom(seed);
  const [a, b, c] = [0, 1, 2].map(() => normalSample(rand, n, 50 + shift * 10, 10));
  return Array.from({ length: n }, (_, i) => ({ a: a?.[i] ?? 0, b: b?.[i] ?? 0, c: c?.[i] ?? 0 }));
}

function predictions(model: string, n: number, seed: number, shift: number, missingA = 0) {
  const rand = seededRandom(seed + 100);
  return featureRows(n, seed, shift).map((features, i) => {
    const score = rand();
    return {
      prediction_id: `${model}-${i}`,
      timestamp: FROM + 30 * 60_000 + i * 5000,
      features: i < missingA ? { ...features, a: null } : features,
      prediction: score >= 0.5 ? 1 : 0,
      score,
    };
  });
}

const fieldOf = (frame: DataFrameJSON | undefined, name: string): unknown[] => {
  const i = frame?.schema.fields.findIndex((f) => f.name === name) ?? -1;
  return i < 0 ? [] : (frame?.data.values[i] ?? []);
};

async function ask(queries: Array<Record<string, unknown>>, intervalMs = 60_000) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: AUTH,
    payload: { from: FROM, to: TO, intervalMs, queries },
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { results: Record<string, { frames: DataFrameJSON[]; error?: string }> }).results;
}

let championOfHealthy: string | undefined;

beforeAll(async () => {
  ({ app } = await startProxy(state.url, { MLSIGHT_MONITOR_INTERVAL: '0' }));
  championOfHealthy = (await register(HEALTHY, 2, 1))[1];
  await register(DRIFTED, 1, 0);
  await register(QUALITY, 1, 0);
  await register(EMPTY, 1, null);
  for (const [model, seed] of [
    [HEALTHY, 1],
    [DRIFTED, 2],
    [QUALITY, 3],
  ] as const) {
    await send(
      model,
      'reference',
      featureRows(1000, seed + 10, 0).map((features) => ({ features }))
    );
  }
  const healthy = predictions(HEALTHY, 800, 4, 0);
  await send(HEALTHY, 'predictions', healthy);
  await send(DRIFTED, 'predictions', predictions(DRIFTED, 800, 5, 3));
  await send(QUALITY, 'predictions', predictions(QUALITY, 800, 6, 0, 200));
  // Labels agree with the prediction for 4 rows in 5.
  await send(
    HEALTHY,
    'labels',
    healthy.map((r, i) => ({ prediction_id: r.prediction_id, label: i % 5 === 0 ? 1 - r.prediction : r.prediction }))
  );
});
afterAll(async () => app?.close());

describe('fleet', () => {
  it('lists every registered model once, worst first, with the statuses its numbers give', async () => {
    const results = await ask([{ refId: 'F', queryType: 'fleet' }]);
    expect(results.F?.error).toBeUndefined();
    const [fleet, sparklines] = results.F?.frames ?? [];
    expect(fleet?.schema.name).toBe('fleet');
    expect(fleet?.schema.fields.map((f) => f.name)).toEqual([
      'model',
      'status',
      'attention',
      'champion_version',
      'champion_alias_age',
      'challenger_version',
      'predictions',
      'freshness',
      'drifted_features',
      'features',
      'drift_share',
      'estimated_accuracy',
      'estimated_accuracy_lower',
      'estimated_accuracy_upper',
      'realised_accuracy',
      'quality_incidents',
      'firing_alerts',
      'reasons',
    ]);
    const registered = await mlflowRest<{ registered_models: Array<{ name: string }> }>(
      state.url,
      'registered-models/search?max_results=1000'
    );
    const models = fieldOf(fleet, 'model') as string[];
    expect([...models].sort()).toEqual(registered.registered_models.map((m) => m.name).sort());
    const attention = fieldOf(fleet, 'attention') as number[];
    expect(attention).toEqual([...attention].sort((a, b) => b - a));

    const row = (model: string) => {
      const i = models.indexOf(model);
      return Object.fromEntries((fleet?.schema.fields ?? []).map((f, k) => [f.name, fleet?.data.values[k]?.[i]]));
    };
    expect(row(DRIFTED)).toMatchObject({ status: 'critical', drifted_features: 3, features: 3, drift_share: 1 });
    expect(String(row(DRIFTED).reasons)).toContain('dataset drift: 3 of 3 features drifted');
    expect(row(QUALITY)).toMatchObject({ status: 'warning', quality_incidents: 1 });
    expect(row(HEALTHY)).toMatchObject({
      status: 'ok',
      champion_version: championOfHealthy,
      predictions: 800,
      drifted_features: 0,
      reasons: 'all checks pass',
    });
    expect(row(EMPTY)).toMatchObject({ status: 'no_data', predictions: 0, champion_version: null });
    const order = [DRIFTED, QUALITY, HEALTHY, EMPTY].map((m) => models.indexOf(m));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Freshness: the newest prediction's age at the end of the range.
    const newest = FROM + 30 * 60_000 + 799 * 5000;
    expect(row(HEALTHY).freshness).toBeCloseTo((TO - newest) / 1000, 3);
    // The monitor is off here: no alerts or CBPE, and the frame says why.
    expect(row(HEALTHY)).toMatchObject({ firing_alerts: 0, estimated_accuracy: null });
    expect(JSON.stringify(fleet?.schema.meta?.notices)).toContain('the monitor has not run yet');

    expect(sparklines?.schema.meta?.type).toBe('timeseries-long');
    const sparkModels = fieldOf(sparklines, 'model') as string[];
    const shares = fieldOf(sparklines, 'drift_share') as Array<number | null>;
    // A bucket too small for a verdict has no share; every other bucket of the drifted model drifts entirely.
    const driftedShares = shares.filter((s, i) => sparkModels[i] === DRIFTED && s !== null);
    expect(driftedShares.length).toBeGreaterThan(1);
    expect(driftedShares.every((s) => s === 1)).toBe(true);
  });

  it('equals the per-model queries over the same range', async () => {
    const results = await ask(
      [
        { refId: 'F', queryType: 'fleet', search: 'FLEET-IT' },
        { refId: 'D', queryType: 'dataset_drift', model: DRIFTED },
        { refId: 'H', queryType: 'dataset_drift', model: HEALTHY },
        { refId: 'K', queryType: 'kpis', model: QUALITY },
        { refId: 'P', queryType: 'performance', model: HEALTHY, metrics: ['accuracy'] },
      ],
      2 * HOUR
    );
    for (const refId of ['F', 'D', 'H', 'K', 'P']) expect(results[refId]?.error).toBeUndefined();
    const fleet = results.F?.frames[0];
    const models = fieldOf(fleet, 'model') as string[];
    // The search is case-insensitive and keeps only this file's models.
    expect([...models].sort()).toEqual([DRIFTED, EMPTY, HEALTHY, QUALITY].sort());
    const at = (model: string, field: string) => fieldOf(fleet, field)[models.indexOf(model)];
    expect(at(DRIFTED, 'drifted_features')).toBe(fieldOf(results.D?.frames[0], 'drifted_features')[0]);
    expect(at(HEALTHY, 'drifted_features')).toBe(fieldOf(results.H?.frames[0], 'drifted_features')[0]);
    expect(at(QUALITY, 'quality_incidents')).toBe(fieldOf(results.K?.frames[0], 'quality_incidents')[0]);
    const realised = fieldOf(results.P?.frames[0], 'accuracy').filter((v): v is number => typeof v === 'number');
    expect(realised).toHaveLength(1);
    expect(at(HEALTHY, 'realised_accuracy')).toBeCloseTo(realised[0] ?? Number.NaN, 12);
  });

  it('filters by status: attention keeps critical and warning models, ok only ok ones', async () => {
    const results = await ask([
      { refId: 'A', queryType: 'fleet', search: 'fleet-it', status: 'attention' },
      { refId: 'O', queryType: 'fleet', search: 'fleet-it', status: 'ok' },
    ]);
    expect(fieldOf(results.A?.frames[0], 'model')).toEqual([DRIFTED, QUALITY]);
    expect(fieldOf(results.O?.frames[0], 'model')).toEqual([HEALTHY]);
  });
});
