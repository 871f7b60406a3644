import { MlflowClient } from '../client';

/**
 * Test support: an MLflow client pointed at a closed loopback port (9, discard), with no retries, cache or stale
 * data, so every MLflow-backed path fails fast with "unreachable" and store-backed paths run without an MLflow.
 */
export function unreachableMlflow(): MlflowClient {
  return new MlflowClient({
    baseUrl: 'http://127.0.0.1:9',
    auth: { type: 'none' },
    timeoutMs: 200,
    retries: 0,
    backoffMs: 0,
    breaker: { failureThreshold: 5, resetMs: 1000 },
    cacheTtlMs: 0,
    staleTtlMs: 0,
    pageSize: 100,
  });
}
