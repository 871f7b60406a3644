#!/usr/bin/env node
import pino from 'pino';
import { ConfigError, loadConfig } from './config/config';
import { openStore, schedulePrune } from './store';

/** Retention housekeeping (raw rows, minute sketches, idempotency keys); safe from several replicas. */
const PRUNE_EVERY_MS = 10 * 60_000;
/** How long a stop waits for requests in flight (Kubernetes' default terminationGracePeriodSeconds is 30 s). */
const SHUTDOWN_GRACE_MS = 5_000;
import { buildApp, loggerOptions } from './server/app';
import { bufferedStdout } from './server/logDestination';
import { mlflowFromConfig } from './server/mlflowFromConfig';
import { startupSummary } from './server/startupSummary';

/** Starts the proxy: read config, say what it is doing, listen, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`mlsight-proxy: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const destination = bufferedStdout();
  const log = pino({ level: config.logLevel, name: 'mlsight-proxy' }, destination.stream);
  const summary = startupSummary(config);
  log.info(summary, 'starting MLSight proxy');
  if (!config.auth.enabled) {
    log.warn({ host: config.host }, 'authentication is OFF (MLSIGHT_AUTH=off); allowed only on a loopback address');
  } else {
    log.info({ tokens: config.auth.tokens.length }, 'bearer-token auth on');
  }
  const mlflow = mlflowFromConfig(config.mlflow, log.child({ component: 'mlflow' }));
  try {
    await mlflow.ping();
    log.info({ url: summary.mlflow }, 'MLflow reachable');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'MLflow not reachable yet; queries will report it until it is');
  }
  const store = await openStore(config.store);
  log.info(
    config.store.engine === 'sqlite' ? { engine: 'sqlite', path: config.store.sqlitePath } : { engine: 'postgres' },
    'drift store open, schema up to date'
  );
  const app = await buildApp({
    config,
    mlflow,
    store,
    queryWorkers: config.queryWorkers,
    logger: loggerOptions(config.logLevel, destination.stream),
  });
  log.info(
    { workers: config.queryWorkers },
    config.queryWorkers > 0 ? 'queries answered in worker threads' : 'queries answered on the event loop'
  );
  // buildApp schedules the monitor: its gauges live on the app's own registry.
  if (config.monitor.intervalMs > 0) {
    log.info(
      { everyMs: config.monitor.intervalMs, windowMs: config.monitor.windowMs },
      'Prometheus monitor on: gauges recomputed on a schedule over the trailing window'
    );
  } else {
    log.warn('Prometheus monitor off (MLSIGHT_MONITOR_INTERVAL=0): /metrics has no drift or data-quality gauges');
  }
  const stopPruning = schedulePrune(store, PRUNE_EVERY_MS, (result) =>
    result instanceof Error ? log.warn({ err: result.message }, 'prune failed') : log.debug(result, 'pruned')
  );
  app.addHook('onClose', async () => {
    stopPruning();
    await store.close();
  });
  const address = await app.listen({ host: config.host, port: config.port });
  log.info({ address, openapi: `${address}/api/v1/openapi.json` }, 'MLSight proxy listening');

  const shutdown = async (signal: string) => {
    log.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'shutting down');
    // Every acknowledged write is committed before its answer, so a query still running (in a worker) when the
    // grace ends may be cut off without losing anything; a stop must not wait for a long query.
    const cutOff = setTimeout(() => {
      log.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still running at the end of the grace period; exiting');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    cutOff.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main().catch((err: unknown) => {
  console.error('mlsight-proxy failed to start:', err);
  process.exit(1);
});
