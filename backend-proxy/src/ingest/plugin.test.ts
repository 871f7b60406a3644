import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { openSqliteStore } from '../store/sqliteStore';
import type { DriftStore } from '../store/types';
import { ingestPlugin } from './plugin';

const NOW = Date.now();
const MAX_BODY = 64 * 1024;

function referenceBody(n = 200) {
  return {
    version: '3',
    mlflow_run_id: 'run-1',
    rows: Array.from({ length: n }, (_, i) => ({
      features: { amount: (i * 37) % 101, channel: ['web', 'app'][i % 2] },
      prediction: i % 2,
      label: i % 3 === 0 ? 1 : 0,
    })),
  };
}

function predictions(n: number, prefix = 'p') {
  return Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}${i}`,
    timestamp: new Date(NOW - i * 1000).toISOString(),
    version: '3',
    features: { amount: i % 120, channel: i % 5 === 0 ? 'phone' : 'web' },
    prediction: i % 2,
    score: (i % 10) / 10,
  }));
}

describe('ingestPlugin', () => {
  let dir: string;
  let store: DriftStore;
  let app: FastifyInstance;
  const scopes: Array<string | undefined> = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-ingest-test-'));
    store = await openSqliteStore(join(dir, 'store.db'));
    app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    // Stands in for the auth plugin, which reads the route's scope.
    app.addHook('onRequest', async (request) => {
      scopes.push(request.routeOptions.config.scope);
    });
    // Stands in for the application's error handler: the plugin hands it every error but 413.
    app.setErrorHandler((err, _request, reply) =>
      reply.code(400).send({ statusCode: 400, error: 'App', message: (err as Error).message })
    );
    await app.register(ingestPlugin, { store, maxBodyBytes: MAX_BODY });
    app.post('/elsewhere', async (request) => ({ echo: request.body }));
    await app.ready();
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (payload: unknown, url = '/api/v1/models/churn/reference') =>
    app.inject({ method: 'PUT', url, payload: payload as object });
  const post = (kind: 'predictions' | 'labels', payload: unknown, headers: Record<string, string> = {}, query = '') =>
    app.inject({ method: 'POST', url: `/api/v1/models/churn/${kind}${query}`, payload: payload as object, headers });

  it('freezes a reference and ingests predictions and labels as JSON, in the ingest scope', async () => {
    const ref = await put(referenceBody());
    expect(ref.statusCode).toBe(200);
    expect(ref.json()).toMatchObject({ accepted: 200, rejected: 0, reference: { version: '3', rowCount: 200 } });
    const kinds = Object.fromEntries(
      ref
        .json<{ reference: { features: Array<{ name: string; kind: string }> } }>()
        .reference.features.map((f) => [f.name, f.kind])
    );
    expect(kinds).toEqual({ amount: 'numeric', channel: 'categorical' });

    const res = await post('predictions', { rows: predictions(30) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 30, rejected: 0, duplicates: 0, errors: [] });
    const labels = await post('labels', {
      rows: [
        { prediction_id: 'p1', label: 1 },
        { prediction_id: 'zzz', label: 0 },
      ],
    });
    expect(labels.json()).toMatchObject({ accepted: 1, rejected: 1, errors: [{ index: 1 }] });
    expect(new Set(scopes)).toEqual(new Set(['ingest']));

    const stored = await store.getPrediction('churn', 'p1');
    expect(stored?.label).toBe(1);
    expect(stored?.version).toBe('3');
  });

  it('takes NDJSON bodies and reports an unparsable line by its index', async () => {
    const lines = referenceBody(50)
      .rows.map((r) => JSON.stringify(r))
      .join('\n');
    const ref = await app.inject({
      method: 'PUT',
      url: '/api/v1/models/churn/reference?version=3&kinds=amount:categorical',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${lines}\n`,
    });
    expect(ref.statusCode).toBe(200);
    expect(ref.json()).toMatchObject({ accepted: 50, reference: { version: '3' } });
    expect((await store.getReference('churn', '3'))?.features.amount?.kind).toBe('categorical');

    const rows = predictions(3).map((r) => JSON.stringify(r));
    const body = [rows[0], '{"prediction_id": "broken",', '', rows[1], rows[2]].join('\n');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/models/churn/predictions',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 3, rejected: 1, errors: [{ index: 1 }] });
    expect(res.json<{ errors: Array<{ reason: string }> }>().errors[0]?.reason).toMatch(/^line 2: invalid JSON/);
  });

  it('keeps good rows and reports bad ones by index, or refuses all with ?atomic=true', async () => {
    await put(referenceBody());
    const rows: unknown[] = predictions(4);
    rows.splice(1, 0, { prediction_id: 'bad-ts', timestamp: '2026-13-45', features: {} });
    rows.splice(3, 0, { timestamp: NOW, features: { amount: 1 } });
    const refused = await post('predictions', { rows }, {}, '?atomic=true');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      statusCode: 422,
      accepted: 0,
      rejected: 2,
      errors: [{ index: 1 }, { index: 3 }],
    });
    expect(await store.getPredictions({ model: 'churn', fromMs: 0, toMs: NOW + 1 })).toEqual([]);

    const kept = await post('predictions', { rows });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({ accepted: 4, rejected: 2 });
    expect(kept.json<{ errors: Array<{ index: number; reason: string }> }>().errors).toEqual([
      { index: 1, reason: expect.stringContaining('timestamp') },
      { index: 3, reason: 'missing prediction_id' },
    ]);
    expect(await store.getPredictions({ model: 'churn', fromMs: 0, toMs: NOW + 1 })).toHaveLength(4);
  });

  it('replays a batch with a known Idempotency-Key and refuses the key with another body', async () => {
    await put(referenceBody());
    const headers = { 'idempotency-key': 'batch-42' };
    const first = await post('predictions', { rows: predictions(10) }, headers);
    const second = await post('predictions', { rows: predictions(10) }, headers);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await store.getPredictions({ model: 'churn', fromMs: 0, toMs: NOW + 1 })).toHaveLength(10);
    const other = await post('predictions', { rows: predictions(9) }, headers);
    expect(other.statusCode).toBe(409);
    expect(other.json<{ message: string }>().message).toContain('batch-42');
  });

  it('answers 413 naming the limit for a body over maxBodyBytes', async () => {
    await put(referenceBody());
    const big = { rows: predictions(2000) };
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_BODY);
    const res = await post('predictions', big);
    expect(res.statusCode).toBe(413);
    expect(res.json<{ message: string }>().message).toContain(String(MAX_BODY));
    const ndjson = await app.inject({
      method: 'POST',
      url: '/api/v1/models/churn/predictions',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: big.rows.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(ndjson.statusCode).toBe(413);
    expect(await store.getPredictions({ model: 'churn', fromMs: 0, toMs: NOW + 1 })).toEqual([]);
  });

  it('rejects a body without rows (400) and rows for a model without reference per row', async () => {
    const noRows = await post('predictions', { data: [] });
    expect(noRows.statusCode).toBe(400);
    expect(noRows.json()).toMatchObject({ error: 'App' });
    // The plugin's own JSON parser stays inside the plugin.
    const elsewhere = await app.inject({ method: 'POST', url: '/elsewhere', payload: { a: 1 } });
    expect(elsewhere.json()).toEqual({ echo: { a: 1 } });
    const unknown = await post('predictions', { rows: predictions(2) });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toMatchObject({ accepted: 0, rejected: 2 });
    expect(unknown.json<{ errors: Array<{ reason: string }> }>().errors[0]?.reason).toContain(
      'no reference profile yet'
    );
    const empty = await put({ rows: ['nope'] });
    expect(empty.statusCode).toBe(422);
  });
});
