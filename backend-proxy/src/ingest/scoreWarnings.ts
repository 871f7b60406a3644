import { type IngestResult, MAX_REPORTED_ROW_ERRORS, type RowError } from '@mlsight/contract';
import { isRecord } from '../store/validate';

const outside = (s: unknown) => typeof s === 'number' && (s < 0 || s > 1);

/**
 * Prediction rows whose score lies outside [0, 1]: stored as sent (a regression model's or a decision function's
 * score may be anything, and fixtures send such scores), but said in the answer, since for a classifier it is a bug
 * and the score histogram counts it in a tail.
 */
export function scoreWarnings(rows: readonly unknown[]): RowError[] {
  const warnings: RowError[] = [];
  for (let index = 0; index < rows.length && warnings.length < MAX_REPORTED_ROW_ERRORS; index++) {
    const row = rows[index];
    if (!isRecord(row)) continue;
    const score = row.score;
    if (outside(score) || (Array.isArray(score) && score.some(outside))) {
      const shown = JSON.stringify(score) ?? String(score);
      warnings.push({
        index,
        reason: `score: ${shown.length > 40 ? `${shown.slice(0, 39)}…` : shown} is outside [0, 1]; stored as sent`,
      });
    }
  }
  return warnings;
}

/** The result with the warnings of the rows it kept (a refused row's warning would only repeat its error). */
export function withWarnings<R extends IngestResult>(result: R, warnings: readonly RowError[]): R {
  if (warnings.length === 0) return result;
  const refused = new Set(result.errors.map((e) => e.index));
  const kept = warnings.filter((w) => !refused.has(w.index));
  return kept.length === 0 ? result : { ...result, warnings: kept };
}
