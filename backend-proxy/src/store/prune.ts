import { HOUR_MS, MINUTE_MS } from './buckets';
import type { StoreContext } from './storeContext';
import type { PruneResult } from './types';

/**
 * Deletes raw chunks and labels past the raw retention (per model, under its writer lock), minute and hour
 * sketches and performance summaries past theirs, and old idempotency keys. Day sketches are kept.
 */
export async function prune(ctx: StoreContext, nowMs = Date.now()): Promise<PruneResult> {
  const result: PruneResult = { chunks: 0, labels: 0, sketches: 0, performanceSummaries: 0, idempotencyKeys: 0 };
  const rawCutoff = nowMs - ctx.opts.rawRetentionMs;
  const models = await ctx.db.read((tx) => tx.all<{ id: number }>('SELECT id FROM models'));
  for (const { id } of models) {
    const modelId = Number(id);
    // Under the model's writer lock, so an ingest's duplicate check never races a chunk being deleted.
    for (;;) {
      const deleted = await ctx.db.transaction(
        async (tx) => {
          const expired = await tx.all<{ id: number }>(
            'SELECT id FROM chunks WHERE model_id = ? AND max_ts < ? ORDER BY id LIMIT 500',
            [modelId, rawCutoff]
          );
          if (expired.length === 0) return 0;
          const ids = expired.map((e) => Number(e.id));
          const columns = tx.inList('chunk_id', ids, 'bigint');
          await tx.run(`DELETE FROM chunk_columns WHERE ${columns.sql}`, [columns.param]);
          const list = tx.inList('id', ids, 'bigint');
          await tx.run(`DELETE FROM chunks WHERE ${list.sql}`, [list.param]);
          ctx.ids.forget(ids);
          return ids.length;
        },
        [modelId]
      );
      result.chunks += deleted;
      if (deleted === 0) break;
    }
    result.labels += await ctx.db.transaction(
      (tx) => tx.run('DELETE FROM labels WHERE model_id = ? AND pred_ts < ?', [modelId, rawCutoff]),
      [modelId]
    );
  }
  result.sketches += await ctx.db.transaction(async (tx) => {
    const minutes = await tx.run('DELETE FROM sketches WHERE granularity = ? AND bucket_ms < ?', [
      MINUTE_MS,
      nowMs - ctx.opts.minuteRetentionMs,
    ]);
    const hours = await tx.run('DELETE FROM sketches WHERE granularity = ? AND bucket_ms < ?', [
      HOUR_MS,
      nowMs - ctx.opts.hourRetentionMs,
    ]);
    return minutes + hours;
  });
  result.performanceSummaries = await ctx.db.transaction(async (tx) => {
    const minutes = await tx.run('DELETE FROM performance_summaries WHERE granularity = ? AND bucket_ms < ?', [
      MINUTE_MS,
      nowMs - ctx.opts.minuteRetentionMs,
    ]);
    const hours = await tx.run('DELETE FROM performance_summaries WHERE granularity = ? AND bucket_ms < ?', [
      HOUR_MS,
      nowMs - ctx.opts.hourRetentionMs,
    ]);
    return minutes + hours;
  });
  result.idempotencyKeys = await ctx.db.transaction((tx) =>
    tx.run('DELETE FROM idempotency_keys WHERE created_at < ?', [nowMs - ctx.opts.idempotencyRetentionMs])
  );
  return result;
}
