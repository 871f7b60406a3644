import type { AppConfig } from '../config/config';
import { MlflowClient, type MlflowClientConfig } from '../mlflow';

/** The MLflow client the proxy's settings describe; one place maps `MLSIGHT_MLFLOW_*` onto the client. */
export function mlflowFromConfig(config: AppConfig['mlflow'], logger?: MlflowClientConfig['logger']): MlflowClient {
  return new MlflowClient({
    baseUrl: config.url,
    auth: config.auth,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    backoffMs: config.backoffMs,
    breaker: { failureThreshold: config.breakerFailures, resetMs: config.breakerResetMs },
    cacheTtlMs: config.cacheTtlMs,
    staleTtlMs: config.staleTtlMs,
    pageSize: config.pageSize,
    ...(logger ? { logger } : {}),
  });
}
