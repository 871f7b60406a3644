import type { QueryResponse } from '@mlsight/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/config';
import { type FakeMlflow, startFakeMlflow } from '../mlflow/fakeMlflowServer';
import { openSqliteStore } from '../store/sqliteStore';
import type { DriftStore } from '../store/types';
import { buildApp } from './app';
import { mlflowFromConfig } from './mlflowFromConfig';

const NOW = Date.now();
let dir: string;
let store: DriftStore;
let fake: FakeMlflow;
let app: FastifyInstance;

async function start(env: Record<string, string>) {
  const config = loadConfig({
    MLSIGHT_AUTH: 'off',
    MLSIGHT_MLFLOW_URL: fake.url,
    MLSIGHT_METRICS_PUBLIC: 'true',
    ...env,
  });
  app = await buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), store, logger: false });
}

const metricsText = async () => (await app.inject({ url: '/metrics' })).body;

/** The value of one sample line of the exposition, or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlsight-metrics-test-'));
  store = await openSqliteStore(join(dir, 'store.db'));
  fake = await startFakeMlflow(() => ({ body: { registered_models: [] } }));
});
afterEach(async () => {
  await app.close();
  await store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const reference = { rows: Array.from({ length: 50 }, (_, i) => ({ features: { x: i, c: i % 2 ? 'a' : 'b' } })) };
const rows = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}-${i}`,
    timestamp: NOW - 60_000 - i * 1000,
    features: { x: i % 7 === 0 ? 'bad' : i, c: 'a' },
    prediction: 1,
  }));

describe('GET /metrics: ingestion and MLflow counters', () => {
  it('counts accepted and rejected rows per model and kind, refused and replayed batches as they wrote', async () => {
    await start({ MLSIGHT_MONITOR_INTERVAL: '0' });
    const post = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, payload, headers });
    expect(
      (await app.inject({ method: 'PUT', url: '/api/v1/models/m/reference', payload: reference })).statusCode
    ).toBe(200);
    const batch = rows(20, 'a');
    const bad = batch.filter((r) => r.features.x === 'bad').length;
    const first = await post('/api/v1/models/m/predictions', { rows: batch }, { 'idempotency-key': 'k1' });
    expect(first.json()).toMatchObject({ accepted: 20 - bad, rejected: bad });
    // A replay writes nothing and counts nothing; an atomic refusal writes nothing: all its rows are rejected.
    await post('/api/v1/models/m/predictions', { rows: batch }, { 'idempotency-key': 'k1' });
    expect((await post('/api/v1/models/m/predictions?atomic=true', { rows: rows(10, 'b') })).statusCode).toBe(422);

    const text = await metricsText();
    const series = (kind: string, outcome: string) =>
      `mlsight_ingest_rows_total{model="m",kind="${kind}",outcome="${outcome}"}`;
    expect(valueOf(text, series('reference', 'accepted'))).toBe(50);
    expect(valueOf(text, series('predictions', 'accepted'))).toBe(20 - bad);
    expect(valueOf(text, series('predictions', 'rejected'))).toBe(bad + 10);
    expect(valueOf(text, 'mlsight_ingest_batch_duration_seconds_count{kind="predictions"}')).toBe(3);
    expect(valueOf(text, 'mlsight_ingest_batch_duration_seconds_count{kind="reference"}')).toBe(1);
    expect(text).not.toMatch(/a-\d|b-\d/);
  });

  it('counts MLflow reads by outcome', async () => {
    await start({ MLSIGHT_MONITOR_INTERVAL: '0' });
    const answer = await app.inject({ url: '/api/v1/variables/models' });
    expect(answer.statusCode).toBe(200);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(valueOf(await metricsText(), 'mlsight_mlflow_requests_total{outcome="ok"}')).toBe(fake.requests.length);
  });

  it('the monitor started by buildApp publishes gauges of stored models on its schedule', async () => {
    await store.putReference('m', reference);
    await store.ingestPredictions('m', rows(30, 'c'));
    await start({ MLSIGHT_MONITOR_INTERVAL: '100ms' });
    let text = '';
    for (
      let attempt = 0;
      attempt < 50 && valueOf(text, 'mlsight_data_rows{model="m",version=""}') === undefined;
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await metricsText();
    }
    const stored = rows(30, 'c').filter((r) => r.features.x !== 'bad').length;
    expect(valueOf(text, 'mlsight_data_rows{model="m",version=""}')).toBe(stored);
    expect(valueOf(text, 'mlsight_feature_drift_sample_size{model="m",version="",feature="x",side="reference"}')).toBe(
      50
    );
    expect(valueOf(text, 'mlsight_monitor_errors_total')).toBe(0);
    expect(text).not.toMatch(/c-\d/);
  });

  it('publishes realised performance and fairness gauges equal to what their queries answer', async () => {
    await store.putReference('f', { rows: [0, 1, 2, 3, 4, 5].map((x) => ({ features: { x } })) });
    const scored = Array.from({ length: 200 }, (_, i) => ({
      prediction_id: `f-${i}`,
      timestamp: NOW - 60_000 - i * 1000,
      features: { x: i % 6 },
      // North is selected (prediction 1) twice as often as south: a disparate-impact ratio of 0.5.
      prediction: i % 2 === 0 ? (i % 3 === 0 ? 1 : 0) : i % 6 === 1 ? 1 : 0,
      score: (i % 10) / 10,
      segment: { region: i % 2 === 0 ? 'north' : 'south' },
    }));
    await store.ingestPredictions('f', scored);
    await store.ingestLabels(
      'f',
      scored.map((r, i) => ({ prediction_id: r.prediction_id, label: i % 4 === 0 ? 1 : r.prediction }))
    );
    await start({ MLSIGHT_MONITOR_INTERVAL: '100ms' });
    const dpd = 'mlsight_fairness_demographic_parity_difference{model="f",version="",attribute="region"}';
    let text = '';
    for (let attempt = 0; attempt < 50 && valueOf(text, dpd) === undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await metricsText();
    }
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: {
        from: 'now-1h',
        to: 'now',
        // One bucket from the epoch past the window's end, as the monitor's whole-window bucket: a 2-hour grid split
        // the rows in two whenever an even hour fell among them (it failed at 16:0x).
        intervalMs: NOW + 3_600_000,
        queries: [
          { refId: 'F', queryType: 'fairness', model: 'f', segment: 'region' },
          { refId: 'P', queryType: 'performance', model: 'f' },
        ],
      },
    });
    const { results } = res.json() as QueryResponse;
    const field = (refId: string, frame: string, name: string) => {
      const f = results[refId]?.frames.find((x) => x.schema.name === frame);
      const i = f?.schema.fields.findIndex((x) => x.name === name) ?? -1;
      return f?.data.values[i] ?? [];
    };
    expect(valueOf(text, dpd)).toBeCloseTo(
      Number(field('F', 'fairness_summary', 'demographic_parity_difference')[0]),
      12
    );
    const groups = field('F', 'fairness', 'group');
    const ratios = field('F', 'fairness', 'disparate_impact_ratio');
    expect(groups.length).toBe(2);
    groups.forEach((group, i) => {
      const series = `mlsight_fairness_disparate_impact_ratio{model="f",version="",attribute="region",group="${String(group)}"}`;
      expect(valueOf(text, series)).toBeCloseTo(Number(ratios[i]), 12);
    });
    const accuracy = valueOf(text, 'mlsight_performance{model="f",version="",metric="accuracy"}');
    expect(accuracy).toBeCloseTo(Number(field('P', 'performance', 'accuracy')[0]), 12);
    expect(valueOf(text, 'mlsight_performance_labelled_rows{model="f",version=""}')).toBe(200);
    expect(valueOf(text, 'mlsight_monitor_errors_total')).toBe(0);
  });
});
