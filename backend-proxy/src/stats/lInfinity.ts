import { InsufficientDataError } from './errors';
import { assertCounts, assertNonEmpty, assertSameLength, total } from './validate';

/**
 * L-infinity (Chebyshev) distance max |pᵢ − qᵢ| between two distributions normalised to sum 1: the largest
 * change of any single category's (or bin's) share, in [0, 1].
 *
 * Reference: TensorFlow Data Validation, "L-infinity distance" drift comparator for categorical features.
 *
 * @param p counts or proportions per cell
 * @param q counts or proportions per cell (same cells)
 * @returns the distance in [0, 1]
 * @throws InsufficientDataError when a side sums to 0; InvalidInputError on negative values or lengths
 * @example lInfinityDistance([3, 1], [1, 1]) // 0.25
 */
export function lInfinityDistance(p: ReadonlyArray<number>, q: ReadonlyArray<number>): number {
  const fn = 'lInfinityDistance';
  assertNonEmpty(fn, 'p', p);
  assertSameLength(fn, ['p', 'q'], p, q);
  assertCounts(fn, 'p', p);
  assertCounts(fn, 'q', q);
  const sp = total(p);
  const sq = total(q);
  if (sp === 0 || sq === 0) throw new InsufficientDataError(fn, 'a distribution sums to 0');
  let d = 0;
  for (let i = 0; i < p.length; i++) d = Math.max(d, Math.abs((p[i] ?? 0) / sp - (q[i] ?? 0) / sq));
  return d;
}
