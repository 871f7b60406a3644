/**
 * The data source's Go backend as Grafana runs it: the built binary started through go-plugin's handshake by the
 * plugin host, called over gRPC through Grafana's HTTP API (/api/ds/query, /health, /resources), relaying to the
 * real proxy over a real MLflow. What the browser gets must be the proxy's own answer.
 */
import type { AddressInfo } from 'node:net';
import type { QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { DATASOURCE_PLUGIN, mlsightDataSource, startHostServer, type HostServer } from '../host/server';
import { AUTH, READ_TOKEN, readState, startProxy } from '../support/proxyHarness';

const MODEL = 'credit-risk';
const state = readState();
let app: FastifyInstance;
let host: HostServer;
let proxyUrl: string;

beforeAll(async () => {
  ({ app } = await startProxy(state.url));
  await app.listen({ port: 0, host: '127.0.0.1' });
  proxyUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  host = await startHostServer({
    plugins: [DATASOURCE_PLUGIN],
    datasources: [
      mlsightDataSource(proxyUrl, READ_TOKEN),
      { ...mlsightDataSource(proxyUrl, 'not-a-valid-token'), uid: 'mlsight-bad-token', name: 'Bad token' },
    ],
    hostDirs: {},
  });
});

afterAll(async () => {
  await host?.close();
  await app?.close();
});

const FROM = String(Date.now() - 30 * 86_400_000);
const TO = String(Date.now() + 3_600_000);

/** What DataSourceWithBackend.query() posts to /api/ds/query. */
async function dsQuery(queries: Array<Record<string, unknown>>, uid = 'mlsight') {
  const response = await fetch(`${host.url}/api/ds/query?ds_type=mlsight-mlflow-datasource`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      from: FROM,
      to: TO,
      queries: queries.map((q) => ({
        ...q,
        datasource: { type: 'mlsight-mlflow-datasource', uid },
        datasourceId: 1,
        intervalMs: 3_600_000,
        maxDataPoints: 720,
      })),
    }),
  });
  return { status: response.status, body: (await response.json()) as QueryResponse };
}

async function direct(queries: Array<Record<string, unknown>>): Promise<QueryResponse> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: AUTH,
    payload: { from: Number(FROM), to: Number(TO), intervalMs: 3_600_000, maxDataPoints: 720, queries },
  });
  return response.json();
}

/**
 * The frame without what Grafana's server adds: the SDK's `typeInfo` on every field, and `typeVersion` [0, 0] that
 * the SDK's FrameMeta always writes.
 */
function withoutSdkAdditions(frame: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(frame)) as {
    schema: { meta?: Record<string, unknown>; fields: Array<Record<string, unknown>> };
  };
  for (const field of copy.schema.fields) delete field.typeInfo;
  if (JSON.stringify(copy.schema.meta?.typeVersion) === '[0,0]') delete copy.schema.meta?.typeVersion;
  return copy;
}

describe('the Go backend in the plugin host', () => {
  it("answers /api/ds/query with the proxy's frames, field types, config and meta", async () => {
    const queries = [
      { refId: 'A', queryType: 'model_versions', model: MODEL },
      { refId: 'B', queryType: 'kpis', model: MODEL },
    ];
    const [relayed, expected] = await Promise.all([dsQuery(queries), direct(queries)]);
    expect(relayed.status).toBe(200);
    for (const refId of ['A', 'B']) {
      const frames = relayed.body.results[refId]?.frames ?? [];
      const want = expected.results[refId]?.frames ?? [];
      expect(want.length).toBeGreaterThan(0);
      expect(frames.map(withoutSdkAdditions)).toEqual(want);
    }
  });

  it("reports one query's proxy error on its refId with the proxy's message and status", async () => {
    const queries = [
      { refId: 'A', queryType: 'model_versions', model: MODEL },
      { refId: 'B', queryType: 'runs', experiment: 'no-such-experiment-relay', ignoreTimeRange: true },
    ];
    const [relayed, expected] = await Promise.all([dsQuery(queries), direct(queries)]);
    // Grafana answers 400 when any query failed; the body still has every result.
    expect(relayed.status).toBe(400);
    expect(relayed.body.results.A?.frames.length).toBeGreaterThan(0);
    expect(expected.results.B?.error).toBeDefined();
    expect(relayed.body.results.B).toMatchObject({
      error: expected.results.B?.error,
      status: expected.results.B?.status,
      frames: [],
    });
  });

  it('health: OK with every dependency, and a rejected token named', async () => {
    const ok = await fetch(`${host.url}/api/datasources/uid/mlsight/health`);
    const okBody = (await ok.json()) as { status: string; message: string; details: { checks: unknown[] } };
    expect(ok.status).toBe(200);
    expect(okBody.status).toBe('OK');
    expect(okBody.message).toContain(`Connected to the MLSight proxy at ${proxyUrl}; token accepted; MLflow ok`);
    const bad = await fetch(`${host.url}/api/datasources/uid/mlsight-bad-token/health`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      status: 'ERROR',
      message: expect.stringContaining('The MLSight proxy rejected the API token (401)'),
    });
  });

  it("relays variables and annotations resources to the proxy's routes", async () => {
    const variables = await fetch(
      `${host.url}/api/datasources/uid/mlsight/resources/variables/versions?model=${MODEL}`
    );
    const want = await app.inject({ url: `/api/v1/variables/versions?model=${MODEL}`, headers: AUTH });
    expect(variables.status).toBe(200);
    expect(await variables.json()).toEqual(want.json());
    expect(want.json().length).toBeGreaterThan(0);

    const body = { from: Number(FROM), to: Number(TO), model: MODEL };
    const annotations = await fetch(`${host.url}/api/datasources/uid/mlsight/resources/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const wantAnnotations = await app.inject({
      method: 'POST',
      url: '/api/v1/annotations',
      headers: AUTH,
      payload: body,
    });
    expect(annotations.status).toBe(200);
    expect(await annotations.json()).toEqual(wantAnnotations.json());
  });

  it('a query to a proxy that is gone gets a readable error, not a hang', async () => {
    const gone = await startHostServer({
      plugins: [DATASOURCE_PLUGIN],
      datasources: [mlsightDataSource('http://127.0.0.1:9', READ_TOKEN)],
      hostDirs: {},
    });
    try {
      const response = await fetch(`${gone.url}/api/ds/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          from: FROM,
          to: TO,
          queries: [{ refId: 'A', queryType: 'kpis', model: MODEL, datasource: { uid: 'mlsight' } }],
        }),
      });
      const result = ((await response.json()) as QueryResponse).results.A;
      expect(result?.status).toBe(502);
      expect(result?.error).toContain('cannot reach the MLSight proxy at http://127.0.0.1:9');
    } finally {
      await gone.close();
    }
  });
});
