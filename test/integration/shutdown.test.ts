/**
 * SIGTERM while a request is still in flight: the built proxy stops on its own after its grace period instead of
 * waiting for the request (issue "SIGTERM was ignored"), exits 0, and every batch it acknowledged before is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../backend-proxy/src/store';
import { startProxyProcess, type ProxyProcess } from '../support/proxyProcess';

const INGEST_TOKEN = 'shutdown-ingest-token-0123456789abcdef';
const T0 = Date.UTC(2026, 10, 1);

describe('SIGTERM with a request in flight', () => {
  let dir: string;
  let proxy: ProxyProcess;
  let hanging: Socket | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-shutdown-'));
    proxy = await startProxyProcess({
      stdio: 'pipe',
      env: {
        MLSIGHT_TOKENS: `${INGEST_TOKEN}:ingest`,
        MLSIGHT_SQLITE_PATH: join(dir, 'drift.db'),
        MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9',
        MLSIGHT_MONITOR_INTERVAL: '0',
        MLSIGHT_LOG_LEVEL: 'info',
      },
    });
  });
  afterAll(() => {
    hanging?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 after its grace period and keeps every acknowledged batch', async () => {
    const send = (path: string, method: string, body: unknown) =>
      fetch(`${proxy.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const reference = Array.from({ length: 200 }, (_, i) => ({ features: { x: i % 17 } }));
    expect((await send('/api/v1/models/m/reference', 'PUT', { rows: reference })).status).toBe(200);
    const acknowledged: string[] = [];
    for (let b = 0; b < 5; b++) {
      const rows = Array.from({ length: 100 }, (_, i) => ({
        prediction_id: `b${b}-${i}`,
        timestamp: T0 + (b * 100 + i) * 1000,
        features: { x: i % 17 },
      }));
      const answer = await send('/api/v1/models/m/predictions', 'POST', { rows });
      expect(answer.status).toBe(200);
      acknowledged.push(...rows.map((r) => r.prediction_id));
    }

    // A client that announces a body and never finishes it: a request the proxy would wait for forever.
    const port = Number(new URL(proxy.url).port);
    hanging = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => hanging?.once('connect', () => resolve()));
    hanging.write(
      'POST /api/v1/models/m/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Authorization: Bearer ${INGEST_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n` +
        '{"rows": ['
    );
    // Another request on its own connection is answered after the proxy has read the hanging one's headers.
    expect((await fetch(`${proxy.url}/healthz`)).status).toBe(200);

    const stopped = proxy.stop(120_000);
    await stopped;
    expect(proxy.exitCode()).toBe(0);
    expect(proxy.output()).toMatch(/"msg":"shutting down"/);
    expect(proxy.output()).toMatch(/requests still running at the end of the grace period; exiting/);

    const store = await openStore({ engine: 'sqlite', sqlitePath: join(dir, 'drift.db') });
    try {
      const rows = await store.getPredictions({ model: 'm', fromMs: T0, toMs: T0 + 1e9, columns: 'outputs' });
      expect(rows.map((r) => r.predictionId).sort()).toEqual([...acknowledged].sort());
    } finally {
      await store.close();
    }
  });
});
