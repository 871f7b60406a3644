import { InsufficientDataError } from './errors';
import { assertCounts, assertNonEmpty, total } from './validate';

/**
 * Counts divided by their total (or by `n` when given, e.g. a sample size that includes tails).
 * @param counts non-negative counts
 * @param n divisor, default the sum of counts
 * @returns proportions in the same order
 * @throws InsufficientDataError when the divisor is 0; InvalidInputError on a negative or non-finite count
 * @example proportions([1, 3]) // [0.25, 0.75]
 */
export function proportions(counts: ReadonlyArray<number>, n?: number): number[] {
  const fn = 'proportions';
  assertNonEmpty(fn, 'counts', counts);
  assertCounts(fn, 'counts', counts);
  const divisor = n ?? total(counts);
  if (!(divisor > 0)) throw new InsufficientDataError(fn, 'total count is 0');
  return counts.map((c) => c / divisor);
}

/** The proportion that replaces empty cells before PSI when no cell is at or below it (Evidently's default). */
export const PSI_EPSILON = 1e-4;

/**
 * Replaces zero proportions so PSI's logarithm stays finite, exactly as Evidently's `get_binned_data`
 * (`feel_zeroes=True`): zeros become 1e-4, or the smallest non-zero proportion / 10⁶ when that is ≤ 1e-4.
 *
 * Reference: evidently/legacy/calculations/stattests/utils.py `get_binned_data`.
 *
 * @param p proportions (at least one non-zero)
 * @returns a copy with zeros replaced
 * @throws InsufficientDataError when every proportion is 0
 * @example fillEmptyProportions([0, 0.5, 0.5]) // [0.0001, 0.5, 0.5]
 */
export function fillEmptyProportions(p: ReadonlyArray<number>): number[] {
  const fn = 'fillEmptyProportions';
  assertCounts(fn, 'proportions', p);
  let minNonZero = Infinity;
  for (const v of p) if (v !== 0 && v < minNonZero) minNonZero = v;
  if (minNonZero === Infinity) throw new InsufficientDataError(fn, 'every proportion is 0');
  const fill = minNonZero <= PSI_EPSILON ? minNonZero / 10 ** 6 : PSI_EPSILON;
  return p.map((v) => (v === 0 ? fill : v));
}
