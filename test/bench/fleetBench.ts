/**
 * Fleet benchmark: the `fleet` query's p50/p95 with 1,000 registered models in a real MLflow (created through its
 * REST API: a registered model, two versions and a champion alias each) and their production data in a SQLite drift
 * store written directly (a reference and a day of predictions per model), through the proxy's query route (zod,
 * handler, frames, JSON) on the event loop. The first query reads MLflow's registry (paginated); later ones are
 * served the cached registry, as a dashboard's refreshes are — both are reported. Loopback only.
 *
 *   npx tsx test/bench/fleetBench.ts [--models 1000] [--features 5] [--rows 240] [--queries 7] [--concurrency 8]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../backend-proxy/src/config/config';
import { normalSample, seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { buildApp } from '../../backend-proxy/src/server/app';
import { mlflowFromConfig } from '../../backend-proxy/src/server/mlflowFromConfig';
import { openSqliteStore } from '../../backend-proxy/src/store/sqliteStore';
import { startMlflow } from '../support/mlflowServer';
import { parseBenchArgs } from './benchArgs';
import { BENCH_READ_TOKEN, timeRuns } from './queryTiming';
import { recordResults } from './results';

const HOUR = 3_600_000;

async function rest<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`MLflow ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs `task` for 0..count-1 with at most `concurrency` at a time, printing progress every tenth. */
async function bounded(count: number, concurrency: number, label: string, task: (i: number) => Promise<void>) {
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.floor(count / 10));
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
      done++;
      if (done % step === 0 || done === count) console.log(`  ${label}: ${done}/${count}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const nameOf = (i: number) => `fleet-bench-${String(i).padStart(4, '0')}`;

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const models = args.number('models', 1000);
  const features = args.number('features', 5);
  const rows = args.number('rows', 240);
  const queries = args.number('queries', 7);
  const concurrency = args.number('concurrency', 8);
  const mlflow = await startMlflow();
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-fleet-bench-'));
  const store = await openSqliteStore(join(dir, 'drift.db'));
  try {
    console.log(`fleet bench: ${models} models in MLflow ${mlflow.url}`);
    const setupStarted = performance.now();
    await bounded(models, concurrency, 'registered', async (i) => {
      const name = nameOf(i);
      await rest(mlflow.url, 'registered-models/create', { name });
      for (let v = 0; v < 2; v++) {
        await rest(mlflow.url, 'model-versions/create', { name, source: `s3://mlsight-bench/${name}/${v}` });
      }
      await rest(mlflow.url, 'registered-models/alias', { name, alias: 'champion', version: '1' });
    });
    const registryS = (performance.now() - setupStarted) / 1000;

    // A day of predictions ending now; one model in ten drifted (its first feature shifted by 2 SD).
    const endMs = Math.floor(Date.now() / HOUR) * HOUR;
    const fromMs = endMs - 24 * HOUR;
    const storeStarted = performance.now();
    const featureNames = Array.from({ length: features }, (_, k) => `f${k}`);
    const rowsOf = (seed: number, n: number, shift: number) => {
      const rand = seededRandom(seed);
      const columns = featureNames.map((_, k) => normalSample(rand, n, k === 0 ? shift : 0, 1));
      return Array.from({ length: n }, (_, r) =>
        Object.fromEntries(featureNames.map((f, k) => [f, columns[k]?.[r] ?? 0]))
      );
    };
    await bounded(models, 1, 'store', async (i) => {
      const name = nameOf(i);
      await store.putReference(name, { rows: rowsOf(i * 2 + 1, 500, 0).map((f) => ({ features: f })) });
      const shift = i % 10 === 0 ? 2 : 0;
      const predictions = rowsOf(i * 2 + 2, rows, shift).map((f, r) => ({
        prediction_id: `${name}-${r}`,
        timestamp: fromMs + Math.floor(((r + 0.5) * 24 * HOUR) / rows),
        features: f,
        prediction: 0,
      }));
      const outcome = await store.ingestPredictions(name, predictions);
      if (outcome.result.accepted !== rows) throw new Error(`${name}: ${JSON.stringify(outcome.result)}`);
    });
    const storeS = (performance.now() - storeStarted) / 1000;

    const config = loadConfig({
      MLSIGHT_TOKENS: `${BENCH_READ_TOKEN}:read`,
      MLSIGHT_MLFLOW_URL: mlflow.url,
      MLSIGHT_LOG_LEVEL: 'silent',
      MLSIGHT_MONITOR_INTERVAL: '0',
      MLSIGHT_QUERY_WORKERS: '0',
      // MLflow's own registry search takes seconds at 1,000 models (SQLite backend): the first query waits for it.
      MLSIGHT_MLFLOW_TIMEOUT_MS: '120000',
    });
    const app = await buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), store, logger: false });
    let rowsAnswered = 0;
    const ask = async (i: number) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/query',
        headers: { authorization: `Bearer ${BENCH_READ_TOKEN}` },
        // Each query ends 1 ms earlier, so no answer is shared with the one before.
        payload: { from: fromMs, to: endMs - 1 - i, intervalMs: 60_000, queries: [{ refId: 'F', queryType: 'fleet' }] },
      });
      const body = res.json() as {
        results: { F: { frames: Array<{ data: { values: unknown[][] } }>; error?: string } };
      };
      if (res.statusCode !== 200 || body.results.F.error) throw new Error(`fleet: ${res.statusCode} ${res.body}`);
      rowsAnswered = body.results.F.frames[0]?.data.values[0]?.length ?? 0;
    };
    const cold = await timeRuns(1, ask);
    if (rowsAnswered < models) throw new Error(`fleet answered ${rowsAnswered} rows for ${models} models`);
    const warm = await timeRuns(queries, (i) => ask(i + 1));
    await app.close();
    const round = (x: number) => Math.round(x * 10) / 10;
    recordResults(
      'fleet',
      {
        models,
        featuresPerModel: features,
        predictionsPerModel: rows,
        bucketsPerModel: 24,
        setupSeconds: { mlflowRegistry: round(registryS), store: round(storeS) },
        coldMs: round(cold.p50Ms),
        warm: { p50Ms: round(warm.p50Ms), p95Ms: round(warm.p95Ms), cpuMsPerQuery: round(warm.cpuMsPerQuery) },
      },
      [
        {
          name: `fleet, ${models} models × ${features} features × 24 buckets, first query (MLflow registry read)`,
          ours: `${round(cold.p50Ms)} ms`,
          peer: '—',
          ratio: '—',
          target: 'fast with 1,000 models',
        },
        {
          name: `fleet, ${models} models, registry cached (p50 / p95 of ${queries})`,
          ours: `${round(warm.p50Ms)} / ${round(warm.p95Ms)} ms`,
          peer: '—',
          ratio: '—',
          target: 'fast with 1,000 models',
        },
      ]
    );
  } finally {
    await store.close();
    await mlflow.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
