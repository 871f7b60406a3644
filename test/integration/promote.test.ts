/**
 * Promote / rollback and the retraining hook against a real MLflow: the alias moves in MLflow, the version carries
 * who / when / why, a stale expectedVersion is refused with 409 (nothing moves), a Viewer and a read-scope token get
 * 403, the move shows up as a `deployment` annotation, and a retraining request reaches a local HTTP receiver.
 */
import type { RetrainPayload } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTH, INGEST_TOKEN, mlflowRest, READ_TOKEN, readState, startProxy } from '../support/proxyHarness';

const ADMIN_TOKEN = 'it-admin-token-0123456789abcdef';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const MODEL = 'promote-it';
const state = readState();
let app: FastifyInstance;
let receiver: Server;
const received: Array<{ body: RetrainPayload; contentType: string | undefined }> = [];

const alice = { login: 'alice', role: 'Editor' } as const;

async function aliasVersion(alias: string): Promise<string | undefined> {
  const got = await mlflowRest<{ model_version: { version: string } }>(
    state.url,
    `registered-models/alias?name=${MODEL}&alias=${alias}`
  ).catch(() => undefined);
  return got?.model_version.version;
}

async function tagsOf(version: string): Promise<Record<string, string>> {
  const got = await mlflowRest<{ model_version: { tags?: Array<{ key: string; value: string }> } }>(
    state.url,
    `model-versions/get?name=${MODEL}&version=${version}`
  );
  return Object.fromEntries((got.model_version.tags ?? []).map((t) => [t.key, t.value]));
}

function promote(body: Record<string, unknown>, headers: Record<string, string> = ADMIN, alias = 'champion') {
  return app.inject({ method: 'POST', url: `/api/v1/models/${MODEL}/aliases/${alias}`, headers, payload: body });
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as RetrainPayload,
        contentType: req.headers['content-type'],
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const port = (receiver.address() as AddressInfo).port;
  ({ app } = await startProxy(state.url, {
    MLSIGHT_MONITOR_INTERVAL: '0',
    MLSIGHT_TOKENS: `${READ_TOKEN}:read,${INGEST_TOKEN}:ingest,${ADMIN_TOKEN}:admin`,
    MLSIGHT_RETRAIN_WEBHOOK_URL: `http://127.0.0.1:${port}/hooks/retrain`,
    MLSIGHT_GRAFANA_URL: 'http://grafana.example:3000/',
  }));
  await mlflowRest(state.url, 'registered-models/create', { name: MODEL }).catch((err: Error) => {
    if (!/RESOURCE_ALREADY_EXISTS/.test(err.message)) throw err;
  });
  for (let i = 0; i < 3; i++) {
    await mlflowRest(state.url, 'model-versions/create', { name: MODEL, source: `s3://mlsight-it/promote/${i}` });
  }
  await mlflowRest(state.url, 'registered-models/alias', { name: MODEL, alias: 'champion', version: '1' });
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((done) => receiver.close(() => done()));
});

describe('promote and roll back', () => {
  it('moves the alias in MLflow, tags who / when / why, refuses a stale expectation, and rolls back', async () => {
    const list = await app.inject({ method: 'GET', url: `/api/v1/models/${MODEL}/aliases`, headers: AUTH });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ model: MODEL, aliases: [{ alias: 'champion', version: '1' }] });
    expect((list.json() as { versions: Array<{ version: string }> }).versions.map((v) => v.version)).toEqual([
      '3',
      '2',
      '1',
    ]);

    const before = Date.now();
    const up = await promote({ version: '2', reason: 'better AUC on last week', expectedVersion: '1', actor: alice });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({
      model: MODEL,
      alias: 'champion',
      version: '2',
      previousVersion: '1',
      actor: alice,
      reason: 'better AUC on last week',
    });
    expect(await aliasVersion('champion')).toBe('2');
    const tags = await tagsOf('2');
    expect(tags).toMatchObject({
      'mlsight.promoted_by': 'alice (Editor)',
      'mlsight.promote_reason': 'better AUC on last week',
      'mlsight.previous_version': '1',
      deployed_by: 'alice',
    });
    expect(Date.parse(tags['mlsight.promoted_at'] ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(tags.deployed_at).toBe(tags['mlsight.promoted_at']);

    // Someone decided on a stale view (they still saw version 1): refused, nothing moves.
    const stale = await promote({ version: '3', reason: 'try v3', expectedVersion: '1', actor: alice });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'Conflict' });
    expect((stale.json() as { message: string }).message).toContain('points at version 2, not version 1');
    expect(await aliasVersion('champion')).toBe('2');
    expect((await tagsOf('3'))['mlsight.promoted_by']).toBeUndefined();

    const back = await promote({
      version: '1',
      reason: 'v2 misses the fraud spike',
      expectedVersion: '2',
      actor: alice,
    });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ version: '1', previousVersion: '2' });
    expect(await aliasVersion('champion')).toBe('1');
    expect(await tagsOf('1')).toMatchObject({ 'mlsight.previous_version': '2' });

    // A new alias: the caller expects it unset.
    const challenger = await promote(
      { version: '3', reason: 'shadow v3', expectedVersion: null, actor: { login: 'root', role: 'Admin' } },
      ADMIN,
      'challenger'
    );
    expect(challenger.statusCode).toBe(200);
    expect(await aliasVersion('challenger')).toBe('3');

    const events = await app.inject({
      method: 'POST',
      url: '/api/v1/annotations',
      headers: AUTH,
      payload: { from: before - 1000, to: Date.now() + 1000, model: MODEL, kinds: ['deployment'] },
    });
    const titles = (events.json() as Array<{ title: string; kind: string; text: string }>)
      .filter((e) => e.kind === 'deployment')
      .map((e) => `${e.title} | ${e.text}`);
    expect(titles).toContain(`${MODEL} @champion → v1 (was v2) | by alice (Editor): v2 misses the fraud spike`);
    expect(titles).toContain(`${MODEL} @champion → v2 (was v1) | by alice (Editor): better AUC on last week`);
  });

  it('refuses a Viewer and a read-scope token with 403, and a reason that says nothing with 400', async () => {
    const viewer = await promote({
      version: '3',
      reason: 'I would like to',
      expectedVersion: await aliasVersion('champion'),
      actor: { login: 'vera', role: 'Viewer' },
    });
    expect(viewer.statusCode).toBe(403);
    expect((viewer.json() as { message: string }).message).toContain('vera is a Viewer');
    const readToken = await promote({ version: '3', reason: 'r', expectedVersion: '1', actor: alice }, AUTH);
    expect(readToken.statusCode).toBe(403);
    expect((readToken.json() as { message: string }).message).toContain('"admin" scope');
    const empty = await promote({ version: '3', reason: ' ', expectedVersion: '1', actor: alice });
    expect(empty.statusCode).toBe(400);
    expect(await aliasVersion('champion')).toBe('1');
  });
});

describe('retraining hook', () => {
  it('posts the documented payload to the configured webhook', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${MODEL}/retrain`,
      headers: ADMIN,
      payload: { reason: 'income drifted for a week', actor: alice },
    });
    expect(res.statusCode).toBe(200);
    expect(received).toHaveLength(1);
    const [{ body, contentType } = { body: undefined, contentType: undefined }] = received;
    expect(contentType).toBe('application/json');
    expect(body).toEqual({
      kind: 'mlsight.retrain_request',
      model: MODEL,
      version: await aliasVersion('champion'),
      reason: 'income drifted for a week',
      actor: alice,
      at: body?.at,
      dashboardUrl: `http://grafana.example:3000/a/mlsight-app/models/${MODEL}`,
    });
    expect(Number.isFinite(Date.parse(body?.at ?? ''))).toBe(true);
    expect(res.json()).toEqual(body);
  });

  it('answers 503 with a sentence when no webhook is configured', async () => {
    const { app: bare } = await startProxy(state.url, {
      MLSIGHT_MONITOR_INTERVAL: '0',
      MLSIGHT_TOKENS: `${READ_TOKEN}:read,${ADMIN_TOKEN}:admin`,
    });
    try {
      const res = await bare.inject({
        method: 'POST',
        url: `/api/v1/models/${MODEL}/retrain`,
        headers: ADMIN,
        payload: { reason: 'drift', actor: alice },
      });
      expect(res.statusCode).toBe(503);
      expect((res.json() as { message: string }).message).toContain('set MLSIGHT_RETRAIN_WEBHOOK_URL');
    } finally {
      await bare.close();
    }
  });
});
