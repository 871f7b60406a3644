import type { DriftStore, PredictionRecord, StoredValue } from '../../store';
import { SHADOW_LABEL_SLACK_MS } from '../performance/performanceData';

/**
 * The labels of some prediction rows (in time order), by prediction id. The store links a label to the newest
 * prediction with that id, so the label rows are read over the rows' own time span — stretched by the shadow
 * slack when the rows are one version's, whose labels may sit on a challenger's later row with the same id.
 */
export async function labelsById(
  store: DriftStore,
  query: { model: string; version: string | undefined },
  rows: readonly PredictionRecord[]
): Promise<Map<string, StoredValue>> {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const out = new Map<string, StoredValue>();
  if (!first || !last) return out;
  const slack = query.version !== undefined ? SHADOW_LABEL_SLACK_MS : 0;
  const labelled = await store.getLabeledPredictions({
    model: query.model,
    fromMs: first.timestampMs,
    toMs: last.timestampMs + 1 + slack,
  });
  const wanted = new Set(rows.map((r) => r.predictionId));
  for (const row of labelled) if (wanted.has(row.predictionId)) out.set(row.predictionId, row.label);
  return out;
}
