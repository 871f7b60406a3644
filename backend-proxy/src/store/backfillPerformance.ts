import { decodeLabelRow, type LabelRowDb } from './labelRow';
import { PerformanceBatch } from './performanceBatch';
import type { SqlExecutor } from './sql';

/** Labelled rows read per page while back-filling (bounded memory: a page's buckets are flushed before the next). */
const PAGE_ROWS = 20_000;

/**
 * Builds the performance summaries of a store written before they existed, from its `labels` rows, decoded as the
 * reads decode them: every minute and hour bucket (pruning later drops what retention no longer keeps). Runs inside
 * the migration's transaction, so a store is either fully converted or not at all.
 */
export async function backfillPerformanceSummaries(tx: SqlExecutor): Promise<void> {
  const models = await tx.all<{ id: number }>('SELECT id FROM models ORDER BY id');
  for (const { id } of models) {
    const modelId = Number(id);
    let after: [number, string] = [Number.MIN_SAFE_INTEGER, ''];
    for (;;) {
      const rows = await tx.all<LabelRowDb>(
        `SELECT prediction_id, pred_ts, version, prediction, score, segment, label, label_ts FROM labels
         WHERE model_id = ? AND (pred_ts > ? OR (pred_ts = ? AND prediction_id > ?))
         ORDER BY pred_ts, prediction_id LIMIT ?`,
        [modelId, after[0], after[0], after[1], PAGE_ROWS]
      );
      const batch = new PerformanceBatch({ minuteMs: Number.NEGATIVE_INFINITY, hourMs: Number.NEGATIVE_INFINITY });
      for (const r of rows) batch.add({ ...decodeLabelRow(r), version: r.version });
      await batch.flush(tx, modelId);
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE_ROWS) break;
      after = [Number(last.pred_ts), last.prediction_id];
    }
  }
}
