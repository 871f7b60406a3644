import { chunkRecord, loadChunks } from './chunks';
import { PredictionBatch } from './predictionBatch';
import { type FrozenReference, normaliseValue } from './profile';
import { GroupSketches } from './sketchBatch';
import { flushSketches } from './sketchRows';
import type { SqlExecutor } from './sql';
import type { StoreContext, TxCaches } from './storeContext';
import type { PredictionInput } from './validate';

/** Chunks loaded at once while re-sketching (each holds up to `chunkRows` rows with all their columns). */
const CHUNKS_PER_READ = 16;

/**
 * Sketches are counted on one reference's bins, so a reference that replaces another starts with none — a heatmap
 * over the weeks before the replacement would go blank. Inside the transaction that stores the new reference, the
 * raw rows it now answers for (its version's, or for a default reference every version without its own) that are
 * still within the raw retention are counted again on its bins, labels included, exactly as ingestion counts them.
 * Older buckets have no raw rows left and stay on the old reference. Returns the rows re-sketched.
 */
export async function resketchRawRows(
  ctx: StoreContext,
  tx: SqlExecutor,
  modelId: number,
  reference: FrozenReference,
  version: string,
  nowMs: number,
  caches: TxCaches
): Promise<number> {
  const sinceMs = nowMs - ctx.opts.rawRetentionMs;
  // A default reference answers for the versions that have no reference of their own.
  const ownReferences = new Set([...(await ctx.currentReferenceIds(tx, modelId)).keys()].filter((v) => v !== ''));
  const covers = (v: string) => (version === '' ? !ownReferences.has(v) : v === version);
  const chunkRows = await tx.all<{ id: number; version: string }>(
    'SELECT id, version FROM chunks WHERE model_id = ? AND max_ts >= ? ORDER BY min_ts, id',
    [modelId, sinceMs]
  );
  const chunkIds = chunkRows.filter((c) => covers(c.version)).map((c) => Number(c.id));
  const groups = new Map<string, GroupSketches>();
  const cutoffs = ctx.cutoffs(nowMs);
  const groupOf = (v: string) => {
    let group = groups.get(v);
    if (!group) groups.set(v, (group = new GroupSketches(reference.profile.id, v, cutoffs)));
    return group;
  };

  let rows = 0;
  for (let start = 0; start < chunkIds.length; start += CHUNKS_PER_READ) {
    const chunks = await loadChunks(tx, chunkIds.slice(start, start + CHUNKS_PER_READ));
    for (const chunk of chunks.values()) {
      const batch = new PredictionBatch(reference, chunk.version, chunk.rowCount);
      const group = groupOf(chunk.version);
      const keep: number[] = [];
      for (let i = 0; i < chunk.rowCount; i++) {
        const record = chunkRecord(chunk, i);
        if (record.timestampMs < sinceMs) continue;
        const input: PredictionInput = {
          index: i,
          id: record.predictionId,
          ts: record.timestampMs,
          version: chunk.version,
          features: record.features,
          prediction: record.prediction,
          score: record.score,
          segment: record.segment,
          attributions: record.attributions,
        };
        const position = batch.length;
        const problems = batch.tryAdd(input);
        if (!problems) {
          keep.push(position);
          continue;
        }
        // A stored value the new reference reads as another kind is a type error there, as it would be on ingest.
        group.at(record.timestampMs);
        for (const c of problems.typeErrorFeatures) {
          const column = reference.features[c];
          if (column) group.addTypeError(group.columnId(column));
        }
      }
      batch.sketch(group, batch.timeOrder(keep));
      rows += chunk.rowCount;
    }
  }

  if (reference.label) {
    const labels = await tx.all<{ pred_ts: number; version: string; label: string }>(
      'SELECT pred_ts, version, label FROM labels WHERE model_id = ? AND pred_ts >= ?',
      [modelId, sinceMs]
    );
    for (const l of labels) {
      if (!covers(l.version)) continue;
      const value = normaliseValue(reference.label.kind ?? 'categorical', JSON.parse(l.label) as unknown);
      if (typeof value === 'object') continue;
      const group = groupOf(l.version);
      group.at(Number(l.pred_ts));
      group.add(group.columnId(reference.label), value);
    }
  }
  const created = await flushSketches(tx, modelId, [...groups.values()], ctx.seriesIds);
  for (const [k, v] of created) caches.series.set(k, v);
  return rows;
}
