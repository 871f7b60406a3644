/*
 * A row of the `labels` table (a prediction joined with its label, outputs kept as JSON text) as the store returns
 * it. One decoder for the reads, the performance summaries written at label time and their back-fill, so the
 * summaries see exactly the values the row-level metrics see.
 */
import { parseJson } from './storeContext';
import type { LabeledPrediction, StoredValue } from './types';

export interface LabelRowDb {
  prediction_id: string;
  pred_ts: number;
  version: string;
  prediction: string | null;
  score: string | null;
  segment: string | null;
  label: string;
  label_ts: number;
}

function asRecordOfStrings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function asStoredValue(value: unknown): StoredValue | number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (value === null || value === undefined || typeof value === 'object') return null;
  return value as StoredValue;
}

function asScore(value: unknown): number | number[] | null {
  if (Array.isArray(value)) return value.map(Number);
  return typeof value === 'number' ? value : null;
}

export function decodeLabelRow(r: LabelRowDb): LabeledPrediction {
  return {
    predictionId: r.prediction_id,
    timestampMs: Number(r.pred_ts),
    version: r.version === '' ? null : r.version,
    prediction: asStoredValue(parseJson(r.prediction)),
    score: asScore(parseJson(r.score)),
    segment: asRecordOfStrings(parseJson(r.segment)),
    label: (parseJson(r.label) as StoredValue) ?? null,
    labelTimestampMs: Number(r.label_ts),
  };
}
