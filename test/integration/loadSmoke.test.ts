/**
 * A short, bounded run of the load benchmark's mixed profile, for correctness only (no speed is asserted): the
 * persona dashboards' queries from a few viewers and two model servers at once against the built proxy on a real
 * socket, a kill -9 of the proxy in the middle and a restart on the same SQLite store, against the suite's real
 * MLflow. Every acknowledged row must be stored once; nothing may fail except requests made while the proxy was
 * down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardPanelRequests, proxyVariableResolver } from '../bench/load/dashboardMix';
import { runMixedLoad, type MixedLoadResult } from '../bench/load/mixedLoad';
import { putReferences } from '../bench/load/modelServers';
import { startProxyProcess } from '../support/proxyProcess';
import { readState } from '../support/proxyHarness';

const READ_TOKEN = 'smoke-read-token-0123456789abcdef';
const INGEST_TOKEN = 'smoke-ingest-token-0123456789abcdef';
const DURATION_MS = 20_000;
const KILL_AT_MS = 8_000;

describe('under load, with a kill -9 in the middle (smoke run of the load benchmark)', () => {
  let dir: string;
  let result: MixedLoadResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-load-smoke-'));
    const sqlitePath = join(dir, 'drift.db');
    const proxy = await startProxyProcess({
      env: {
        MLSIGHT_TOKENS: `${READ_TOKEN}:read,${INGEST_TOKEN}:ingest`,
        MLSIGHT_MLFLOW_URL: readState().url,
        MLSIGHT_SQLITE_PATH: sqlitePath,
        MLSIGHT_LOG_LEVEL: 'warn',
      },
    });
    const servers = {
      token: INGEST_TOKEN,
      prefix: 'smoke-',
      servers: 2,
      rowsPerBatch: 100,
      numericFeatures: 6,
      categoricalFeatures: 2,
      maxBatches: 200,
      pauseMs: 100,
      startMs: Date.now() - 3_600_000,
    };
    await putReferences({ ...servers, url: proxy.url, deadlineMs: 0 });
    // The dashboards look at the first model server's model, so their store queries read rows being written.
    const requests = await dashboardPanelRequests(proxyVariableResolver(proxy.url, READ_TOKEN), {
      overrides: { model: 'smoke-0' },
    });
    result = await runMixedLoad({
      proxy,
      sqlitePath,
      readToken: READ_TOKEN,
      requests,
      viewers: 3,
      refreshMs: 4_000,
      durationMs: DURATION_MS,
      killAtMs: KILL_AT_MS,
      servers,
      probeEveryMs: 500,
    });
    const retries = result.servers.reduce((sum, s) => sum + s.connectionRetries, 0);
    console.log(
      `[it] load smoke: ${result.viewers.requests} panel requests (${result.viewers.connectionErrors} while down), ` +
        `${result.store.acknowledgedRows} rows acknowledged (${retries} batch attempts while down), ` +
        `proxy down ${((result.kill?.healthyAgainMs ?? 0) - (result.kill?.atMs ?? 0)).toFixed(0)} ms`
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged row and stores none twice across the kill -9', () => {
    expect(result.store.acknowledgedRows).toBeGreaterThan(0);
    expect(result.store.lost).toBe(0);
    expect(result.store.duplicated).toBe(0);
    // Every row sent was acknowledged (a batch is resent until it is), so the store holds exactly those.
    expect(result.store.storedRows).toBe(result.store.acknowledgedRows);
  });

  it('answers every query and batch without a server error', () => {
    expect(result.viewers.requests).toBeGreaterThan(0);
    expect(result.viewers.httpErrors).toBe(0);
    expect(result.viewers.queryServerErrors).toBe(0);
    expect(result.servers.flatMap((s) => s.serverErrors)).toEqual([]);
    expect(result.servers.flatMap((s) => s.rejections)).toEqual([]);
  });

  it('fails requests only while the proxy was down', () => {
    const kill = result.kill;
    expect(kill).toBeDefined();
    if (!kill) return;
    const outside = (at: number) => at < kill.atMs || at > kill.healthyAgainMs;
    expect(result.viewers.connectionErrorAtMs.filter(outside)).toEqual([]);
    expect(result.servers.flatMap((s) => s.connectionRetryAtMs).filter(outside)).toEqual([]);
  });

  it('watched the restarted proxy run under the load', () => {
    const kill = result.kill;
    expect(result.probes.healthzMs.length).toBeGreaterThan(10);
    const afterRestart = result.probes.rssMiB.filter(
      ([t]) => result.startedMs + t * 1000 > (kill?.healthyAgainMs ?? 0)
    );
    expect(afterRestart.length).toBeGreaterThan(0);
  });
});
