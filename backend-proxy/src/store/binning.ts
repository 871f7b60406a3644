/**
 * Bin edges and bin counting of the drift store.
 *
 * A numeric reference column is cut at its 0th, 1st, …, 100th percentiles (numpy's default "linear" quantile,
 * Hyndman & Fan type 7). Every 10th fine edge is exactly the decile edge PSI uses, so counts on the 100 fine bins
 * coarsen to PSI's 10 bins by adding 10 neighbours — no re-binning, no rounding difference.
 *
 * Counts use one layout everywhere: `[below edges[0], bin 0, …, bin n-1, above edges[n]]`. A value x falls in the
 * bin of the largest edge ≤ x (numpy.histogram's convention); x equal to the last edge falls in the last bin.
 */

export const FINE_BINS = 100;
export const PSI_BINS = 10;

/** Edges of the score histogram: 100 equal bins on [0, 1] (scores outside go to the tails). */
export const SCORE_EDGES: readonly number[] = Array.from({ length: FINE_BINS + 1 }, (_, i) => i / FINE_BINS);

/**
 * Quantile edges of a sorted sample at k/bins for k = 0…bins, numpy's linear method. The position (n-1)·k/bins is
 * split into an integer part and an integer remainder before dividing, so the same fraction always yields the same
 * float: `quantileEdges(x, 10)[j] === quantileEdges(x, 100)[10 * j]` holds bit for bit.
 * @param sorted values in non-decreasing order, at least one
 * @param bins number of bins (edges returned: bins + 1)
 * @returns non-decreasing edges from min to max
 * @throws RangeError on an empty sample or a non-positive bin count
 * @example quantileEdges([1, 2, 3, 4, 5], 4) // [1, 2, 3, 4, 5]
 */
export function quantileEdges(sorted: ArrayLike<number>, bins: number): number[] {
  if (sorted.length === 0) throw new RangeError('quantileEdges: needs at least one value');
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError('quantileEdges: bins must be a positive integer');
  const n = sorted.length;
  const edges: number[] = [];
  for (let k = 0; k <= bins; k++) {
    const position = (n - 1) * k;
    const lo = Math.floor(position / bins);
    const remainder = position - lo * bins;
    const a = sorted[lo] ?? Number.NaN;
    if (remainder === 0) {
      edges.push(a);
      continue;
    }
    const b = sorted[lo + 1] ?? a;
    const t = remainder / bins;
    // numpy's _lerp: interpolate from the nearer end, which keeps the result inside [a, b].
    edges.push(t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t));
  }
  return edges;
}

/**
 * Index of a value in the counts layout `[below, bin 0 … bin n-1, above]` for edges e[0…n].
 * @param edges non-decreasing edges (at least two)
 * @param x a finite number
 * @returns 0 when x < e[0], n + 1 when x > e[n], else 1 + the bin
 */
export function countIndex(edges: ArrayLike<number>, x: number): number {
  const last = edges.length - 1;
  const first = edges[0] ?? 0;
  const top = edges[last] ?? 0;
  if (x < first) return 0;
  if (x > top) return last + 1;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const edge = edges[mid] ?? Number.POSITIVE_INFINITY;
    if (edge <= x) lo = mid;
    else hi = mid - 1;
  }
  return (lo === last ? last - 1 : lo) + 1;
}

/**
 * Coarsens counts in the `[below, bins…, above]` layout by adding `factor` neighbouring bins; the tails stay.
 * With the percentile edges above, coarsening 100 fine bins by 10 gives exactly the counts on the decile edges.
 * @throws RangeError when the bin count is not a multiple of factor
 */
export function coarsenCounts(counts: ArrayLike<number>, factor: number): number[] {
  const bins = counts.length - 2;
  if (bins < 1 || !Number.isInteger(factor) || factor < 1 || bins % factor !== 0) {
    throw new RangeError(`coarsenCounts: ${bins} bins cannot be coarsened by ${factor}`);
  }
  const out = [counts[0] ?? 0];
  for (let start = 1; start <= bins; start += factor) {
    let sum = 0;
    for (let i = start; i < start + factor; i++) sum += counts[i] ?? 0;
    out.push(sum);
  }
  out.push(counts[bins + 1] ?? 0);
  return out;
}

/** Every `factor`-th edge: the edges of the coarsened bins. */
export function coarsenEdges(edges: readonly number[], factor: number): number[] {
  return edges.filter((_, i) => i % factor === 0);
}
