import type { RowError } from '@mlsight/contract';
import { columnKey, loadChunks } from './chunks';
import { MISSING, normaliseValue } from './profile';
import { decodeLabelRow } from './labelRow';
import { PerformanceBatch } from './performanceBatch';
import { GroupSketches } from './sketchBatch';
import { flushSketches } from './sketchRows';
import type { SqlScalar } from './sql';
import { finish, parseJson, type StoreContext, TxCaches } from './storeContext';
import type { IngestOptions, IngestOutcome } from './types';
import { checkLabelRow, isRowError, type LabelInput } from './validate';

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `POST …/labels`: joins each label to its stored prediction (by id, newest row first), stores the joined row and
 * updates the label sketch and the performance summaries of the prediction's bucket; a changed label replaces the
 * old one in all of them.
 */
export async function ingestLabels(
  ctx: StoreContext,
  model: string,
  rows: readonly unknown[],
  opts: IngestOptions = {}
): Promise<IngestOutcome> {
  const nowMs = opts.nowMs ?? Date.now();
  const errors: RowError[] = [];
  const inputs: LabelInput[] = [];
  for (let i = 0; i < rows.length; i++) {
    const checked = checkLabelRow(rows[i], i, nowMs);
    if (isRowError(checked)) errors.push(checked);
    else inputs.push(checked);
  }
  const modelId = await ctx.modelIdFor(model);
  if (modelId === undefined) {
    for (const input of inputs) errors.push({ index: input.index, reason: `unknown model "${model}"` });
    return { result: finish(errors, 0, 0), replayed: false, refused: Boolean(opts.atomic && errors.length > 0) };
  }
  const caches = new TxCaches();
  const outcome = await ctx.db.transaction(
    async (tx) => {
      const replayed = await ctx.replay(tx, modelId, 'labels', opts);
      if (replayed) return replayed;
      const located = await ctx.locatePredictions(
        tx,
        modelId,
        inputs.map((i) => i.id)
      );
      const chunkIds = [...new Set([...located.values()].map((l) => l.chunkId))];
      const chunks = await loadChunks(tx, chunkIds, [
        { role: 'meta', name: 'ts' },
        { role: 'prediction', name: 'prediction' },
        { role: 'score', name: 'score' },
        { role: 'segment', name: '*' },
      ]);
      const pairs = [...located].map(([id, where]) => [where.ts, id] as const);
      const table = tx.pairTable('wanted', pairs);
      // CROSS JOIN: SQLite then keeps the batch's ids as the outer loop and probes the primary key per id; with a
      // plain JOIN it scanned every stored label of the model for each id (minutes once a model had 100k labels).
      const existing = await tx.all<{ prediction_id: string; label: string }>(
        `SELECT l.prediction_id, l.label FROM ${table.sql}
         CROSS JOIN labels l WHERE l.model_id = ? AND l.pred_ts = wanted.ts AND l.prediction_id = wanted.id`,
        [...table.params, modelId]
      );
      const current = new Map(existing.map((e) => [e.prediction_id, parseJson(e.label)]));

      const cutoffs = ctx.cutoffs(nowMs);
      const sketches = new Map<string, GroupSketches>();
      const summaries = new PerformanceBatch(cutoffs);
      const writes = new Map<string, SqlScalar[]>();
      let accepted = 0;
      let duplicates = 0;
      for (const input of inputs) {
        const where = located.get(input.id);
        const chunk = where ? chunks.get(where.chunkId) : undefined;
        if (!where || !chunk) {
          errors.push({
            index: input.index,
            reason: `unknown prediction_id "${input.id}" (never stored, or expired)`,
          });
          continue;
        }
        const reference = await ctx.loadReference(tx, model, chunk.referenceId);
        let normalised: number | string | typeof MISSING = MISSING;
        if (reference?.label?.kind) {
          const v = normaliseValue(reference.label.kind, input.label);
          if (typeof v === 'object') {
            errors.push({ index: input.index, reason: `label: ${v.error}` });
            continue;
          }
          normalised = v;
        }
        const previous = current.get(input.id);
        if (previous !== undefined && sameValue(previous, input.label)) {
          duplicates++;
          continue;
        }
        accepted++;
        const predTs = Number(chunk.columns.get(columnKey('meta', 'ts'))?.get(where.offset) ?? 0);
        if (reference?.label) {
          const key = `${reference.profile.id}\u0000${chunk.version}`;
          let group = sketches.get(key);
          if (!group) sketches.set(key, (group = new GroupSketches(reference.profile.id, chunk.version, cutoffs)));
          const columnId = group.columnId(reference.label);
          group.at(predTs);
          if (previous !== undefined) {
            const old = normaliseValue(reference.label.kind ?? 'categorical', previous);
            if (typeof old !== 'object') group.add(columnId, old, -1);
          }
          group.add(columnId, normalised);
        }
        current.set(input.id, input.label);
        const segment: Record<string, string> = {};
        for (const [key, reader] of chunk.columns) {
          const [role, field = ''] = key.split('\u0000');
          const value = role === 'segment' ? reader.get(where.offset) : null;
          if (typeof value === 'string') segment[field] = value;
        }
        const prediction = chunk.columns.get(columnKey('prediction', 'prediction'))?.get(where.offset) ?? null;
        const score = chunk.columns.get(columnKey('score', 'score'))?.get(where.offset) ?? null;
        const stored = {
          prediction_id: input.id,
          pred_ts: predTs,
          version: chunk.version,
          prediction: JSON.stringify(prediction),
          score: JSON.stringify(score),
          segment: JSON.stringify(segment),
          label: JSON.stringify(input.label),
          label_ts: input.ts,
        };
        // The summaries see the row as a later read of the labels table would decode it.
        const joined = decodeLabelRow(stored);
        if (previous !== undefined) {
          summaries.add(
            { ...decodeLabelRow({ ...stored, label: JSON.stringify(previous) }), version: chunk.version },
            -1
          );
        }
        summaries.add({ ...joined, version: chunk.version });
        writes.set(input.id, [
          modelId,
          input.id,
          stored.label,
          input.ts,
          predTs,
          chunk.version,
          chunk.referenceId,
          stored.prediction,
          stored.score,
          stored.segment,
          nowMs,
        ]);
      }
      if (opts.atomic && errors.length > 0) return { result: finish(errors, 0, 0), replayed: false, refused: true };
      await tx.insertMany(
        'labels',
        [
          { name: 'model_id', type: 'bigint' },
          { name: 'prediction_id', type: 'text' },
          { name: 'label', type: 'text' },
          { name: 'label_ts', type: 'bigint' },
          { name: 'pred_ts', type: 'bigint' },
          { name: 'version', type: 'text' },
          { name: 'reference_id', type: 'bigint' },
          { name: 'prediction', type: 'text' },
          { name: 'score', type: 'text' },
          { name: 'segment', type: 'text' },
          { name: 'received_at', type: 'bigint' },
        ],
        [...writes.values()],
        `ON CONFLICT (model_id, pred_ts, prediction_id) DO UPDATE SET label = excluded.label, label_ts = excluded.label_ts,
           received_at = excluded.received_at`
      );
      await summaries.flush(tx, modelId);
      const created = await flushSketches(tx, modelId, [...sketches.values()], ctx.seriesIds);
      for (const [k, v] of created) caches.series.set(k, v);
      if (accepted > 0)
        await tx.run('UPDATE models SET last_ingest_at = ?, data_generation = data_generation + 1 WHERE id = ?', [
          nowMs,
          modelId,
        ]);
      const result = finish(errors, accepted, duplicates);
      await ctx.remember(tx, modelId, 'labels', opts, result, nowMs);
      return { result, replayed: false, refused: false };
    },
    [modelId]
  );
  ctx.publish(caches);
  return outcome;
}
