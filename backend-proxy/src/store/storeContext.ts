import { MAX_REPORTED_ROW_ERRORS, type IngestResult, type RowError } from '@mlsight/contract';
import { DAY_MS } from './buckets';
import { idHash } from './hash';
import { ChunkIdIndex, type RowLocation } from './idLookup';
import { FrozenReference, StoreRequestError } from './profile';
import type { SqlClient, SqlExecutor } from './sql';
import type { IngestOptions, IngestOutcome, ReferenceProfile, StoreOptions } from './types';

export const STORE_DEFAULTS: Required<StoreOptions> = {
  rawRetentionMs: 30 * DAY_MS,
  minuteRetentionMs: 2 * DAY_MS,
  hourRetentionMs: 400 * DAY_MS,
  idempotencyRetentionMs: 7 * DAY_MS,
  referenceRowCap: 200_000,
  maxCategories: 10_000,
  chunkRows: 4096,
};

export type IngestKind = 'reference' | 'predictions' | 'labels';

interface ReferenceRowDb {
  id: number;
  version: string;
  mlflow_run_id: string | null;
  dataset_digest: string | null;
  created_at: number;
  row_count: number;
  stored_rows: number;
  profile: string;
}

export interface StoredProfileJson {
  features: ReferenceProfile['features'];
  prediction: ReferenceProfile['prediction'];
  label: ReferenceProfile['label'];
}

/** Caches filled inside a transaction and published only after it commits. */
export class TxCaches {
  readonly series = new Map<string, number>();
}

/** The result of a batch: errors in row order, at most MAX_REPORTED_ROW_ERRORS listed. */
export function finish(errors: RowError[], accepted: number, duplicates: number): IngestResult {
  errors.sort((a, b) => a.index - b.index);
  return { accepted, rejected: errors.length, duplicates, errors: errors.slice(0, MAX_REPORTED_ROW_ERRORS) };
}

/** JSON text from the database, null when absent or unreadable. */
export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * What every store operation shares: the SQL client, options, and caches of immutable things (model ids,
 * frozen references by id, sketch series ids, chunk id hashes) — caches that need no invalidation, so several
 * replicas can share one database.
 */
export class StoreContext {
  readonly opts: Required<StoreOptions>;
  readonly references = new Map<number, FrozenReference>();
  readonly seriesIds = new Map<string, number>();
  readonly modelIds = new Map<string, number>();
  readonly ids = new ChunkIdIndex();

  constructor(
    readonly db: SqlClient,
    options: StoreOptions = {}
  ) {
    this.opts = { ...STORE_DEFAULTS, ...options };
  }

  async findModelId(tx: SqlExecutor, model: string): Promise<number | undefined> {
    const cached = this.modelIds.get(model);
    if (cached !== undefined) return cached;
    const rows = await tx.all<{ id: number }>('SELECT id FROM models WHERE name = ?', [model]);
    const id = rows[0] ? Number(rows[0].id) : undefined;
    return id;
  }

  /** Model id outside any write transaction (lock keys must be known before it starts). */
  async modelIdFor(model: string): Promise<number | undefined> {
    const cached = this.modelIds.get(model);
    if (cached !== undefined) return cached;
    const id = await this.db.read((tx) => this.findModelId(tx, model));
    if (id !== undefined) this.modelIds.set(model, id);
    return id;
  }

  async ensureModel(model: string, nowMs: number): Promise<number> {
    const existing = await this.modelIdFor(model);
    if (existing !== undefined) return existing;
    const id = await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO models (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [model, nowMs]);
      const found = await this.findModelId(tx, model);
      if (found === undefined) throw new Error(`model "${model}" could not be created`);
      return found;
    });
    this.modelIds.set(model, id);
    return id;
  }

  async loadReference(tx: SqlExecutor, model: string, id: number): Promise<FrozenReference | undefined> {
    const cached = this.references.get(id);
    if (cached) return cached;
    const rows = await tx.all<ReferenceRowDb>(
      `SELECT id, version, mlflow_run_id, dataset_digest, created_at, row_count, stored_rows, profile
       FROM reference_profiles WHERE id = ?`,
      [id]
    );
    const row = rows[0];
    if (!row) return undefined;
    return this.cacheReference(model, row);
  }

  /** Loads the references not cached yet in one read (the fleet's many models), then serves them from the cache. */
  async loadReferences(tx: SqlExecutor, wanted: ReadonlyArray<{ model: string; id: number }>): Promise<void> {
    const missing = wanted.filter((w) => !this.references.has(w.id));
    if (missing.length === 0) return;
    const ids = tx.inList(
      'id',
      missing.map((w) => w.id),
      'bigint'
    );
    const rows = await tx.all<ReferenceRowDb>(
      `SELECT id, version, mlflow_run_id, dataset_digest, created_at, row_count, stored_rows, profile
       FROM reference_profiles WHERE ${ids.sql}`,
      [ids.param]
    );
    const modelOf = new Map(missing.map((w) => [w.id, w.model]));
    for (const row of rows) this.cacheReference(modelOf.get(Number(row.id)) ?? '', row);
  }

  private cacheReference(model: string, row: ReferenceRowDb): FrozenReference {
    const stored = JSON.parse(row.profile) as StoredProfileJson;
    const frozen = new FrozenReference({
      id: Number(row.id),
      model,
      version: row.version === '' ? null : row.version,
      mlflowRunId: row.mlflow_run_id,
      datasetDigest: row.dataset_digest,
      createdAtMs: Number(row.created_at),
      rowCount: Number(row.row_count),
      storedRows: Number(row.stored_rows),
      features: stored.features,
      prediction: stored.prediction,
      label: stored.label,
    });
    this.references.set(frozen.profile.id, frozen);
    return frozen;
  }

  /** Latest reference id per version ('' = the model's default). */
  async currentReferenceIds(tx: SqlExecutor, modelId: number): Promise<Map<string, number>> {
    const rows = await tx.all<{ id: number; version: string }>(
      `SELECT MAX(id) AS id, version FROM reference_profiles WHERE model_id = ? GROUP BY version`,
      [modelId]
    );
    return new Map(rows.map((r) => [r.version, Number(r.id)]));
  }

  /** The reference a version uses: its own, else the default; without a version the default, else the newest. */
  async resolveReference(
    tx: SqlExecutor,
    model: string,
    modelId: number,
    version: string | undefined
  ): Promise<FrozenReference | undefined> {
    const ids = await this.currentReferenceIds(tx, modelId);
    let id = version !== undefined ? (ids.get(version) ?? ids.get('')) : ids.get('');
    if (id === undefined && version === undefined && ids.size > 0) id = Math.max(...ids.values());
    return id === undefined ? undefined : this.loadReference(tx, model, id);
  }

  async replay<R extends IngestResult>(
    tx: SqlExecutor,
    modelId: number,
    kind: IngestKind,
    opts: IngestOptions
  ): Promise<IngestOutcome<R> | undefined> {
    if (!opts.idempotencyKey) return undefined;
    const rows = await tx.all<{ body_hash: string | null; result: string }>(
      'SELECT body_hash, result FROM idempotency_keys WHERE model_id = ? AND kind = ? AND idem_key = ?',
      [modelId, kind, opts.idempotencyKey]
    );
    const row = rows[0];
    if (!row) return undefined;
    if (opts.bodyHash && row.body_hash && opts.bodyHash !== row.body_hash) {
      throw new StoreRequestError(
        409,
        `Idempotency-Key "${opts.idempotencyKey}" was already used with a different body; use a new key for a new batch`
      );
    }
    return { result: JSON.parse(row.result) as R, replayed: true, refused: false };
  }

  async remember(
    tx: SqlExecutor,
    modelId: number,
    kind: IngestKind,
    opts: IngestOptions,
    result: IngestResult,
    nowMs: number
  ): Promise<void> {
    if (!opts.idempotencyKey) return;
    await tx.run(
      'INSERT INTO idempotency_keys (model_id, kind, idem_key, body_hash, result, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [modelId, kind, opts.idempotencyKey, opts.bodyHash ?? null, JSON.stringify(result), nowMs]
    );
  }

  cutoffs(nowMs: number) {
    return { minuteMs: nowMs - this.opts.minuteRetentionMs, hourMs: nowMs - this.opts.hourRetentionMs };
  }

  publish(caches: TxCaches): void {
    for (const [k, v] of caches.series) this.seriesIds.set(k, v);
  }

  /** Where stored predictions live: id → its newest stored row (ids not found are absent). */
  async locatePredictions(tx: SqlExecutor, modelId: number, ids: readonly string[]): Promise<Map<string, RowLocation>> {
    const out = new Map<string, RowLocation>();
    if (ids.length === 0) return out;
    const chunks = await tx.all<{ id: number }>(
      'SELECT id FROM chunks WHERE model_id = ? ORDER BY max_ts DESC, id DESC',
      [modelId]
    );
    const wanted = [...new Set(ids)].map((id) => ({ id, hash: idHash(id) }));
    const found = await this.ids.find(
      tx,
      chunks.map((c) => Number(c.id)),
      wanted,
      true
    );
    for (const [id, rows] of found) {
      const newest = rows.reduce<RowLocation | undefined>((best, r) => (!best || r.ts > best.ts ? r : best), undefined);
      if (newest) out.set(id, newest);
    }
    return out;
  }
}
