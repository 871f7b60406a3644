/**
 * Profile 3: dashboard viewers and model servers at once against one proxy process, with a kill -9 of the proxy
 * part-way and a restart on the same store; afterwards every acknowledged row is looked up in the store.
 * Shared by `npm run bench` (minutes, the targets) and the integration suite's smoke run (seconds, correctness).
 */
import { openStore } from '../../../backend-proxy/src/store';
import type { ProxyProcess } from '../../support/proxyProcess';
import type { PanelRequest } from './dashboardMix';
import { runViewers, type ViewerTally } from './dashboardViewers';
import { runModelServers, type ModelServerOptions, type ServerTally } from './modelServers';
import { runProbes, type ProbeSeries } from './probes';

export interface MixedLoadOptions {
  proxy: ProxyProcess;
  /** The proxy's SQLite file, opened after the run to count what it holds. */
  sqlitePath: string;
  readToken: string;
  requests: readonly PanelRequest[];
  viewers: number;
  refreshMs: number;
  durationMs: number;
  /** When to kill -9 the proxy, ms after the start; undefined: no kill. */
  killAtMs?: number;
  servers: Omit<ModelServerOptions, 'url' | 'deadlineMs'>;
  probeEveryMs?: number;
}

export interface StoreCheck {
  acknowledgedRows: number;
  /** Acknowledged prediction ids the store does not hold. */
  lost: number;
  /** Ids the store holds more than once. */
  duplicated: number;
  storedRows: number;
}

export interface MixedLoadResult {
  viewers: ViewerTally;
  servers: ServerTally[];
  probes: ProbeSeries;
  /** performance.now() of the kill and of the restart's first healthy answer. */
  kill?: { atMs: number; healthyAgainMs: number };
  startedMs: number;
  store: StoreCheck;
}

/** Looks up every acknowledged row of every server's model in the store at `sqlitePath` (proxy stopped). */
export async function checkStored(sqlitePath: string, servers: readonly ServerTally[]): Promise<StoreCheck> {
  const store = await openStore({ engine: 'sqlite', sqlitePath });
  try {
    let lost = 0;
    let duplicated = 0;
    let storedRows = 0;
    for (const tally of servers) {
      const rows = await store.getPredictions({
        model: tally.model,
        fromMs: 0,
        toMs: 8.64e15,
        limit: 1e8,
        columns: 'outputs',
      });
      storedRows += rows.length;
      const seen = new Map<string, number>();
      for (const row of rows) seen.set(row.predictionId, (seen.get(row.predictionId) ?? 0) + 1);
      for (const count of seen.values()) if (count > 1) duplicated++;
      for (const id of tally.acknowledgedIds) if (!seen.has(id)) lost++;
    }
    return {
      acknowledgedRows: servers.reduce((sum, t) => sum + t.acknowledgedRows, 0),
      lost,
      duplicated,
      storedRows,
    };
  } finally {
    await store.close();
  }
}

export async function runMixedLoad(opts: MixedLoadOptions): Promise<MixedLoadResult> {
  const startedMs = performance.now();
  const deadlineMs = startedMs + opts.durationMs;
  const { proxy } = opts;
  let kill: MixedLoadResult['kill'];
  const killer =
    opts.killAtMs === undefined
      ? Promise.resolve()
      : (async () => {
          await new Promise((r) => setTimeout(r, opts.killAtMs));
          const atMs = performance.now();
          await proxy.kill9();
          await proxy.restart();
          kill = { atMs, healthyAgainMs: performance.now() };
        })();
  const [viewers, servers, probes] = await Promise.all([
    runViewers({
      url: proxy.url,
      token: opts.readToken,
      requests: opts.requests,
      viewers: opts.viewers,
      refreshMs: opts.refreshMs,
      deadlineMs,
    }),
    runModelServers({ ...opts.servers, url: proxy.url, deadlineMs }),
    runProbes({
      url: proxy.url,
      pid: () => proxy.pid(),
      everyMs: opts.probeEveryMs ?? 1000,
      deadlineMs,
      token: opts.readToken,
    }),
    killer,
  ]);
  await proxy.stop();
  const store = await checkStored(opts.sqlitePath, servers);
  return { viewers, servers, probes, startedMs, store, ...(kill ? { kill } : {}) };
}
