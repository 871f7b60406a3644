import type { AlertValue, QueryOf } from '@mlsight/contract';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config/config';
import { seededRandom } from '../stats/testRandom';
import { computeModelSnapshot } from '../monitor/snapshot';
import { queryHandlers } from '../queries';
import { type DriftStore, openStore } from '../store';
import { executeQueries } from './executeQueries';
import { mlflowFromConfig } from './mlflowFromConfig';
import { QueryWorkerPool } from './queryWorkers';

// The workers run compiled JavaScript: `npm test` builds before the unit tests.
const WORKER_JS = join(__dirname, '..', '..', 'dist', 'server', 'queryWorker.js');
const T0 = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;

function rows(random: () => number, from: number, count: number, shift: number) {
  return Array.from({ length: count }, (_, i) => ({
    prediction_id: `p-${from}-${i}`,
    timestamp: new Date(T0 + from * HOUR + i * 1000).toISOString(),
    features: { x: random() + shift, c: random() < 0.5 ? 'a' : 'b' },
  }));
}

describe('QueryWorkerPool (compiled worker threads)', () => {
  let dir: string;
  let store: DriftStore;
  let pool: QueryWorkerPool;
  const config = () =>
    loadConfig({
      MLSIGHT_AUTH: 'off',
      MLSIGHT_LOG_LEVEL: 'silent',
      MLSIGHT_SQLITE_PATH: join(dir, 'drift.db'),
      MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9',
      MLSIGHT_MLFLOW_RETRIES: '0',
    });

  beforeAll(async () => {
    if (!existsSync(WORKER_JS)) throw new Error(`${WORKER_JS} is missing: run npm run build first`);
    dir = mkdtempSync(join(tmpdir(), 'mlsight-workers-'));
    store = await openStore(config().store);
    const random = seededRandom(3);
    const reference = rows(random, 0, 400, 0).map((r) => ({ features: r.features }));
    await store.putReference('m', { rows: reference });
    await store.ingestPredictions('m', rows(random, 1, 300, 0));
    pool = new QueryWorkerPool({ config: config(), size: 1, script: WORKER_JS });
  });
  afterAll(async () => {
    await pool.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deps = () => ({
    handlers: queryHandlers,
    mlflow: mlflowFromConfig(config().mlflow),
    config: config(),
    log: pino({ level: 'silent' }),
    store,
  });
  const request = {
    from: T0,
    to: T0 + 48 * HOUR,
    queries: [{ refId: 'A', queryType: 'feature_drift' as const, model: 'm' }],
  };

  it('answers a store query exactly as the main thread does, and sees rows written after it started', async () => {
    const here = await executeQueries(request, deps());
    const there = await executeQueries(request, { ...deps(), workers: pool });
    expect(there).toEqual(here);
    expect(here.results.A?.status).toBe(200);

    // A write through the main thread's connection is visible to the worker's own connection.
    await store.ingestPredictions('m', rows(seededRandom(4), 2, 300, 3));
    const hereAfter = await executeQueries(request, deps());
    const thereAfter = await executeQueries(request, { ...deps(), workers: pool });
    expect(thereAfter).toEqual(hereAfter);
    expect(thereAfter).not.toEqual(there);
  });

  it('keeps the status and sentence of a failed query', async () => {
    const unknown = { ...request, queries: [{ refId: 'A', queryType: 'feature_drift' as const, model: 'nope' }] };
    const here = await executeQueries(unknown, deps());
    const there = await executeQueries(unknown, { ...deps(), workers: pool });
    expect(here.results.A?.status).toBeGreaterThanOrEqual(400);
    expect(there.results.A).toEqual(here.results.A);
  });

  it("computes the monitor's drift snapshot as the main thread does", async () => {
    const window = { fromMs: T0, toMs: T0 + 48 * HOUR };
    const here = await computeModelSnapshot(store, 'm', window, { nowMs: T0 + 48 * HOUR });
    const there = await pool.snapshot('m', window, { nowMs: T0 + 48 * HOUR });
    expect(there.features).toEqual(here.features);
    expect(there.dataset).toEqual(here.dataset);
    expect(there.rows).toBe(here.rows);
  });

  it('sends the queries of one alert rule to one worker, so their shared work is done once there', async () => {
    // A stand-in worker that answers with its thread id.
    const script = join(dir, 'whoami.js');
    writeFileSync(
      script,
      "const { parentPort, threadId } = require('node:worker_threads');\n" +
        "parentPort.on('message', (r) => parentPort.postMessage({ type: 'answer', id: r.id, answer: { frames: [{ threadId }] } }));\n"
    );
    const pool = new QueryWorkerPool({ config: config(), size: 4, script });
    const threadOf = (answer: { frames: unknown[] }) => (answer.frames[0] as { threadId: number }).threadId;
    try {
      const window = { fromMs: 0, toMs: 3_600_000, intervalMs: 1000, maxDataPoints: 43_200 };
      const rule = (alertValue: AlertValue<'feature_drift'>, model = 'm'): QueryOf<'feature_drift'> => ({
        refId: alertValue,
        queryType: 'feature_drift',
        model,
        format: 'alerting',
        alertValue,
      });
      const threads = await Promise.all(
        (['drifted', 'score', 'threshold', 'current_n', 'reference_n'] as const).map(async (v) =>
          threadOf(await pool.run(rule(v), window, undefined, 'rule-1'))
        )
      );
      expect(new Set(threads).size).toBe(1);
      // Without an affinity, concurrent queries spread over the least busy workers.
      const spread = await Promise.all(
        ['a', 'b', 'c', 'd'].map(async (m) => threadOf(await pool.run(rule('score', m), window)))
      );
      expect(new Set(spread).size).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it('fails the queries of a worker that dies with a 503 and replaces it', async () => {
    const script = join(dir, 'dies.js');
    writeFileSync(script, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const exits: number[] = [];
    const dying = new QueryWorkerPool({ config: config(), size: 1, script, onWorkerExit: (e) => exits.push(e.code) });
    try {
      const response = await executeQueries(request, { ...deps(), workers: dying });
      expect(response.results.A).toMatchObject({ status: 503, error: expect.stringMatching(/worker stopped/) });
      expect(exits).toEqual([3]);
      // Replaced: the next query reaches a new worker (which dies as well).
      const again = await executeQueries(request, { ...deps(), workers: dying });
      expect(again.results.A?.status).toBe(503);
      expect(exits).toEqual([3, 3]);
      expect(dying.size).toBe(1);
    } finally {
      await dying.close();
    }
  });
});

/**
 * Regression: after a promote, the deployments tab answered from a query worker still showed the old champion for
 * up to the MLflow cache TTL (the route cleared only the main thread's cache).
 */
describe('QueryWorkerPool.forgetCachedReads', () => {
  let mlflowStub: Server;
  let champion = '1';
  let pool: QueryWorkerPool;
  let dir: string;
  const config = (mlflowUrl: string) =>
    loadConfig({
      MLSIGHT_AUTH: 'off',
      MLSIGHT_LOG_LEVEL: 'silent',
      MLSIGHT_SQLITE_PATH: join(dir, 'drift.db'),
      MLSIGHT_MLFLOW_URL: mlflowUrl,
      MLSIGHT_MLFLOW_RETRIES: '0',
      // Longer than the test: a read the worker did not forget is still cached when it asks again.
      MLSIGHT_MLFLOW_CACHE_TTL_MS: '600000',
    });

  beforeAll(async () => {
    if (!existsSync(WORKER_JS)) throw new Error(`${WORKER_JS} is missing: run npm run build first`);
    dir = mkdtempSync(join(tmpdir(), 'mlsight-workers-forget-'));
    // MLflow's two reads behind `deployments`: the registered model's aliases and the version they point at.
    mlflowStub = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stub');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/api/2.0/mlflow/registered-models/get') {
        res.end(
          JSON.stringify({ registered_model: { name: 'm', aliases: [{ alias: 'champion', version: champion }] } })
        );
      } else if (url.pathname === '/api/2.0/mlflow/model-versions/get') {
        const version = url.searchParams.get('version') ?? '';
        res.end(JSON.stringify({ model_version: { name: 'm', version, creation_timestamp: String(T0), tags: [] } }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error_code: 'ENDPOINT_NOT_FOUND' }));
      }
    });
    await new Promise<void>((done) => mlflowStub.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(mlflowStub.address() as AddressInfo).port}`;
    pool = new QueryWorkerPool({ config: config(url), size: 1, script: WORKER_JS });
  });
  afterAll(async () => {
    await pool?.close();
    await new Promise<void>((done) => mlflowStub.close(() => done()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function championShown(): Promise<unknown> {
    const url = `http://127.0.0.1:${(mlflowStub.address() as AddressInfo).port}`;
    const response = await executeQueries(
      { from: T0, to: T0 + HOUR, queries: [{ refId: 'A', queryType: 'deployments', model: 'm' }] },
      {
        handlers: queryHandlers,
        mlflow: mlflowFromConfig(config(url).mlflow),
        config: config(url),
        log: pino({ level: 'silent' }),
        workers: pool,
      }
    );
    const frame = response.results.A?.frames?.[0];
    const at = frame?.schema?.fields.findIndex((f) => f.name === 'version') ?? -1;
    return frame?.data?.values[at]?.[0];
  }

  it("makes every worker read MLflow again, so the moved alias shows in the worker's next answer", async () => {
    expect(await championShown()).toBe('1');
    champion = '2';
    // Without the notice the worker answers from its cache: the stale answer this regression was about.
    expect(await championShown()).toBe('1');
    pool.forgetCachedReads();
    expect(await championShown()).toBe('2');
  });
});
