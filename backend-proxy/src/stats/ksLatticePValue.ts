import { KS_EXACT_MAX_N, ksPValue } from './ks';
import { gcd, roundHalfEven } from './ksExact';

/** Entries kept per cache before it is emptied: a bound on memory, far above what one query's cells use. */
const CACHE_LIMIT = 200_000;

/** p-values of the exact KS test by (n₁, n₂) and lattice statistic h: the same numbers, computed once. */
const cache = new Map<number, Map<number, number>>();
let entries = 0;

/**
 * {@link ksPValue} (method `auto`) for observed statistic d, memoised where it is exact: there the p-value depends on
 * (n₁, n₂) and the lattice statistic h = round(d · lcm(n₁, n₂)) only, and the statistic reported is h / lcm — the
 * lattice-path count, O(n₁·n₂), is the cost of KS on small bucket sketches, and a heatmap's or fleet's cells
 * repeat the same (n₁, n₂, h) many times. Outside the exact range it is `ksPValue` itself.
 *
 * @param n1 first sample size (positive integer)
 * @param n2 second sample size (positive integer)
 * @param d observed statistic in [0, 1]
 * @param out receives `[statistic, pValue]` (no result object per call)
 * @example ksLatticePValue(3, 3, 1, out) // out = [1, 0.1]
 */
export function ksLatticePValue(n1: number, n2: number, d: number, out: Float64Array): void {
  const g = Math.max(n1, n2) <= KS_EXACT_MAX_N ? gcd(n1, n2) : 0;
  // ksPValue's own conditions for the exact path; otherwise it decides (asymptotic p-value of d itself).
  if (g === 0 || n1 / g >= 2147483647 / (n2 / g) || !Number.isInteger(n1) || !Number.isInteger(n2)) {
    const r = ksPValue(n1, n2, d);
    out[0] = r.statistic;
    out[1] = r.pValue;
    return;
  }
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const sizes = n1 * (KS_EXACT_MAX_N + 1) + n2;
  let byH = cache.get(sizes);
  let p = byH?.get(h);
  if (p === undefined) {
    const r = ksPValue(n1, n2, d);
    p = r.pValue;
    if (entries >= CACHE_LIMIT) {
      cache.clear();
      entries = 0;
      byH = undefined;
    }
    if (!byH) {
      byH = new Map();
      cache.set(sizes, byH);
    }
    byH.set(h, p);
    entries++;
  }
  out[0] = h / lcm;
  out[1] = p;
}
