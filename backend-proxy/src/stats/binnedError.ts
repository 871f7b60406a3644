import type { BinCounts } from './histogram';

function total(c: BinCounts): number {
  let n = c.below + c.above;
  for (const b of c.bins) n += b;
  return n;
}

/**
 * Largest possible gap between the Wasserstein-1 distance of the raw rows and the one computed from their counts on
 * `edges` (linear CDFs inside each bin): inside bin i each CDF departs from its straight line by at most the bin's
 * share, so |W1(raw) − W1(binned)| ≤ Σᵢ widthᵢ · (pᵢ + qᵢ). Rows outside the edges (the open tails) are not
 * covered: their positions are unknown to both.
 *
 * Reference: Vallender, S.S. (1974) "Calculation of the Wasserstein distance between probability distributions on
 * the line", Theory Probab. Appl. 18(4) — W1 = ∫|F − G|, which the bound integrates bin by bin.
 *
 * @param edges the bin edges (ascending)
 * @param reference reference counts on `edges`
 * @param current current counts on `edges`
 * @returns the bound, in the unit of the edges (0 when a side has no counts)
 * @example wassersteinBinError([0, 1, 2], { below: 0, bins: [1, 1], above: 0 }, { below: 0, bins: [2, 0], above: 0 }) // 2
 */
export function wassersteinBinError(edges: ReadonlyArray<number>, reference: BinCounts, current: BinCounts): number {
  const nr = total(reference);
  const nc = total(current);
  if (nr === 0 || nc === 0) return 0;
  let bound = 0;
  for (let i = 0; i < edges.length - 1; i++) {
    const width = (edges[i + 1] ?? 0) - (edges[i] ?? 0);
    bound += width * ((reference.bins[i] ?? 0) / nr + (current.bins[i] ?? 0) / nc);
  }
  return bound;
}

/**
 * Largest possible gap between the KS statistic of the raw rows and the one read off bin counts (which sees the
 * CDFs at the edges only, a lower bound): inside a bin the gap |F − G| can grow by at most the larger of the two
 * shares in it, so D(raw) ≤ D(binned) + maxᵢ max(pᵢ, qᵢ), tails included.
 *
 * @param reference reference counts
 * @param current current counts on the same bins
 * @returns the bound in [0, 1] (0 when a side has no counts)
 * @example ksBinError({ below: 0, bins: [1, 3], above: 0 }, { below: 0, bins: [2, 2], above: 0 }) // 0.75
 */
export function ksBinError(reference: BinCounts, current: BinCounts): number {
  const nr = total(reference);
  const nc = total(current);
  if (nr === 0 || nc === 0) return 0;
  let bound = Math.max(reference.below / nr, current.below / nc, reference.above / nr, current.above / nc);
  reference.bins.forEach((r, i) => {
    bound = Math.max(bound, r / nr, (current.bins[i] ?? 0) / nc);
  });
  return Math.min(1, bound);
}
