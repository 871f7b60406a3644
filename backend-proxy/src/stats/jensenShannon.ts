import { InsufficientDataError } from './errors';
import { assertCounts, assertNonEmpty, assertSameLength, total } from './validate';

/**
 * Jensen-Shannon distance √(JSD) between two discrete distributions, as
 * `scipy.spatial.distance.jensenshannon(p, q, base)`: both are normalised to sum 1, JSD = ½ KL(p‖m) + ½ KL(q‖m)
 * with m = (p + q)/2, logarithm in `base`. In base 2 it lies in [0, 1]. Empty cells are fine.
 *
 * Reference: Endres, D.M. & Schindelin, J.E. (2003) "A new metric for probability distributions", IEEE Trans.
 * Inf. Theory 49(7); scipy.spatial.distance.jensenshannon.
 *
 * @param p counts or proportions per cell
 * @param q counts or proportions per cell (same cells)
 * @param base logarithm base (default 2; Math.E for nats, Evidently's default)
 * @returns the distance ≥ 0
 * @throws InsufficientDataError when a side sums to 0; InvalidInputError on negative values or lengths
 * @example jensenShannonDistance([1, 0], [0, 1]) // 1
 */
export function jensenShannonDistance(p: ReadonlyArray<number>, q: ReadonlyArray<number>, base = 2): number {
  const fn = 'jensenShannonDistance';
  assertNonEmpty(fn, 'p', p);
  assertSameLength(fn, ['p', 'q'], p, q);
  assertCounts(fn, 'p', p);
  assertCounts(fn, 'q', q);
  const sp = total(p);
  const sq = total(q);
  if (sp === 0 || sq === 0) throw new InsufficientDataError(fn, 'a distribution sums to 0');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (p[i] ?? 0) / sp;
    const b = (q[i] ?? 0) / sq;
    const m = (a + b) / 2;
    if (a > 0) left += a * Math.log(a / m);
    if (b > 0) right += b * Math.log(b / m);
  }
  let js = left + right;
  if (base !== Math.E) js /= Math.log(base);
  // rounding can leave −1e−17 for identical inputs; the distance is 0 there, not NaN
  return Math.sqrt(Math.max(js / 2, 0));
}
