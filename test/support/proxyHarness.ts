import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../backend-proxy/src/config/config';
import type { MlflowClient } from '../../backend-proxy/src/mlflow';
import { mlflowFromConfig } from '../../backend-proxy/src/server/mlflowFromConfig';
import { buildApp } from '../../backend-proxy/src/server/app';
import { type DriftStore, openStore } from '../../backend-proxy/src/store';
import type { SeedSummary } from './mlflowServer';

export const READ_TOKEN = 'it-read-token-0123456789abcdef';
export const INGEST_TOKEN = 'it-ingest-token-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${READ_TOKEN}` };

export interface IntegrationState {
  url: string;
  summary: SeedSummary;
}

export function readState(): IntegrationState {
  const file = process.env.MLSIGHT_IT_STATE;
  if (!file)
    throw new Error('MLSIGHT_IT_STATE is not set: run the integration project (its globalSetup starts MLflow)');
  return JSON.parse(readFileSync(file, 'utf8')) as IntegrationState;
}

/**
 * The real proxy (real MLflow client, real routes) against a real MLflow, driven through app.inject(). With
 * `sharedStore`, the app reads and writes that store (a second app over another one's data, e.g. with other
 * settings) and leaves it open on close; otherwise it gets its own SQLite store, removed with the app.
 */
export async function startProxy(
  mlflowUrl: string,
  env: Record<string, string> = {},
  sharedStore?: DriftStore
): Promise<{ app: FastifyInstance; mlflow: MlflowClient; store: DriftStore }> {
  const config = loadConfig({
    MLSIGHT_TOKENS: `${READ_TOKEN}:read,${INGEST_TOKEN}:ingest`,
    MLSIGHT_MLFLOW_URL: mlflowUrl,
    MLSIGHT_MLFLOW_PAGE_SIZE: '7',
    MLSIGHT_LOG_LEVEL: 'silent',
    ...env,
  });
  const mlflow = mlflowFromConfig(config.mlflow);
  if (sharedStore) {
    return { app: await buildApp({ config, mlflow, store: sharedStore, logger: false }), mlflow, store: sharedStore };
  }
  // A real SQLite drift store in a temp dir, closed and removed with the app.
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-store-'));
  const store = await openStore({ engine: 'sqlite', sqlitePath: join(dir, 'drift.db') });
  const app = await buildApp({ config, mlflow, store, logger: false });
  app.addHook('onClose', async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { app, mlflow, store };
}

/** Ground truth: MLflow's own REST API, called directly (shared with the E2E suite). */
export { mlflowRest } from './mlflowRest';

export async function query(
  app: FastifyInstance,
  queries: Array<Record<string, unknown>>,
  range: { from?: string; to?: string } = {}
): Promise<{ status: number; body: QueryResponse & { message?: string; field?: string } }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: AUTH,
    payload: { from: range.from ?? 'now-30d', to: range.to ?? 'now+1h', queries },
  });
  return { status: response.statusCode, body: response.json() };
}
