/*
 * The drift store: reference profiles, predictions and labels of models in production, kept as mergeable
 * per-bucket sketches plus raw rows for a retention period. One interface (DriftStore), two engines.
 */
import { openPostgresStore } from './postgresStore';
import { openSqliteStore } from './sqliteStore';
import type { DriftStore, StoreOptions } from './types';

export type StoreConfig = { engine: 'sqlite'; sqlitePath: string } | { engine: 'postgres'; databaseUrl: string };

/**
 * Opens the configured drift store (SQLite file by default, PostgreSQL for shared deployments) and brings its
 * schema up to date.
 */
export function openStore(config: StoreConfig, options: StoreOptions = {}): Promise<DriftStore> {
  return config.engine === 'postgres'
    ? openPostgresStore(config.databaseUrl, options)
    : openSqliteStore(config.sqlitePath, options);
}

export * from './types';
export { FINE_BINS, PSI_BINS, SCORE_EDGES, coarsenCounts, coarsenEdges, countIndex, quantileEdges } from './binning';
export { bucketStart, chooseBuckets, DAY_MS, HOUR_MS, MINUTE_MS, queryBucketMs } from './buckets';
export { MIGRATIONS, migrate, SchemaTooNewError } from './migrations';
export { StoreRequestError, VALUE_COUNTS_LIMIT } from './profile';
export { schedulePrune } from './schedulePrune';
export { mergeSketches } from './sketch';
export { InvalidRow } from './validate';
export { STORE_DEFAULTS } from './sqlStore';
export { openPostgresStore, openSqliteStore };
