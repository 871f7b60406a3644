import { InsufficientDataError } from './errors';
import { assertCounts, assertNonEmpty, assertSameLength, total } from './validate';

/**
 * Hellinger distance √(1 − BC) with the Bhattacharyya coefficient BC = Σ √(pᵢ qᵢ) (= ‖√p − √q‖₂ / √2), in
 * [0, 1]; inputs are normalised to sum 1. BC is clipped to [0, 1] against rounding, as Evidently does.
 *
 * Reference: Hellinger, E. (1909) J. reine angew. Math. 136; Evidently `hellinger` stattest.
 *
 * @param p counts or proportions per cell
 * @param q counts or proportions per cell (same cells)
 * @returns the distance in [0, 1]
 * @throws InsufficientDataError when a side sums to 0; InvalidInputError on negative values or lengths
 * @example hellingerDistance([1, 0], [0, 1]) // 1
 */
export function hellingerDistance(p: ReadonlyArray<number>, q: ReadonlyArray<number>): number {
  const fn = 'hellingerDistance';
  assertNonEmpty(fn, 'p', p);
  assertSameLength(fn, ['p', 'q'], p, q);
  assertCounts(fn, 'p', p);
  assertCounts(fn, 'q', q);
  const sp = total(p);
  const sq = total(q);
  if (sp === 0 || sq === 0) throw new InsufficientDataError(fn, 'a distribution sums to 0');
  let bc = 0;
  for (let i = 0; i < p.length; i++) bc += Math.sqrt(((p[i] ?? 0) / sp) * ((q[i] ?? 0) / sq));
  return Math.sqrt(1 - Math.min(1, Math.max(0, bc)));
}
