import { fieldValues, type DataFrameJSON } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { seedDemo, startMlflow } from '../support/mlflowServer';
import { query, startProxy } from '../support/proxyHarness';

/** Its own MLflow server, because this suite stops it half-way. */
let mlflow: Awaited<ReturnType<typeof startMlflow>>;
let app: FastifyInstance;

beforeAll(async () => {
  mlflow = await startMlflow();
  await seedDemo(mlflow.url, { extraRuns: 0 });
  ({ app } = await startProxy(mlflow.url, {
    MLSIGHT_MLFLOW_TIMEOUT_MS: '1500',
    MLSIGHT_MLFLOW_RETRIES: '1',
    MLSIGHT_MLFLOW_BACKOFF_MS: '50',
    // Every call goes to MLflow; the cache answers only when MLflow cannot.
    MLSIGHT_MLFLOW_CACHE_TTL_MS: '0',
  }));
});

afterAll(async () => {
  await app?.close();
  await mlflow?.stop();
});

describe('MLflow stopped mid-test', () => {
  it('serves cached answers marked stale, fails uncached queries naming MLflow, and readyz says why', async () => {
    const warm = await query(app, [{ refId: 'A', queryType: 'model_versions', model: 'credit-risk' }]);
    expect(warm.body.results.A?.error).toBeUndefined();
    const versionsBefore = fieldValues(warm.body.results.A?.frames[0] as DataFrameJSON, 'version');
    expect(warm.body.results.A?.frames[0]?.schema.meta?.notices).toBeUndefined();

    await mlflow.stop();

    const { status, body } = await query(app, [
      { refId: 'A', queryType: 'model_versions', model: 'credit-risk' },
      { refId: 'B', queryType: 'runs', experiment: 'credit-risk-pipeline', ignoreTimeRange: true },
    ]);
    expect(status).toBe(200);
    const stale = body.results.A;
    expect(stale?.error).toBeUndefined();
    expect(fieldValues(stale?.frames[0] as DataFrameJSON, 'version')).toEqual(versionsBefore);
    expect(stale?.frames[0]?.schema.meta?.notices?.[0]?.text).toMatch(/MLflow is unreachable: showing cached data/);
    expect(stale?.frames[0]?.schema.meta?.custom).toEqual({ stale: true });

    const failed = body.results.B;
    expect(failed?.frames).toEqual([]);
    expect(failed?.error).toMatch(/MLflow/);
    expect(failed?.error).toContain(mlflow.url);
    expect([502, 503, 504]).toContain(failed?.status);

    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'degraded', checks: { mlflow: { status: 'down' } } });
    expect(ready.json().checks.mlflow.detail).toMatch(/MLflow/);
  });
});
