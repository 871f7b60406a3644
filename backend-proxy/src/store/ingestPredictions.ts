import type { RowError } from '@mlsight/contract';
import { PredictionBatch } from './predictionBatch';
import type { FrozenReference } from './profile';
import { GroupSketches } from './sketchBatch';
import { flushSketches } from './sketchRows';
import type { SqlExecutor, SqlScalar } from './sql';
import { finish, type StoreContext, TxCaches } from './storeContext';
import type { IngestOptions, IngestOutcome } from './types';
import { checkPredictionRow, isRowError, type PredictionInput } from './validate';

/** Distinct values kept per segment field (the variable list, not the data). */
const MAX_SEGMENT_VALUES = 1000;

/**
 * `POST …/predictions`: per-row checks, kind checks against the reference of each row's version, duplicate
 * detection, then in one transaction the columnar raw rows, the sketches of every touched bucket, the segment
 * values and the idempotency record.
 */
export async function ingestPredictions(
  ctx: StoreContext,
  model: string,
  rows: readonly unknown[],
  opts: IngestOptions = {}
): Promise<IngestOutcome> {
  const nowMs = opts.nowMs ?? Date.now();
  const errors: RowError[] = [];
  const inputs: PredictionInput[] = [];
  for (let i = 0; i < rows.length; i++) {
    const checked = checkPredictionRow(rows[i], i);
    if (isRowError(checked)) errors.push(checked);
    else inputs.push(checked);
  }
  const modelId = await ctx.modelIdFor(model);
  if (modelId === undefined) {
    const reason = `unknown model "${model}": no reference profile yet (PUT /api/v1/models/${model}/reference first)`;
    for (const input of inputs) errors.push({ index: input.index, reason });
    return { result: finish(errors, 0, 0), replayed: false, refused: Boolean(opts.atomic && errors.length > 0) };
  }

  const caches = new TxCaches();
  const outcome = await ctx.db.transaction(
    async (tx) => {
      const replayed = await ctx.replay(tx, modelId, 'predictions', opts);
      if (replayed) return replayed;
      const refs = new Map<string, FrozenReference>();
      for (const [version, id] of await ctx.currentReferenceIds(tx, modelId)) {
        const reference = await ctx.loadReference(tx, model, id);
        if (reference) refs.set(version, reference);
      }
      const cutoffs = ctx.cutoffs(nowMs);
      const sketches = new Map<string, GroupSketches>();
      const sketchGroup = (reference: FrozenReference, version: string) => {
        const key = `${reference.profile.id}\u0000${version}`;
        let group = sketches.get(key);
        if (!group) sketches.set(key, (group = new GroupSketches(reference.profile.id, version, cutoffs)));
        return group;
      };

      // Group rows by the reference their version uses, then check kinds straight into column arrays.
      const grouped = new Map<string, { reference: FrozenReference; version: string; inputs: PredictionInput[] }>();
      for (const input of inputs) {
        const reference = refs.get(input.version) ?? refs.get('');
        if (!reference) {
          errors.push({
            index: input.index,
            reason: input.version
              ? `no reference for version "${input.version}" of model "${model}" and no default one`
              : `model "${model}" has no default reference; send "version" or PUT a reference without one`,
          });
          continue;
        }
        const key = `${reference.profile.id}\u0000${input.version}`;
        let group = grouped.get(key);
        if (!group) grouped.set(key, (group = { reference, version: input.version, inputs: [] }));
        group.inputs.push(input);
      }
      const batches: PredictionBatch[] = [];
      for (const group of grouped.values()) {
        const batch = new PredictionBatch(group.reference, group.version, group.inputs.length);
        batches.push(batch);
        for (const input of group.inputs) {
          const problems = batch.tryAdd(input);
          if (!problems) continue;
          errors.push({ index: input.index, reason: problems.problems.slice(0, 3).join('; ') });
          if (opts.atomic || problems.typeErrorFeatures.length === 0) continue;
          const sketch = sketchGroup(group.reference, group.version);
          sketch.at(input.ts);
          for (const c of problems.typeErrorFeatures) {
            const column = group.reference.features[c];
            if (column) sketch.addTypeError(sketch.columnId(column));
          }
        }
      }
      if (opts.atomic && errors.length > 0) {
        return { result: finish(errors, 0, 0), replayed: false, refused: true };
      }

      const fresh = await dropDuplicates(ctx, tx, modelId, batches);
      let accepted = 0;
      const segments = new Map<string, Set<string>>();
      for (let b = 0; b < batches.length; b++) {
        const batch = batches[b];
        const keep = fresh[b];
        if (!batch || !keep || keep.length === 0) continue;
        accepted += keep.length;
        const order = batch.timeOrder(keep);
        await writeChunks(ctx, tx, modelId, batch, order, nowMs);
        batch.sketch(sketchGroup(batch.reference, batch.version), order);
        for (const p of order) {
          const segment = batch.inputs[p]?.segment;
          for (const field in segment ?? {}) {
            const value = segment?.[field];
            if (value === undefined) continue;
            let set = segments.get(field);
            if (!set) segments.set(field, (set = new Set()));
            set.add(value);
          }
        }
      }
      const created = await flushSketches(tx, modelId, [...sketches.values()], ctx.seriesIds);
      for (const [k, v] of created) caches.series.set(k, v);
      await recordSegments(ctx, tx, modelId, segments);
      if (accepted > 0)
        await tx.run('UPDATE models SET last_ingest_at = ?, data_generation = data_generation + 1 WHERE id = ?', [
          nowMs,
          modelId,
        ]);
      const kindChecked = batches.reduce((n, b) => n + b.length, 0);
      const result = finish(errors, accepted, kindChecked - accepted);
      await ctx.remember(tx, modelId, 'predictions', opts, result, nowMs);
      return { result, replayed: false, refused: false };
    },
    [modelId]
  );
  ctx.publish(caches);
  return outcome;
}

/**
 * Rows that are not retries: a row is a duplicate when a stored row (or an earlier row of this batch) has the
 * same prediction_id and the same timestamp. Only chunks overlapping the batch's time range can hold one.
 * @returns per batch, the positions of the rows to store
 */
async function dropDuplicates(
  ctx: StoreContext,
  tx: SqlExecutor,
  modelId: number,
  batches: readonly PredictionBatch[]
): Promise<number[][]> {
  const total = batches.reduce((n, batch) => n + batch.length, 0);
  if (total === 0) return batches.map(() => []);
  const hashes = new Float64Array(total);
  const where = new Int32Array(total * 2);
  let minTs = Number.POSITIVE_INFINITY;
  let maxTs = Number.NEGATIVE_INFINITY;
  let k = 0;
  batches.forEach((batch, b) => {
    for (let p = 0; p < batch.length; p++, k++) {
      hashes[k] = batch.hashes[p] ?? 0;
      where[2 * k] = b;
      where[2 * k + 1] = p;
      const ts = batch.ts[p] ?? 0;
      if (ts < minTs) minTs = ts;
      if (ts > maxTs) maxTs = ts;
    }
  });
  const idOf = (i: number) => batches[where[2 * i] ?? 0]?.inputs[where[2 * i + 1] ?? 0]?.id ?? '';
  const tsOf = (i: number) => batches[where[2 * i] ?? 0]?.ts[where[2 * i + 1] ?? 0] ?? 0;

  // Repeats inside the batch (same id and timestamp as an earlier row): sorting by hash puts them side by side,
  // without a map of every id.
  const duplicate = new Uint8Array(total);
  const byHash = new Int32Array(total).map((_, i) => i).sort((x, y) => (hashes[x] ?? 0) - (hashes[y] ?? 0) || x - y);
  for (let start = 0; start < total;) {
    let end = start + 1;
    while (end < total && hashes[byHash[end] ?? 0] === hashes[byHash[start] ?? 0]) end++;
    for (let j = start + 1; j < end; j++) {
      const row = byHash[j] ?? 0;
      for (let i = start; i < j; i++) {
        const earlier = byHash[i] ?? 0;
        if (!duplicate[earlier] && tsOf(earlier) === tsOf(row) && idOf(earlier) === idOf(row)) duplicate[row] = 1;
      }
    }
    start = end;
  }

  // Stored rows: only chunks overlapping the batch's time range can hold a retry.
  const overlapping = await tx.all<{ id: number }>(
    'SELECT id FROM chunks WHERE model_id = ? AND min_ts <= ? AND max_ts >= ? ORDER BY id',
    [modelId, maxTs, minTs]
  );
  if (overlapping.length > 0) {
    const wanted: Array<{ id: string; hash: number; row: number }> = [];
    for (let i = 0; i < total; i++) if (!duplicate[i]) wanted.push({ id: idOf(i), hash: hashes[i] ?? 0, row: i });
    const stored = await ctx.ids.find(
      tx,
      overlapping.map((c) => Number(c.id)),
      wanted,
      false
    );
    for (const w of wanted) {
      if (stored.get(w.id)?.some((r) => r.ts === tsOf(w.row))) duplicate[w.row] = 1;
    }
  }
  const fresh = batches.map((): number[] => []);
  for (let i = 0; i < total; i++) if (!duplicate[i]) fresh[where[2 * i] ?? 0]?.push(where[2 * i + 1] ?? 0);
  return fresh;
}

async function writeChunks(
  ctx: StoreContext,
  tx: SqlExecutor,
  modelId: number,
  batch: PredictionBatch,
  order: Int32Array,
  nowMs: number
): Promise<void> {
  const columnRows: SqlScalar[][] = [];
  for (let start = 0; start < order.length; start += ctx.opts.chunkRows) {
    const end = Math.min(order.length, start + ctx.opts.chunkRows);
    let minTs = Number.POSITIVE_INFINITY;
    let maxTs = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      const t = batch.ts[order[i] ?? 0] ?? 0;
      if (t < minTs) minTs = t;
      if (t > maxTs) maxTs = t;
    }
    const inserted = await tx.all<{ id: number }>(
      `INSERT INTO chunks (model_id, version, reference_id, min_ts, max_ts, row_count, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [modelId, batch.version, batch.reference.profile.id, minTs, maxTs, end - start, nowMs]
    );
    const chunkId = Number(inserted[0]?.id);
    for (const c of batch.chunkColumns(order, start, end))
      columnRows.push([chunkId, c.role, c.name, c.encoding, c.data]);
  }
  await tx.insertMany(
    'chunk_columns',
    [
      { name: 'chunk_id', type: 'bigint' },
      { name: 'role', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'encoding', type: 'text' },
      { name: 'data', type: 'blob' },
    ],
    columnRows
  );
}

async function recordSegments(
  ctx: StoreContext,
  tx: SqlExecutor,
  modelId: number,
  segments: Map<string, Set<string>>
): Promise<void> {
  if (segments.size === 0) return;
  const counts = await tx.all<{ field: string; n: number }>(
    'SELECT field, COUNT(*) AS n FROM segment_values WHERE model_id = ? GROUP BY field',
    [modelId]
  );
  const have = new Map(counts.map((c) => [c.field, Number(c.n)]));
  const rows: SqlScalar[][] = [];
  for (const [field, values] of segments) {
    const room = MAX_SEGMENT_VALUES - (have.get(field) ?? 0);
    [...values].slice(0, Math.max(0, room)).forEach((value) => rows.push([modelId, field, value]));
  }
  await tx.insertMany(
    'segment_values',
    [
      { name: 'model_id', type: 'bigint' },
      { name: 'field', type: 'text' },
      { name: 'value', type: 'text' },
    ],
    rows,
    'ON CONFLICT (model_id, field, value) DO NOTHING'
  );
}
