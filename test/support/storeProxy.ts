import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../backend-proxy/src/config/config';
import { unreachableMlflow } from '../../backend-proxy/src/mlflow/testing/unreachableMlflow';
import { buildApp } from '../../backend-proxy/src/server/app';
import { type DriftStore, openStore } from '../../backend-proxy/src/store';

export interface StoreProxy {
  app: FastifyInstance;
  store: DriftStore;
  /** Closes the app and the store and removes the temp directory. */
  close(): Promise<void>;
}

/**
 * The real proxy (routes, handlers, auth off) on a fresh SQLite drift store in a temp dir, with no MLflow behind it:
 * its client points at a closed loopback port and fails fast, without retries, so MLflow-backed fallbacks show as
 * the "MLflow unreachable" path. For the fidelity suites, which check store-backed statistics through HTTP.
 */
export async function startStoreProxy(prefix: string): Promise<StoreProxy> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const store = await openStore({ engine: 'sqlite', sqlitePath: join(dir, 'drift.db') });
  const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_LOG_LEVEL: 'silent', MLSIGHT_MONITOR_INTERVAL: '0' });
  const mlflow = unreachableMlflow();
  const app = await buildApp({ config, mlflow, store, logger: false });
  return {
    app,
    store,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
