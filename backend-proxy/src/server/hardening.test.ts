import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres';
import { loadConfig } from '../config/config';
import { openPostgresStore } from '../store/postgresStore';
import { openSqliteStore } from '../store/sqliteStore';
import type { DriftStore } from '../store/types';
import { buildApp, loggerOptions } from './app';
import { mlflowFromConfig } from './mlflowFromConfig';

/*
 * Regression tests of issue 14 (hardening), through the whole app as a client sees it, on both store engines.
 * MLflow is a closed loopback port (127.0.0.1:9): every MLflow call fails as it does when MLflow is down.
 */

jest.setTimeout(120_000);

const NOW = Date.UTC(2026, 10, 20, 12);
const MLFLOW_DOWN = 'http://127.0.0.1:9';

let postgres: PostgresServer | undefined;
const dirs: string[] = [];
let dbCounter = 0;

async function freshPostgresUrl(): Promise<string> {
  if (!postgres) throw new Error('postgres not started');
  const name = `h${process.pid}_${++dbCounter}`;
  const admin = new Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return postgres.url.replace(/\/[^/]+$/, `/${name}`);
}

const engines: Array<{ name: string; open(): Promise<DriftStore> }> = [
  {
    name: 'sqlite',
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'mlsight-hardening-'));
      dirs.push(dir);
      return openSqliteStore(join(dir, 'store.db'));
    },
  },
  { name: 'postgres', open: async () => openPostgresStore(await freshPostgresUrl()) },
];

beforeAll(async () => {
  postgres = await startPostgres({ fsync: false });
});

afterAll(async () => {
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Log lines the app wrote, parsed. */
class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

const SETTINGS = {
  MLSIGHT_AUTH: 'off',
  MLSIGHT_MLFLOW_URL: MLFLOW_DOWN,
  MLSIGHT_MLFLOW_RETRIES: '0',
  MLSIGHT_MAX_BODY_BYTES: String(64 * 1024),
  MLSIGHT_MAX_FEATURES: '50',
  MLSIGHT_MAX_STRING_LENGTH: '100',
  MLSIGHT_MAX_BATCH_ROWS: '1000',
  MLSIGHT_MAX_QUERY_CELLS: '1000',
};

describe.each(engines)('issue 14 regressions on $name', (engine) => {
  let store: DriftStore;
  let app: FastifyInstance;
  let log: LogLines;

  beforeEach(async () => {
    store = await engine.open();
    log = new LogLines();
    const config = loadConfig(SETTINGS);
    const logger = { ...(loggerOptions('info') as object), stream: log };
    app = await buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), store, logger });
    app.get('/boom', { config: { scope: 'public' } }, async () => {
      throw new Error('secret detail at http://admin:hunter2@db.internal/x');
    });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const putReference = (model: string, payload: object) =>
    app.inject({ method: 'PUT', url: `/api/v1/models/${model}/reference`, payload });
  const postPredictions = (model: string, rows: unknown[]) =>
    app.inject({ method: 'POST', url: `/api/v1/models/${model}/predictions`, payload: { rows } });
  const prediction = (id: string, features: Record<string, unknown>, extra: object = {}) => ({
    prediction_id: id,
    timestamp: NOW,
    features,
    ...extra,
  });

  it('accepts model names of 101–256 characters (Fastify answered 414 above 100)', async () => {
    const rows = [{ features: { a: 1 } }];
    expect((await putReference('m'.repeat(150), { rows })).statusCode).toBe(200);
    expect((await putReference('m'.repeat(256), { rows })).statusCode).toBe(200);
    // 256 characters outside ASCII are 256 × 6 characters percent-encoded.
    expect((await putReference(encodeURIComponent('é'.repeat(256)), { rows })).statusCode).toBe(200);
    expect(await store.getReference('é'.repeat(256))).toBeDefined();
    const tooLong = await putReference('m'.repeat(257), { rows });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ field: 'params.model' });
  });

  it('answers 400 naming the column, not 500 (RangeError: quantileEdges), for a declared numeric column without values', async () => {
    const empty = await putReference('m', { rows: [{ features: { a: null, b: 1 } }], kinds: { a: 'numeric' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ message: string }>().message).toMatch(
      /^kinds\.a: feature "a" is declared numeric but has no value/
    );
    const noPredictions = await putReference('m', { rows: [{ features: { b: 1 } }], prediction_kind: 'numeric' });
    expect(noPredictions.statusCode).toBe(400);
    expect(noPredictions.json<{ message: string }>().message).toMatch(
      /^prediction_kind: prediction is declared numeric/
    );
    expect(await store.getReference('m')).toBeUndefined();
    // Undeclared, a column without values is stored unprofiled, with a notice, as before.
    const inferred = await putReference('m', { rows: [{ features: { a: null, b: 1.5 } }] });
    expect(inferred.statusCode).toBe(200);
    expect(inferred.json<{ notices: string[] }>().notices.join(' ')).toContain('feature "a" has no value');
  });

  it('answers 503 from variables and annotations when MLflow is down (was 500), with the readable message', async () => {
    for (const res of [
      await app.inject({ method: 'GET', url: '/api/v1/variables/models' }),
      await app.inject({ method: 'POST', url: '/api/v1/annotations', payload: { from: NOW - 3_600_000, to: NOW } }),
    ]) {
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(
          /^MLflow at http:\/\/127\.0\.0\.1:9 is unreachable \(.+\): check that the server/
        ),
      });
    }
  });

  it('refuses a NUL character by row with a reason and keeps the good rows (PostgreSQL gave 500 and lost them)', async () => {
    expect((await putReference('m', { rows: [{ features: { x: 1.5, c: 'a' } }] })).statusCode).toBe(200);
    const res = await postPredictions('m', [
      prediction('p1', { x: 1, c: 'a' }),
      prediction('p2', { x: 2, c: 'a\u0000b' }),
      prediction('p3\u0000', { x: 3, c: 'a' }),
      prediction('p4', { x: 4, 'c\u0000': 'a' }),
      prediction('p5', { x: 5, c: 'b' }, { segment: { region: 'e\u0000u' } }),
      prediction('p6', { x: 6, c: 'b' }),
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ accepted: number; errors: Array<{ index: number; reason: string }> }>();
    expect(body.accepted).toBe(2);
    expect(body.errors).toEqual([
      { index: 1, reason: 'features.c: contains the NUL character (U+0000), which the store does not keep' },
      { index: 2, reason: 'prediction_id: contains the NUL character (U+0000), which the store does not keep' },
      { index: 3, reason: 'features: a name contains the NUL character (U+0000)' },
      { index: 4, reason: 'segment.region: contains the NUL character (U+0000), which the store does not keep' },
    ]);
    const labels = await app.inject({
      method: 'POST',
      url: '/api/v1/models/m/labels',
      payload: {
        rows: [
          { prediction_id: 'p1', label: 'y\u0000es' },
          { prediction_id: 'p6', label: 'no' },
        ],
      },
    });
    expect(labels.json()).toMatchObject({
      accepted: 1,
      errors: [{ index: 0, reason: expect.stringMatching(/^label: /) }],
    });
  });

  it('refuses a NUL character in a model name or reference metadata with 400 naming the field', async () => {
    const name = await putReference('a%00b', { rows: [{ features: { x: 1 } }] });
    expect(name.statusCode).toBe(400);
    expect(name.json()).toMatchObject({ field: 'params.model', message: expect.stringContaining('NUL') });
    const version = await putReference('m', { version: 'v\u00001', rows: [{ features: { x: 1 } }] });
    expect(version.statusCode).toBe(400);
    expect(version.json()).toMatchObject({ field: 'version' });
  });

  it('redacts a token in the query string and URL user info from the log (they were logged in req.url)', async () => {
    await app.inject({ method: 'GET', url: '/api/v1/variables/models?token=tok-secret-123&model=x' });
    await app.inject({ method: 'GET', url: '/boom' });
    const text = log.lines.join('\n');
    expect(text).toContain('/api/v1/variables/models?token=[redacted]&model=x');
    expect(text).toContain('http://[redacted]@db.internal/x');
    expect(text).not.toContain('tok-secret-123');
    expect(text).not.toContain('hunter2');
  });

  it('logs an err that is a message text, redacted, instead of throwing in the serializer', () => {
    app.log.warn({ err: 'refused by http://u:pw-123@mlflow' }, 'text err');
    app.log.warn({ err: 42 }, 'odd err');
    const lines = log.lines.map((l) => JSON.parse(l) as { msg: string; err?: unknown });
    expect(lines.find((l) => l.msg === 'text err')?.err).toBe('refused by http://[redacted]@mlflow');
    expect(lines.find((l) => l.msg === 'odd err')?.err).toBe(42);
  });

  it('answers an unknown error with 500 and an error id found in the log, never the stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json<{ errorId: string; message: string }>();
    expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.message).toBe(`internal error ${body.errorId} (the proxy log has the details under this errorId)`);
    expect(res.body).not.toContain('secret detail');
    expect(res.body).not.toContain('hardening.test');
    const logged = log.lines.map((l) => JSON.parse(l) as { errorId?: string; err?: { stack?: string } });
    expect(logged.find((l) => l.errorId === body.errorId)?.err?.stack).toContain('hardening.test');
  });

  it('refuses a reference over MLSIGHT_MAX_FEATURES whole with 413 (100k features held the event loop for 10 s)', async () => {
    const features = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, i]));
    const big = await app.inject({
      method: 'PUT',
      url: '/api/v1/models/wide/reference',
      payload: { rows: [{ features }] },
      headers: { 'content-type': 'application/json' },
    });
    // The body limit of these settings refuses it first; with room for it, the feature limit does.
    expect(big.statusCode).toBe(413);
    const split = Array.from({ length: 3 }, (_, r) => ({
      features: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${r * 20 + i}`, i + 0.5])),
    }));
    const wide = await putReference('wide', { rows: split });
    expect(wide.statusCode).toBe(413);
    expect(wide.json<{ message: string }>().message).toBe(
      'the reference has more than 50 distinct features, the limit (MLSIGHT_MAX_FEATURES); leave features out or raise the limit'
    );
    expect(await store.getReference('wide')).toBeUndefined();
  });

  it('refuses prediction rows over the feature and string limits by index, and batches over the row limit whole', async () => {
    expect((await putReference('m', { rows: [{ features: { x: 1.5, c: 'a' } }] })).statusCode).toBe(200);
    const wideRow = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i]));
    const res = await postPredictions('m', [
      prediction('p1', { x: 1 }),
      prediction('p2', wideRow),
      prediction('p3', { c: 'x'.repeat(101) }),
      prediction('p4', { c: 'x'.repeat(100) }),
    ]);
    expect(res.json()).toMatchObject({
      accepted: 2,
      errors: [
        { index: 1, reason: 'features: more than the limit of 50 names per row (MLSIGHT_MAX_FEATURES)' },
        {
          index: 2,
          reason: 'features.c: has 101 characters, more than the limit of 100 (MLSIGHT_MAX_STRING_LENGTH)',
        },
      ],
    });
    // Scores −0.5 and 1.5 were accepted silently (issue 14): stored, and said per row.
    const scores = await postPredictions('m', [
      prediction('s1', { x: 1 }, { score: 1.5 }),
      prediction('s2', { x: 1 }, { score: [0.2, 0.8] }),
      prediction('s3', { x: 1 }, { score: [-0.5, 1.5] }),
      prediction('s4', { c: 'x'.repeat(101) }, { score: 2 }),
    ]);
    expect(scores.json()).toMatchObject({
      accepted: 3,
      warnings: [
        { index: 0, reason: 'score: 1.5 is outside [0, 1]; stored as sent' },
        { index: 2, reason: 'score: [-0.5,1.5] is outside [0, 1]; stored as sent' },
      ],
    });
    const many = await postPredictions(
      'm',
      Array.from({ length: 1001 }, (_, i) => ({ prediction_id: i, timestamp: NOW, features: {} }))
    );
    expect(many.statusCode).toBe(413);
    expect(many.json<{ message: string }>().message).toBe(
      'the batch has 1001 rows, more than the limit of 1000 (MLSIGHT_MAX_BATCH_ROWS); send smaller batches'
    );
  });

  it('refuses a heatmap over MLSIGHT_MAX_QUERY_CELLS with its cells and the limit (a heatmap took 17 s)', async () => {
    const features = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i + 0.5]));
    expect((await putReference('m', { rows: [{ features }, { features }] })).statusCode).toBe(200);
    const ask = (hours: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/query',
        payload: {
          from: NOW - hours * 3_600_000,
          to: NOW,
          intervalMs: 3_600_000,
          queries: [{ refId: 'A', queryType: 'drift_heatmap', model: 'm' }],
        },
      });
    const over = (await ask(100)).json<{ results: { A: { status: number; error: string } } }>().results.A;
    expect(over.status).toBe(400);
    expect(over.error).toMatch(
      /^drift_heatmap would compute 20 features × 10[01] buckets = 20[02]0 cells, more than the limit of 1000 \(MLSIGHT_MAX_QUERY_CELLS\)/
    );
    expect((await ask(24)).json<{ results: { A: { status: number } } }>().results.A.status).toBe(200);
  });

  it('answers text/plain with 415, and states the body limit in the 413 of /api/v1/query', async () => {
    for (const url of ['/api/v1/query', '/api/v1/models/m/predictions']) {
      const res = await app.inject({ method: 'POST', url, payload: 'rows', headers: { 'content-type': 'text/plain' } });
      expect(res.statusCode).toBe(415);
    }
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: { from: 0, to: 1, queries: [{ refId: 'x'.repeat(70_000), queryType: 'models' }] },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json<{ message: string }>().message).toBe(
      'request body is larger than the limit of 65536 bytes (MLSIGHT_MAX_BODY_BYTES)'
    );
  });

  it('states the body limit in the 413 of a chunked reference', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${address}/api/v1/models/m/reference`, {
        method: 'PUT',
        headers: { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const line = `${JSON.stringify({ features: { x: 1.5 } })}\n`;
      // Written in pieces, so the body arrives chunked; the answer may come before the last piece.
      let sent = 0;
      const more = () => {
        while (sent < 80 * 1024) {
          sent += line.length * 100;
          if (!req.write(line.repeat(100))) return void req.once('drain', more);
        }
        req.end();
      };
      more();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      message: expect.stringContaining('larger than the limit of 65536 bytes (MLSIGHT_MAX_BODY_BYTES)'),
    });
  });
});
