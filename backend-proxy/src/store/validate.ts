import { MAX_INGEST_TIMESTAMP_MS, MIN_INGEST_TIMESTAMP_MS, type RowError } from '@mlsight/contract';

/**
 * Per-row checks of ingested rows, written by hand rather than with zod: they run once per row at 100k+ rows/s,
 * where a zod parse alone costs more than the whole write. `validate.test.ts` checks that they agree with the
 * contract's row schemas on what is structurally valid. Checks that need the reference (feature kinds) live in
 * the store's ingestion code.
 */

/** A line of an NDJSON body that was not valid JSON; the plugin passes it through so it is reported by index. */
export class InvalidRow {
  constructor(readonly reason: string) {}
}

const MAX_ID_LENGTH = 256;

export type Scalar = number | string | boolean;

export interface PredictionInput {
  index: number;
  id: string;
  ts: number;
  /** '' when the row names no version. */
  version: string;
  features: Record<string, unknown>;
  prediction: unknown;
  score: number | number[] | null;
  segment: Record<string, string> | null;
  attributions: Record<string, number> | null;
}

export interface LabelInput {
  index: number;
  id: string;
  label: Scalar;
  ts: number;
}

export interface ReferenceRowInput {
  index: number;
  features: Record<string, unknown>;
  prediction: unknown;
  label: unknown;
}

/** A plain JSON object (not an array, null or an unparsable NDJSON line). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof InvalidRow);
}

/** A value's JSON type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const RANGE_TEXT = `${new Date(MIN_INGEST_TIMESTAMP_MS).toISOString()} … ${new Date(MAX_INGEST_TIMESTAMP_MS).toISOString()}`;

/** The error text of an epoch-ms time outside the accepted range (0 or 9999-12-31 is a client bug, not a time). */
function outOfRange(ms: number): string | undefined {
  if (ms >= MIN_INGEST_TIMESTAMP_MS && ms < MAX_INGEST_TIMESTAMP_MS) return undefined;
  const shown = Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
  return `timestamp: ${shown} is outside the accepted range ${RANGE_TEXT}`;
}

/** True when year-month-day name a day of the calendar (`2026-02-30` does not; Date.parse rolls it to March). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Epoch milliseconds (number or digits) or an ISO-8601 date/time, from 2000-01-01 to before 2100-01-01 (UTC). A
 * date-time without a zone is refused: it would be read in the proxy's local time zone; an impossible day
 * (`2026-02-30`) is refused rather than rolled over.
 * @returns epoch ms, or an error text
 */
export function parseTimestamp(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'timestamp: not a valid epoch-ms number';
    return outOfRange(value) ?? Math.floor(value);
  }
  if (typeof value !== 'string') return `timestamp: expected epoch ms or an ISO-8601 string, got ${describe(value)}`;
  if (/^\d+$/.test(value)) {
    const ms = Number(value);
    return outOfRange(ms) ?? ms;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  if (!iso) return `timestamp: "${value.slice(0, 40)}" is not ISO-8601 or epoch ms`;
  if (iso[4] !== undefined && iso[5] === undefined) return 'timestamp: add a time zone (Z or +hh:mm)';
  const ms = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(ms) || !isCalendarDay(Number(iso[1]), Number(iso[2]), Number(iso[3]))) {
    return `timestamp: "${value.slice(0, 40)}" is not a valid date`;
  }
  return outOfRange(ms) ?? ms;
}

function parseId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

function parseVersion(value: unknown): string | undefined | false {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.length > 0 && value.length <= 64) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return false;
}

/** A value a feature may hold at all (before its kind is known): number, string, boolean or null. */
export function isFeatureValue(value: unknown): boolean {
  const t = typeof value;
  return value === null || t === 'number' || t === 'string' || t === 'boolean';
}

function checkFeatures(value: unknown): Record<string, unknown> | string {
  if (!isRecord(value)) return `features: expected an object, got ${describe(value)}`;
  for (const name in value) {
    if (name.length === 0 || name.length > 256) return 'features: names must have 1 to 256 characters';
    if (!isFeatureValue(value[name])) {
      return `features.${name}: expected a number, string, boolean or null, got ${describe(value[name])}`;
    }
  }
  return value;
}

function checkTarget(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const t = typeof value;
  if (t === 'number' || t === 'string' || t === 'boolean') return undefined;
  return `${field}: expected a number, string or boolean, got ${describe(value)}`;
}

/** Structural checks of one prediction row. */
export function checkPredictionRow(row: unknown, index: number): PredictionInput | RowError {
  if (row instanceof InvalidRow) return { index, reason: row.reason };
  if (!isRecord(row)) return { index, reason: `expected an object, got ${describe(row)}` };
  if (row.prediction_id === undefined || row.prediction_id === null || row.prediction_id === '') {
    return { index, reason: 'missing prediction_id' };
  }
  const id = parseId(row.prediction_id);
  if (id === undefined) return { index, reason: 'prediction_id: expected a string of 1 to 256 characters' };
  if (row.timestamp === undefined || row.timestamp === null) return { index, reason: 'missing timestamp' };
  const ts = parseTimestamp(row.timestamp);
  if (typeof ts === 'string') return { index, reason: ts };
  const version = parseVersion(row.version);
  if (version === false) return { index, reason: 'version: expected a string such as "3"' };
  if (row.features === undefined) return { index, reason: 'missing features' };
  // Feature values are checked where they are written (PredictionBatch.tryAdd): by kind when the reference
  // profiles the feature, as number/string/boolean/null otherwise. One pass over the values, not two.
  const features = row.features;
  if (!isRecord(features)) return { index, reason: `features: expected an object, got ${describe(features)}` };
  const targetError = checkTarget('prediction', row.prediction);
  if (targetError) return { index, reason: targetError };

  let score: number | number[] | null = null;
  if (row.score !== undefined && row.score !== null) {
    if (typeof row.score === 'number' && Number.isFinite(row.score)) score = row.score;
    else if (Array.isArray(row.score) && row.score.every((s) => typeof s === 'number' && Number.isFinite(s))) {
      score = row.score as number[];
    } else return { index, reason: 'score: expected a finite number or an array of finite numbers' };
  }

  let segment: Record<string, string> | null = null;
  if (row.segment !== undefined && row.segment !== null) {
    if (!isRecord(row.segment)) return { index, reason: `segment: expected an object, got ${describe(row.segment)}` };
    segment = {};
    for (const field in row.segment) {
      const v = row.segment[field];
      if (v === null || v === undefined) continue;
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        return { index, reason: `segment.${field}: expected a string, number or boolean` };
      }
      if (field.length === 0 || field.length > 256)
        return { index, reason: 'segment: names must have 1 to 256 characters' };
      segment[field] = String(v);
    }
  }

  let attributions: Record<string, number> | null = null;
  if (row.attributions !== undefined && row.attributions !== null) {
    if (!isRecord(row.attributions)) return { index, reason: 'attributions: expected an object of numbers' };
    for (const name in row.attributions) {
      const v = row.attributions[name];
      if (typeof v !== 'number' || !Number.isFinite(v))
        return { index, reason: `attributions.${name}: expected a finite number` };
    }
    attributions = row.attributions as Record<string, number>;
  }

  return { index, id, ts, version: version ?? '', features, prediction: row.prediction, score, segment, attributions };
}

/** Structural checks of one label row; `nowMs` stands in for a missing label timestamp. */
export function checkLabelRow(row: unknown, index: number, nowMs: number): LabelInput | RowError {
  if (row instanceof InvalidRow) return { index, reason: row.reason };
  if (!isRecord(row)) return { index, reason: `expected an object, got ${describe(row)}` };
  if (row.prediction_id === undefined || row.prediction_id === null || row.prediction_id === '') {
    return { index, reason: 'missing prediction_id' };
  }
  const id = parseId(row.prediction_id);
  if (id === undefined) return { index, reason: 'prediction_id: expected a string of 1 to 256 characters' };
  if (row.label === undefined || row.label === null) return { index, reason: 'missing label' };
  const labelError = checkTarget('label', row.label);
  if (labelError) return { index, reason: labelError };
  if (typeof row.label === 'number' && !Number.isFinite(row.label))
    return { index, reason: 'label: not a finite number' };
  let ts = nowMs;
  if (row.timestamp !== undefined && row.timestamp !== null) {
    const parsed = parseTimestamp(row.timestamp);
    if (typeof parsed === 'string') return { index, reason: parsed };
    ts = parsed;
  }
  return { index, id, label: row.label as Scalar, ts };
}

/** Structural checks of one reference row. */
export function checkReferenceRow(row: unknown, index: number): ReferenceRowInput | RowError {
  if (row instanceof InvalidRow) return { index, reason: row.reason };
  if (!isRecord(row)) return { index, reason: `expected an object, got ${describe(row)}` };
  if (row.features === undefined) return { index, reason: 'missing features' };
  const features = checkFeatures(row.features);
  if (typeof features === 'string') return { index, reason: features };
  const predictionError = checkTarget('prediction', row.prediction);
  if (predictionError) return { index, reason: predictionError };
  const labelError = checkTarget('label', row.label);
  if (labelError) return { index, reason: labelError };
  return { index, features, prediction: row.prediction, label: row.label };
}

/** Distinguishes a check's error from its parsed row. */
export function isRowError(value: object): value is RowError {
  return 'reason' in value;
}
