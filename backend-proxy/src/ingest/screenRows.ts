import type { Limits } from '../config/config';
import { StoreRequestError } from '../store/profile';
import { InvalidRow, isRecord } from '../store/validate';

/** The limits the ingestion API holds every batch to (see `Limits`). */
export type IngestLimits = Pick<Limits, 'maxFeatures' | 'maxStringLength' | 'maxBatchRows'>;

/** Fields of a row that hold name → value maps. */
const MAPS = new Set(['features', 'segment', 'attributions']);

/** The first problem of one string (a value or a name), or undefined. */
function stringProblem(text: string, limits: IngestLimits): string | undefined {
  if (text.length > limits.maxStringLength) {
    return `has ${text.length} characters, more than the limit of ${limits.maxStringLength} (MLSIGHT_MAX_STRING_LENGTH)`;
  }
  // PostgreSQL's text cannot hold U+0000; refusing it on both engines keeps them alike.
  if (text.includes('\u0000')) return 'contains the NUL character (U+0000), which the store does not keep';
  return undefined;
}

/** A row's problem; `tooManyFeatures` when it is MLSIGHT_MAX_FEATURES that the row breaks. */
interface RowProblem {
  reason: string;
  tooManyFeatures?: true;
}

/**
 * The first problem of one row, as a reason naming the field. `names` collects the batch's distinct feature names;
 * a row that would take them past the limit is refused (the rows before it are kept).
 */
function rowProblem(row: Record<string, unknown>, limits: IngestLimits, names: Set<string>): RowProblem | undefined {
  const problem = findProblem(row, limits, names);
  return typeof problem === 'string' ? { reason: problem } : problem;
}

function findProblem(
  row: Record<string, unknown>,
  limits: IngestLimits,
  names: Set<string>
): RowProblem | string | undefined {
  for (const field in row) {
    const value = row[field];
    if (typeof value === 'string') {
      const problem = stringProblem(value, limits);
      if (problem) return `${field}: ${problem}`;
      continue;
    }
    if (!MAPS.has(field) || !isRecord(value)) continue;
    const isFeatures = field === 'features';
    // Names this row adds to the batch's distinct features; none in the usual batch, so nothing is allocated.
    let added: string[] | undefined;
    let count = 0;
    for (const name in value) {
      if (++count > limits.maxFeatures) {
        const reason = `${field}: more than the limit of ${limits.maxFeatures} names per row (MLSIGHT_MAX_FEATURES)`;
        return isFeatures ? { reason, tooManyFeatures: true } : reason;
      }
      if (name.includes('\u0000')) return `${field}: a name contains the NUL character (U+0000)`;
      const inner = value[name];
      if (typeof inner === 'string') {
        const problem = stringProblem(inner, limits);
        if (problem) return `${field}.${name}: ${problem}`;
      }
      if (isFeatures && !names.has(name)) (added ??= []).push(name);
    }
    if (added === undefined) continue;
    if (names.size + added.length > limits.maxFeatures) {
      const reason =
        `features: the batch would have ${names.size + added.length} distinct features, more than the limit of ` +
        `${limits.maxFeatures} (MLSIGHT_MAX_FEATURES)`;
      return { reason, tooManyFeatures: true };
    }
    for (const name of added) names.add(name);
  }
  return undefined;
}

/**
 * Holds an ingestion batch to the limits before the store sees it, in one pass that stops early: a batch with too
 * many rows, or a reference with too many distinct features, is refused whole (413 naming the setting and the
 * value); a row with too many features, an overlong string or a NUL character becomes an `InvalidRow`, so it is
 * reported by index with the reason and the good rows are kept.
 * @throws StoreRequestError (413) for a batch over `maxBatchRows`, or a reference over `maxFeatures`
 */
export function screenRows(rows: unknown[], kind: 'reference' | 'batch', limits: IngestLimits): unknown[] {
  if (rows.length > limits.maxBatchRows) {
    throw new StoreRequestError(
      413,
      `the batch has ${rows.length} rows, more than the limit of ${limits.maxBatchRows} (MLSIGHT_MAX_BATCH_ROWS); ` +
        'send smaller batches'
    );
  }
  const names = new Set<string>();
  const out = rows.slice();
  for (let i = 0; i < out.length; i++) {
    const row = out[i];
    if (!isRecord(row)) continue;
    const problem = rowProblem(row, limits, names);
    if (problem === undefined) continue;
    if (kind === 'reference' && problem.tooManyFeatures) {
      // A reference profiles every feature it has: keeping the rows under the limit would freeze another model.
      throw new StoreRequestError(
        413,
        `the reference has more than ${limits.maxFeatures} distinct features, the limit (MLSIGHT_MAX_FEATURES); ` +
          'leave features out or raise the limit'
      );
    }
    out[i] = new InvalidRow(problem.reason);
  }
  return out;
}
