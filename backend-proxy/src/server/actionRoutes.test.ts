import type { FastifyInstance } from 'fastify';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/config';
import { buildApp } from './app';
import { mlflowFromConfig } from './mlflowFromConfig';

/*
 * Regression tests of the promote route against the proxy's MLflow read cache, with a stand-in MLflow whose alias
 * the test moves: after a promote, and after a 409 (someone moved the alias meanwhile), the next deployments answer
 * must show where the alias is — the 409's "reload and decide again" is useless if the reload shows a cached alias.
 */

const MODEL = 'm';
const T0 = Date.UTC(2026, 10, 1);
const actor = { login: 'erin', role: 'Editor' };

let mlflow: Server;
let app: FastifyInstance;
const aliases: Record<string, string> = {};

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** The four MLflow calls behind `deployments` and a promote: read the model and a version, set a tag, set an alias. */
function standInMlflow(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mlflow');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body =
        chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>) : {};
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /api/2.0/mlflow/registered-models/get':
          return answer(res, 200, {
            registered_model: {
              name: MODEL,
              aliases: Object.entries(aliases).map(([alias, version]) => ({ alias, version })),
            },
          });
        case 'GET /api/2.0/mlflow/model-versions/get':
          return answer(res, 200, {
            model_version: { name: MODEL, version: url.searchParams.get('version'), creation_timestamp: String(T0) },
          });
        case 'POST /api/2.0/mlflow/model-versions/set-tag':
          return answer(res, 200, {});
        case 'POST /api/2.0/mlflow/registered-models/alias':
          aliases[body.alias ?? ''] = body.version ?? '';
          return answer(res, 200, {});
        default:
          return answer(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `${req.method} ${url.pathname}` });
      }
    });
  });
}

async function championShown(): Promise<unknown> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    payload: { from: T0, to: T0 + 3_600_000, queries: [{ refId: 'A', queryType: 'deployments', model: MODEL }] },
  });
  expect(res.statusCode).toBe(200);
  const frame = (
    res.json() as {
      results: { A: { frames: Array<{ schema: { fields: Array<{ name: string }> }; data: { values: unknown[][] } }> } };
    }
  ).results.A.frames[0];
  const at = frame?.schema.fields.findIndex((f) => f.name === 'version') ?? -1;
  return frame?.data.values[at]?.[0];
}

function promote(version: string, expectedVersion: string) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/models/${MODEL}/aliases/champion`,
    payload: { version, reason: 'regression test', expectedVersion, actor },
  });
}

beforeAll(async () => {
  mlflow = standInMlflow();
  await new Promise<void>((done) => mlflow.listen(0, '127.0.0.1', done));
  const config = loadConfig({
    MLSIGHT_AUTH: 'off',
    MLSIGHT_LOG_LEVEL: 'silent',
    MLSIGHT_MLFLOW_URL: `http://127.0.0.1:${(mlflow.address() as AddressInfo).port}`,
    MLSIGHT_MLFLOW_RETRIES: '0',
    MLSIGHT_MONITOR_INTERVAL: '0',
    // Longer than the tests: a read the route did not forget is still served from the cache.
    MLSIGHT_MLFLOW_CACHE_TTL_MS: '600000',
  });
  app = await buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), logger: false });
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((done) => mlflow.close(() => done()));
});

describe('promote route and the MLflow read cache', () => {
  it('the deployments answer after a promote shows the moved alias', async () => {
    aliases.champion = '1';
    expect(await championShown()).toBe('1');
    expect((await promote('2', '1')).statusCode).toBe(200);
    expect(await championShown()).toBe('2');
  });

  it('after a 409 the next answer shows where the alias moved, not the cached one the user decided on', async () => {
    expect(await championShown()).toBe('2');
    aliases.champion = '3';
    // Moved behind the proxy's back: its cache still answers 2.
    expect(await championShown()).toBe('2');
    const refused = await promote('1', '2');
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as { message: string }).message).toContain('points at version 3, not version 2');
    expect(await championShown()).toBe('3');
    expect(aliases.champion).toBe('3');
  });
});
