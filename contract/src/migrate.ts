import { QUERY_SCHEMA_VERSION } from './query';

/**
 * Upgrades a saved query (from a dashboard JSON) to the current shape. Pure; unknown keys are kept.
 * v0 (no schemaVersion) → v1: `runId` on metric_history became `runIds`; `modelName` became `model`.
 */
export function migrateQuery<T extends Record<string, unknown>>(saved: T): Record<string, unknown> {
  const query: Record<string, unknown> = { ...saved };
  const from = typeof query.schemaVersion === 'number' ? query.schemaVersion : 0;
  if (from < 1) {
    if (typeof query.modelName === 'string' && query.model === undefined) {
      query.model = query.modelName;
    }
    delete query.modelName;
    if (query.queryType === 'metric_history' && typeof query.runId === 'string' && query.runIds === undefined) {
      query.runIds = [query.runId];
      delete query.runId;
    }
  }
  query.schemaVersion = QUERY_SCHEMA_VERSION;
  return query;
}
