/*
 * Raw rows within the raw retention: single columns for exact tests, whole predictions, labelled predictions.
 */
import { type LoadedChunk, chunkRecord, columnKey, loadChunks } from './chunks';
import { isColumnEncoding, readColumn } from './columns';
import { decodeLabelRow, type LabelRowDb } from './labelRow';
import { parseJson, type StoreContext } from './storeContext';
import type { SqlExecutor } from './sql';
import type {
  LabeledPrediction,
  PredictionQuery,
  PredictionRecord,
  RawValues,
  RawValuesQuery,
  ReferenceRows,
  SegmentFilter,
  StoredValue,
} from './types';

function matchesSegment(segment: Record<string, string>, filter: SegmentFilter): boolean {
  return segment[filter.field] === filter.value;
}

/** The raw values of one column within the raw retention, in time order, for exact tests (KS on raw rows). */
export async function getRawFeatureValues(ctx: StoreContext, query: RawValuesQuery): Promise<RawValues> {
  const empty: RawValues = { kind: null, values: [], missing: 0, truncated: false };
  const modelId = await ctx.modelIdFor(query.model);
  if (modelId === undefined) return empty;
  const role = query.role ?? 'feature';
  const name = role === 'feature' || role === 'attribution' ? query.feature : role;
  const limit = query.limit ?? 1_000_000;
  return ctx.db.read(async (tx) => {
    const reference = await ctx.resolveReference(tx, query.model, modelId, query.version);
    const ids = await chunksInRange(ctx, tx, modelId, query.fromMs, query.toMs, query.version);
    const wanted = [
      { role: 'meta', name: 'ts' },
      { role, name },
    ];
    if (role === 'feature') wanted.push({ role: 'extra', name: '' });
    if (query.segment) wanted.push({ role: 'segment', name: query.segment.field });
    const chunks = await loadChunks(tx, ids, wanted);
    const pairs: Array<{ ts: number; value: number | string }> = [];
    let missing = 0;
    for (const id of ids) {
      const chunk = chunks.get(id);
      if (!chunk) continue;
      const ts = chunk.columns.get(columnKey('meta', 'ts'));
      const column = chunk.columns.get(columnKey(role, name));
      const extra = column ? undefined : chunk.columns.get(columnKey('extra', ''));
      const segment = query.segment ? chunk.columns.get(columnKey('segment', query.segment.field)) : undefined;
      for (let i = 0; i < chunk.rowCount; i++) {
        const t = Number(ts?.get(i));
        if (!(t >= query.fromMs && t < query.toMs)) continue;
        if (query.segment && segment?.get(i) !== query.segment.value) continue;
        let value = column?.get(i);
        if (extra) {
          const e = extra.get(i);
          value = e && typeof e === 'object' ? (e as Record<string, unknown>)[name] : undefined;
        }
        if (typeof value === 'number' || typeof value === 'string') pairs.push({ ts: t, value });
        else if (typeof value === 'boolean') pairs.push({ ts: t, value: String(value) });
        else missing++;
      }
    }
    pairs.sort((a, b) => a.ts - b.ts);
    const column = reference?.column(role, name);
    const kind = column?.kind ?? (pairs[0] ? (typeof pairs[0].value === 'number' ? 'numeric' : 'categorical') : null);
    return {
      kind,
      values: pairs.slice(0, limit).map((p) => p.value),
      ...(query.withTimes ? { times: pairs.slice(0, limit).map((p) => p.ts) } : {}),
      missing,
      truncated: pairs.length > limit,
    };
  });
}

/** The raw values of one reference column (features, prediction or label), missing ones counted apart. */
export async function getReferenceValues(
  ctx: StoreContext,
  model: string,
  feature: string,
  opts: { version?: string; role?: 'feature' | 'prediction' | 'label' } = {}
): Promise<RawValues> {
  const empty: RawValues = { kind: null, values: [], missing: 0, truncated: false };
  const modelId = await ctx.modelIdFor(model);
  if (modelId === undefined) return empty;
  const role = opts.role ?? 'feature';
  const name = role === 'feature' ? feature : role;
  return ctx.db.read(async (tx) => {
    const reference = await ctx.resolveReference(tx, model, modelId, opts.version);
    if (!reference) return empty;
    const rows = await tx.all<{ encoding: string; data: Uint8Array }>(
      'SELECT encoding, data FROM reference_columns WHERE reference_id = ? AND role = ? AND name = ?',
      [reference.profile.id, role, name]
    );
    const row = rows[0];
    const column = reference.column(role, name);
    if (!row || !column) return empty;
    if (!isColumnEncoding(row.encoding)) return empty;
    const reader = readColumn(row.encoding, row.data);
    const values: Array<number | string> = [];
    let missing = 0;
    for (let i = 0; i < reader.length; i++) {
      const v = reader.get(i);
      if (typeof v === 'number' || typeof v === 'string') values.push(v);
      else missing++;
    }
    return {
      kind: column.kind,
      values,
      missing,
      truncated: reference.profile.storedRows < reference.profile.rowCount,
    };
  });
}

/**
 * The raw reference rows the store kept (at most its reference row cap, the first rows of the request), column by
 * column and row-aligned, for methods that need whole rows (multivariate drift): `columns[f][row]`, null missing.
 * Features default to every profiled feature, in name order; an unknown feature is left out of `features`.
 */
export async function getReferenceRows(
  ctx: StoreContext,
  model: string,
  opts: { version?: string; features?: readonly string[] } = {}
): Promise<ReferenceRows | undefined> {
  const modelId = await ctx.modelIdFor(model);
  if (modelId === undefined) return undefined;
  return ctx.db.read(async (tx) => {
    const reference = await ctx.resolveReference(tx, model, modelId, opts.version);
    if (!reference) return undefined;
    const profiled = reference.profile.features;
    const names = (opts.features ?? Object.keys(profiled).sort()).filter((f) => profiled[f] !== undefined);
    const features: ReferenceRows['features'] = [];
    const columns: StoredValue[][] = [];
    const rows = reference.profile.storedRows;
    for (const name of names) {
      const found = await tx.all<{ encoding: string; data: Uint8Array }>(
        'SELECT encoding, data FROM reference_columns WHERE reference_id = ? AND role = ? AND name = ?',
        [reference.profile.id, 'feature', name]
      );
      const row = found[0];
      const profile = profiled[name];
      if (!row || !profile || !isColumnEncoding(row.encoding)) continue;
      const reader = readColumn(row.encoding, row.data);
      const values: StoredValue[] = new Array<StoredValue>(rows).fill(null);
      for (let i = 0; i < Math.min(rows, reader.length); i++) {
        const v = reader.get(i);
        values[i] = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null;
      }
      features.push({ name, kind: profile.kind });
      columns.push(values);
    }
    return {
      referenceId: reference.profile.id,
      features,
      columns,
      rows,
      truncated: rows < reference.profile.rowCount,
    };
  });
}

/** The stored columns of a prediction row without its features and attributions. */
const OUTPUT_COLUMNS = ['meta', 'prediction', 'score', 'segment'].map((role) => ({ role, name: '*' }));

/** Whole prediction rows in time order, at most `limit`, optionally of one segment. */
export async function getPredictions(ctx: StoreContext, query: PredictionQuery): Promise<PredictionRecord[]> {
  const modelId = await ctx.modelIdFor(query.model);
  if (modelId === undefined) return [];
  const limit = query.limit ?? 100_000;
  return ctx.db.read(async (tx) => {
    const ids = await chunksInRange(ctx, tx, modelId, query.fromMs, query.toMs, query.version);
    const out: PredictionRecord[] = [];
    // Chunks come oldest first by min_ts; once `limit` rows are in, only chunks starting before the latest
    // collected row can still hold earlier rows.
    let latest = Number.NEGATIVE_INFINITY;
    for (let start = 0; start < ids.length; start += 32) {
      const batch = ids.slice(start, start + 32);
      const chunks = await loadChunks(tx, batch, query.columns === 'outputs' ? OUTPUT_COLUMNS : undefined);
      for (const id of batch) {
        const chunk = chunks.get(id);
        if (chunk) collectRows(ctx, chunk, query, out);
      }
      if (out.length >= limit) {
        out.sort((a, b) => a.timestampMs - b.timestampMs);
        out.length = limit;
        latest = out[out.length - 1]?.timestampMs ?? latest;
        const minTs = await chunkMinTs(ctx, tx, ids[start + 32]);
        if (minTs === undefined || minTs > latest) break;
      }
    }
    out.sort((a, b) => a.timestampMs - b.timestampMs);
    return out.slice(0, limit);
  });
}

/** Predictions joined with their labels, by prediction time. */
export async function getLabeledPredictions(ctx: StoreContext, query: PredictionQuery): Promise<LabeledPrediction[]> {
  const modelId = await ctx.modelIdFor(query.model);
  if (modelId === undefined) return [];
  const limit = query.limit ?? 100_000;
  const params: Array<number | string> = [modelId, query.fromMs, query.toMs];
  let sql = `SELECT prediction_id, pred_ts, version, prediction, score, segment, label, label_ts
               FROM labels WHERE model_id = ? AND pred_ts >= ? AND pred_ts < ?`;
  if (query.version !== undefined) {
    sql += ' AND version = ?';
    params.push(query.version);
  }
  sql += ' ORDER BY pred_ts, prediction_id';
  if (!query.segment) {
    sql += ' LIMIT ?';
    params.push(limit);
  }
  const rows = await ctx.db.read((tx) => tx.all<LabelRowDb>(sql, params));
  const out: LabeledPrediction[] = [];
  for (const r of rows) {
    const row = decodeLabelRow(r);
    if (query.segment && !matchesSegment(row.segment, query.segment)) continue;
    out.push(row);
    if (out.length >= limit) break;
  }
  return out;
}

/** One prediction (the newest row with that id) and its label, if any. */
export async function getPrediction(
  ctx: StoreContext,
  model: string,
  predictionId: string
): Promise<(PredictionRecord & { label: StoredValue | undefined }) | undefined> {
  const modelId = await ctx.modelIdFor(model);
  if (modelId === undefined) return undefined;
  return ctx.db.read(async (tx) => {
    const where = (await ctx.locatePredictions(tx, modelId, [predictionId])).get(predictionId);
    if (!where) return undefined;
    const chunk = (await loadChunks(tx, [where.chunkId])).get(where.chunkId);
    if (!chunk) return undefined;
    const labels = await tx.all<{ label: string }>(
      'SELECT label FROM labels WHERE model_id = ? AND pred_ts = ? AND prediction_id = ?',
      [modelId, where.ts, predictionId]
    );
    const label = labels[0] ? ((parseJson(labels[0].label) as StoredValue) ?? null) : undefined;
    return { ...chunkRecord(chunk, where.offset), label };
  });
}

/** Chunks overlapping a time range, oldest first. */
async function chunksInRange(
  ctx: StoreContext,
  tx: SqlExecutor,
  modelId: number,
  fromMs: number,
  toMs: number,
  version: string | undefined
): Promise<number[]> {
  const params: Array<number | string> = [modelId, fromMs, toMs];
  let sql = 'SELECT id FROM chunks WHERE model_id = ? AND max_ts >= ? AND min_ts < ?';
  if (version !== undefined) {
    sql += ' AND version = ?';
    params.push(version);
  }
  const rows = await tx.all<{ id: number }>(`${sql} ORDER BY min_ts, id`, params);
  return rows.map((r) => Number(r.id));
}

async function chunkMinTs(ctx: StoreContext, tx: SqlExecutor, id: number | undefined): Promise<number | undefined> {
  if (id === undefined) return undefined;
  const rows = await tx.all<{ min_ts: number }>('SELECT min_ts FROM chunks WHERE id = ?', [id]);
  return rows[0] ? Number(rows[0].min_ts) : undefined;
}

function collectRows(ctx: StoreContext, chunk: LoadedChunk, query: PredictionQuery, out: PredictionRecord[]): void {
  const ts = chunk.columns.get(columnKey('meta', 'ts'));
  const segment = query.segment ? chunk.columns.get(columnKey('segment', query.segment.field)) : undefined;
  for (let i = 0; i < chunk.rowCount; i++) {
    const t = Number(ts?.get(i));
    if (!(t >= query.fromMs && t < query.toMs)) continue;
    if (query.segment && segment?.get(i) !== query.segment.value) continue;
    out.push(chunkRecord(chunk, i));
  }
}
