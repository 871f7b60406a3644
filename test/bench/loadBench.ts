/**
 * The proxy under a shared Grafana's worth of load (`npm run bench`): the persona dashboards' queries from many
 * viewers, model servers streaming 500-row batches, and both at once with a kill -9 of the proxy in the middle.
 * Loopback only, every loop bounded by count and time. The load generator runs on the same 2 cores as the proxy,
 * so the numbers are what one machine does with both, an upper bound on the proxy's own latency.
 *
 *   --profile-seconds N   length of profiles 1 and 2 (default 30)
 *   --mixed-minutes N     length of profile 3 (default 10)
 *   --viewers N           dashboard viewers in profile 3 (default 50, each refreshing every 30 s)
 *   --profiles 1          only the two refresh storms (for work on the query path): printed, results.json untouched
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, seedDemo, startMlflow } from '../support/mlflowServer';
import { startProxyProcess, type ProxyProcess } from '../support/proxyProcess';
import { runStory } from '../support/story';
import { parseBenchArgs } from './benchArgs';
import {
  dashboardPanelRequests,
  proxyVariableResolver,
  STORM_REFRESH_MS,
  type PanelRequest,
} from './load/dashboardMix';
import { emptyTally, sendPanel, type ViewerTally } from './load/dashboardViewers';
import { runMixedLoad } from './load/mixedLoad';
import { putReferences, runModelServers, type ModelServerOptions, type ServerTally } from './load/modelServers';
import { rssGrowthPercent } from './load/probes';
import { percentile } from './loadgen';
import { recordResults } from './results';

const READ_TOKEN = 'load-read-token-0123456789abcdef';
const INGEST_TOKEN = 'load-ingest-token-0123456789abcdef';
const CONCURRENCY = 16;
/** The shared-answer age of the "cached" storm: Grafana's shortest refresh the dashboards offer. */
const CACHED_MAX_AGE = '30s';

const args = parseBenchArgs(process.argv.slice(2));
const PROFILE_MS = args.number('profile-seconds', 30) * 1000;
const MIXED_MS = args.number('mixed-minutes', 10) * 60_000;
const VIEWERS = args.number('viewers', 50);
const STORMS_ONLY = args.text('profiles') === '1';

interface Latency {
  count: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function latency(samples: readonly number[], seconds: number): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const describe = (l: Latency) => `${l.perSecond.toFixed(0)}/s, p50 ${ms(l.p50Ms)}, p99 ${ms(l.p99Ms)}`;

/** Profile 1: every panel request, `CONCURRENCY` at a time, as fast as they are answered (closed loop). */
async function dashboardStorm(url: string, requests: readonly PanelRequest[], durationMs: number) {
  const tally = emptyTally();
  const deadline = performance.now() + durationMs;
  const began = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const request = requests[next++ % requests.length] as PanelRequest;
        await sendPanel(url, READ_TOKEN, request, tally);
      }
    })
  );
  return { tally, seconds: (performance.now() - began) / 1000 };
}

function serverOptions(prefix: string, pauseMs: number): Omit<ModelServerOptions, 'url' | 'deadlineMs'> {
  return {
    token: INGEST_TOKEN,
    prefix,
    servers: 4,
    rowsPerBatch: 500,
    numericFeatures: 15,
    categoricalFeatures: 5,
    maxBatches: 1_000_000,
    pauseMs,
    startMs: Date.now() - 3_600_000,
  };
}

function ingestSummary(servers: readonly ServerTally[], seconds: number) {
  const rows = servers.reduce((sum, t) => sum + t.acknowledgedRows, 0);
  return {
    rows,
    rowsPerSecond: rows / seconds,
    batches: latency(
      servers.flatMap((t) => t.latenciesMs),
      seconds
    ),
    serverErrors: servers.reduce((sum, t) => sum + t.serverErrors.length, 0),
    rejections: servers.flatMap((t) => t.rejections),
  };
}

function viewerSummary(tally: ViewerTally, seconds: number) {
  return {
    all: latency(tally.latenciesMs, seconds),
    byType: Object.fromEntries([...tally.byType].map(([type, xs]) => [type, latency(xs, seconds)])),
    httpErrors: tally.httpErrors,
    connectionErrors: tally.connectionErrors,
    queryServerErrors: tally.queryServerErrors,
    messages: Object.fromEntries(tally.messages),
  };
}

function printSlowest(byType: Record<string, Latency>): void {
  console.log('[load] slowest panel types in the storm (p99):');
  console.table(
    Object.entries(byType)
      .sort(([, a], [, b]) => b.p99Ms - a.p99Ms)
      .map(([type, l]) => ({ type, p50: ms(l.p50Ms), p99: ms(l.p99Ms), count: l.count }))
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-load-'));
  const sqlitePath = join(dir, 'drift.db');
  console.log('[load] starting MLflow and seeding the demo…');
  const mlflow = await startMlflow();
  let proxy: ProxyProcess | undefined;
  try {
    await seedDemo(mlflow.url, { extraRuns: 0 });
    proxy = await startProxyProcess({
      port: await freeLoopbackPort(),
      env: {
        MLSIGHT_TOKENS: `${READ_TOKEN}:read,${INGEST_TOKEN}:ingest`,
        MLSIGHT_MLFLOW_URL: mlflow.url,
        MLSIGHT_SQLITE_PATH: sqlitePath,
        MLSIGHT_LOG_LEVEL: 'info',
      },
    });
    console.log('[load] telling the demo story through the ingest API (~1 min)…');
    await runStory(proxy.url, INGEST_TOKEN);
    const requests = await dashboardPanelRequests(proxyVariableResolver(proxy.url, READ_TOKEN));
    console.log(`[load] ${requests.length} MLSight panels on the persona dashboards; first (cold) pass…`);
    const cold = emptyTally();
    for (const request of requests) await sendPanel(proxy.url, READ_TOKEN, request, cold);

    console.log(`[load] profile 1: dashboard refresh storm, ${CONCURRENCY} concurrent, ${PROFILE_MS / 1000} s…`);
    const storm = await dashboardStorm(proxy.url, requests, PROFILE_MS);
    const stormSummary = viewerSummary(storm.tally, storm.seconds);
    console.log(`[load] profile 1 again with MLSIGHT_ANSWER_MAX_AGE=${CACHED_MAX_AGE} (answers shared that long)…`);
    await proxy.stop();
    await proxy.restart({ MLSIGHT_ANSWER_MAX_AGE: CACHED_MAX_AGE });
    for (const request of requests) await sendPanel(proxy.url, READ_TOKEN, request, emptyTally());
    const cachedStorm = await dashboardStorm(proxy.url, requests, PROFILE_MS);
    const cachedSummary = viewerSummary(cachedStorm.tally, cachedStorm.seconds);
    if (STORMS_ONLY) {
      console.table({
        computed: describe(stormSummary.all),
        [`shared ${CACHED_MAX_AGE}`]: describe(cachedSummary.all),
      });
      printSlowest(cachedSummary.byType);
      return;
    }
    await proxy.stop();
    await proxy.restart();

    console.log(`[load] profile 2: 4 model servers, 500-row batches of 20 features, ${PROFILE_MS / 1000} s…`);
    const ingestOpts = serverOptions('load-ingest-', 0);
    await putReferences({ ...ingestOpts, url: proxy.url, deadlineMs: 0 });
    const ingestBegan = performance.now();
    const ingestTallies = await runModelServers({
      ...ingestOpts,
      url: proxy.url,
      deadlineMs: performance.now() + PROFILE_MS,
    });
    const ingest = ingestSummary(ingestTallies, (performance.now() - ingestBegan) / 1000);

    console.log(
      `[load] profile 3: ${VIEWERS} viewers (refresh ${STORM_REFRESH_MS / 1000} s) + 4 model servers ` +
        `(a batch every 250 ms each), ${MIXED_MS / 60_000} min, kill -9 at the middle…`
    );
    const mixedOpts = serverOptions('load-mixed-', 250);
    await putReferences({ ...mixedOpts, url: proxy.url, deadlineMs: 0 });
    const mixed = await runMixedLoad({
      proxy,
      sqlitePath,
      readToken: READ_TOKEN,
      requests,
      viewers: VIEWERS,
      refreshMs: STORM_REFRESH_MS,
      durationMs: MIXED_MS,
      killAtMs: MIXED_MS / 2,
      servers: mixedOpts,
    });
    proxy = undefined; // stopped by runMixedLoad
    const mixedSeconds = MIXED_MS / 1000;
    const killSeconds = mixed.kill ? (mixed.kill.atMs - mixed.startedMs) / 1000 : mixedSeconds;
    const restartSeconds = mixed.kill ? (mixed.kill.healthyAgainMs - mixed.startedMs) / 1000 : mixedSeconds;
    const beforeKill = mixed.probes.rssMiB.filter(([t]) => t < killSeconds);
    const afterRestart = mixed.probes.rssMiB
      .filter(([t]) => t > restartSeconds)
      .map(([t, mib]): [number, number] => [t - restartSeconds, mib]);
    const warmupSeconds = Math.min(60, killSeconds / 4);
    const mixedSummary = {
      queries: viewerSummary(mixed.viewers, mixedSeconds),
      ingest: ingestSummary(mixed.servers, mixedSeconds),
      healthz: latency(mixed.probes.healthzMs, mixedSeconds),
      eventLoopP99MaxMs: Math.max(...mixed.probes.eventLoopP99Ms),
      rssGrowthPercent: {
        beforeKill: rssGrowthPercent(beforeKill, warmupSeconds),
        afterRestart: rssGrowthPercent(afterRestart, warmupSeconds),
      },
      rssMiB: mixed.probes.rssMiB,
      kill: mixed.kill ? { atSeconds: killSeconds, downSeconds: restartSeconds - killSeconds } : null,
      store: mixed.store,
    };

    recordResults(
      'underLoad',
      {
        concurrency: CONCURRENCY,
        panels: requests.length,
        coldPass: viewerSummary(cold, 1),
        storm: stormSummary,
        cachedStorm: { maxAge: CACHED_MAX_AGE, ...cachedSummary },
        ingest,
        mixed: { minutes: MIXED_MS / 60_000, viewers: VIEWERS, refreshMs: STORM_REFRESH_MS, ...mixedSummary },
      },
      [
        {
          name: 'dashboard storm (all panels, closed loop)',
          ours: describe(stormSummary.all),
          peer: '—',
          ratio: '—',
          target: 'computed: grows with the slowest query',
        },
        {
          name: `dashboard storm, answers shared ${CACHED_MAX_AGE}`,
          ours: describe(cachedSummary.all),
          peer: '—',
          ratio: '—',
          target: '≥2000 cached req/s, p99 ≤ 50 ms',
        },
        {
          name: 'ingest 500-row batches, 20 features',
          ours: `${ingest.rowsPerSecond.toFixed(0)} rows/s, batch p99 ${ms(ingest.batches.p99Ms)}`,
          peer: '—',
          ratio: '—',
          target: '≥100k rows/s, p99 ≤ 250 ms',
        },
        {
          name: `both at once ${MIXED_MS / 60_000} min: queries`,
          ours: describe(mixedSummary.queries.all),
          peer: '—',
          ratio: '—',
          target: 'p99 ≤ 200 ms',
        },
        {
          name: 'both at once: ingest',
          ours: `${mixedSummary.ingest.rowsPerSecond.toFixed(0)} rows/s, batch p99 ${ms(mixedSummary.ingest.batches.p99Ms)}`,
          peer: '—',
          ratio: '—',
          target: 'p99 ≤ 500 ms',
        },
        {
          name: 'both at once: /healthz, RSS',
          ours:
            `healthz p99 ${ms(mixedSummary.healthz.p99Ms)}, RSS growth ` +
            `${mixedSummary.rssGrowthPercent.beforeKill.toFixed(1)} % / ${mixedSummary.rssGrowthPercent.afterRestart.toFixed(1)} %`,
          peer: '—',
          ratio: '—',
          target: 'RSS growth after warm-up ≤ 5 %',
        },
        {
          name: 'kill -9: acknowledged vs stored',
          ours: `${mixed.store.acknowledgedRows} acknowledged, ${mixed.store.lost} lost, ${mixed.store.duplicated} twice`,
          peer: '—',
          ratio: '—',
          target: '0 lost',
        },
      ]
    );
    printSlowest(stormSummary.byType);
    if (mixed.store.lost > 0 || mixed.store.duplicated > 0) throw new Error('acknowledged rows were lost or doubled');
  } finally {
    if (proxy) await proxy.stop();
    await mlflow.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
