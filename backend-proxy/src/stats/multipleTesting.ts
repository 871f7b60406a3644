import { InvalidInputError } from './errors';

/**
 * Benjamini–Hochberg adjusted p-values (q-values) controlling the false discovery rate across m tests:
 * sort ascending, p₍ᵢ₎ · m / i, running minimum from the largest down, clipped to 1, returned in input order.
 * Rejecting where the adjusted p-value is below α controls the FDR at α for independent or positively
 * dependent tests. Matches `scipy.stats.false_discovery_control(ps, method='bh')` and statsmodels `fdr_bh`.
 *
 * Reference: Benjamini, Y. & Hochberg, Y. (1995) "Controlling the false discovery rate", JRSS B 57(1).
 *
 * @param pValues p-values in [0, 1]
 * @returns adjusted p-values, same order (an empty or single input is returned as is)
 * @throws InvalidInputError on a value outside [0, 1] or NaN
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pValues: ReadonlyArray<number>): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) {
      throw new InvalidInputError('benjaminiHochberg', `pValues[${i}] must be in [0, 1], got ${p}`);
    }
  });
  const m = pValues.length;
  if (m <= 1) return pValues.slice();
  // stable ascending order, ties keep input order (as numpy's argsort on equal keys in practice)
  const order = pValues.map((_, i) => i).sort((a, b) => (pValues[a] ?? 0) - (pValues[b] ?? 0) || a - b);
  const adjusted = order.map((idx, rank) => (pValues[idx] ?? 0) * (m / (rank + 1)));
  for (let k = m - 2; k >= 0; k--) adjusted[k] = Math.min(adjusted[k] ?? 1, adjusted[k + 1] ?? 1);
  const out = new Array<number>(m);
  order.forEach((idx, rank) => {
    out[idx] = Math.min(1, Math.max(0, adjusted[rank] ?? 1));
  });
  return out;
}
