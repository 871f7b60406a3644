/**
 * Cached query throughput of the proxy, side by side with MLflow answering the same question directly.
 * Run with `npm run bench`. Loopback only, bounded by count and time.
 */
import { seedDemo, startMlflow } from '../support/mlflowServer';
import { startProxyProcess, type ProxyProcess } from '../support/proxyProcess';
import { runLoad, type LoadResult } from './loadgen';
import { recordResults } from './results';

const TOKEN = 'bench-read-token-0123456789abcdef';
const COUNT = Number(process.env.MLSIGHT_BENCH_REQUESTS ?? 6000);
const CONCURRENCY = 16;
const MAX_MS = 30_000;

const fmt = (r: LoadResult) => `${r.perSecond.toFixed(0)} req/s, p95 ${r.p95Ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  console.log('[bench] starting MLflow and seeding the demo…');
  const mlflow = await startMlflow();
  let proxy: ProxyProcess | undefined;
  try {
    await seedDemo(mlflow.url, { extraRuns: 0 });
    proxy = await startProxyProcess({
      stdio: 'inherit',
      env: {
        MLSIGHT_TOKENS: `${TOKEN}:read`,
        MLSIGHT_MLFLOW_URL: mlflow.url,
        MLSIGHT_LOG_LEVEL: 'warn',
        MLSIGHT_MLFLOW_CACHE_TTL_MS: '60000',
      },
    });
    const body = (queryType: string) =>
      JSON.stringify({ from: 'now-30d', to: 'now+1h', queries: [{ refId: 'A', queryType, model: 'credit-risk' }] });
    const proxyInit = (queryType: string): RequestInit => ({
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body(queryType),
    });
    const load = { count: COUNT, concurrency: CONCURRENCY, maxMs: MAX_MS };
    // Warm the cache once per query type.
    for (const type of ['model_versions', 'provenance']) await fetch(`${proxy.url}/api/v1/query`, proxyInit(type));

    console.log(`[bench] proxy model_versions (cached), ${COUNT} requests × ${CONCURRENCY} concurrent…`);
    const proxyVersions = await runLoad(`${proxy.url}/api/v1/query`, proxyInit('model_versions'), load);
    console.log(`[bench] MLflow model-versions/search directly, same load…`);
    const filter = encodeURIComponent("name='credit-risk'");
    const mlflowVersions = await runLoad(
      `${mlflow.url}/api/2.0/mlflow/model-versions/search?filter=${filter}`,
      {},
      load
    );
    console.log(`[bench] proxy provenance (cached lineage graph)…`);
    const proxyProvenance = await runLoad(`${proxy.url}/api/v1/query`, proxyInit('provenance'), load);

    recordResults(
      'cachedQueries',
      { count: COUNT, concurrency: CONCURRENCY, proxyVersions, mlflowVersions, proxyProvenance },
      [
        {
          name: 'model versions',
          ours: fmt(proxyVersions),
          peer: `MLflow direct: ${fmt(mlflowVersions)}`,
          ratio: `${(proxyVersions.perSecond / mlflowVersions.perSecond).toFixed(1)}×`,
          target: '≥2000 cached req/s on 2 cores',
        },
        {
          name: 'provenance graph',
          ours: fmt(proxyProvenance),
          peer: 'MLflow has no lineage query',
          ratio: '—',
          target: '≥2000 cached req/s on 2 cores',
        },
      ]
    );
    if (proxyVersions.errors + mlflowVersions.errors + proxyProvenance.errors > 0) {
      throw new Error('some benchmark requests failed');
    }
  } finally {
    await proxy?.stop();
    await mlflow.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
