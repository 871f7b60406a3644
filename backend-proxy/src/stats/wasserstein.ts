import { InvalidInputError } from './errors';
import { assertEdges, binTotal, sortedCopy, type BinCounts } from './histogram';
import { ss } from './simpleStatistics';
import { assertFinite, assertNonEmpty } from './validate';

/**
 * The floor of the normalising standard deviation, so a constant reference does not divide by 0 (Evidently).
 */
export const WASSERSTEIN_MIN_STD = 0.001;

/**
 * First Wasserstein (earth mover's) distance between two 1-D empirical distributions given sorted samples:
 * ∫ |F_u(x) − F_v(x)| dx over the merged sample, as `scipy.stats.wasserstein_distance(u, v)`.
 *
 * Reference: Ramdas, Garcia & Cuturi (2017) "On Wasserstein two-sample testing and related families of
 * nonparametric tests", Entropy 19(2); scipy.stats._stats_py._cdf_distance.
 *
 * @param u sorted finite values (non-empty)
 * @param v sorted finite values (non-empty)
 * @returns the distance ≥ 0, in the unit of the values
 * @throws InsufficientDataError when a sample is empty; InvalidInputError on a non-finite value
 * @example wassersteinDistanceSorted([0, 1], [1, 2]) // 1
 */
export function wassersteinDistanceSorted(u: ReadonlyArray<number>, v: ReadonlyArray<number>): number {
  const fn = 'wassersteinDistanceSorted';
  assertNonEmpty(fn, 'u', u);
  assertNonEmpty(fn, 'v', v);
  assertFinite(fn, 'u', u);
  assertFinite(fn, 'v', v);
  const nu = u.length;
  const nv = v.length;
  // walk the merged order; between consecutive merged values both CDFs are constant
  let i = 0;
  let j = 0;
  let prev = Math.min(u[0] ?? 0, v[0] ?? 0);
  let sum = 0;
  while (i < nu || j < nv) {
    const next = j >= nv || (i < nu && (u[i] ?? 0) <= (v[j] ?? 0)) ? (u[i] ?? 0) : (v[j] ?? 0);
    if (next > prev) {
      sum += Math.abs(i / nu - j / nv) * (next - prev);
      prev = next;
    }
    while (i < nu && (u[i] ?? 0) <= next) i++;
    while (j < nv && (v[j] ?? 0) <= next) j++;
  }
  return sum;
}

/**
 * First Wasserstein distance of two unsorted samples; see {@link wassersteinDistanceSorted}.
 * @example wassersteinDistance([3, 1], [2]) // 1
 */
export function wassersteinDistance(u: ReadonlyArray<number>, v: ReadonlyArray<number>): number {
  assertFinite('wassersteinDistance', 'u', u);
  assertFinite('wassersteinDistance', 'v', v);
  return wassersteinDistanceSorted(sortedCopy(u), sortedCopy(v));
}

/**
 * Population standard deviation (divisor n, numpy's default) of a sample.
 * @throws InsufficientDataError when empty; InvalidInputError on a non-finite value
 */
export function populationStd(values: ReadonlyArray<number>): number {
  assertNonEmpty('populationStd', 'values', values);
  assertFinite('populationStd', 'values', values);
  return ss.standardDeviation(values.slice());
}

/**
 * Evidently's normalised Wasserstein distance: W₁(reference, current) / max(std(reference), 0.001), with the
 * population standard deviation — a shift measured in reference standard deviations (0.1 = a tenth of one).
 *
 * Reference: Evidently `wasserstein` stattest ("Wasserstein distance (normed)").
 *
 * @param reference reference sample
 * @param current current sample
 * @returns the normalised distance ≥ 0
 * @throws InsufficientDataError when a sample is empty; InvalidInputError on a non-finite value
 * @example normalizedWasserstein([0, 2], [1, 3]) // 1 (W = 1, std = 1)
 */
export function normalizedWasserstein(reference: ReadonlyArray<number>, current: ReadonlyArray<number>): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), WASSERSTEIN_MIN_STD);
}

/**
 * Wasserstein distance between two histograms on the same edges, for stored sketches: the mass of each bin is
 * spread uniformly over it (piecewise-linear CDFs) and the tail counts sit on the outer edges. Exact for that
 * model; compared with raw rows it is an approximation whose error shrinks with the bin width, and a lower bound
 * for the contribution of values beyond the edges.
 *
 * @param edges non-decreasing bin edges
 * @param reference reference counts on `edges`
 * @param current current counts on `edges`
 * @returns the distance ≥ 0, in the unit of the edges
 * @throws InvalidInputError on invalid edges or counts that do not match them; InsufficientDataError when a side
 *   has no counts
 * @example histogramWasserstein([0, 1, 2], { below: 0, bins: [1, 0], above: 0 }, { below: 0, bins: [0, 1], above: 0 }) // 1
 */
export function histogramWasserstein(edges: ReadonlyArray<number>, reference: BinCounts, current: BinCounts): number {
  assertEdges('histogramWasserstein', edges);
  return histogramWassersteinOnValidEdges(edges, reference, current);
}

/**
 * {@link histogramWasserstein} on edges already checked with `assertEdges` (a fitted profile's): a heatmap calls it
 * once per feature and bucket, so the edges are not re-validated each time.
 */
export function histogramWassersteinOnValidEdges(
  edges: ReadonlyArray<number>,
  reference: BinCounts,
  current: BinCounts
): number {
  const fn = 'histogramWasserstein';
  const nBins = edges.length - 1;
  if (reference.bins.length !== nBins || current.bins.length !== nBins) {
    throw new InvalidInputError(fn, `counts must have ${nBins} bins`);
  }
  const nr = binTotal(reference);
  const nc = binTotal(current);
  assertNonEmpty(fn, 'reference', { length: nr });
  assertNonEmpty(fn, 'current', { length: nc });
  let fr = reference.below / nr;
  let fc = current.below / nc;
  let sum = 0;
  for (let i = 0; i < nBins; i++) {
    const width = (edges[i + 1] ?? 0) - (edges[i] ?? 0);
    const a = fr - fc;
    fr += (reference.bins[i] ?? 0) / nr;
    fc += (current.bins[i] ?? 0) / nc;
    const b = fr - fc;
    if (width > 0) sum += width * linearAbsMean(a, b);
  }
  return sum;
}

/** Mean of |f| over an interval on which f is linear from a to b. */
function linearAbsMean(a: number, b: number): number {
  if ((a >= 0 && b >= 0) || (a <= 0 && b <= 0)) return (Math.abs(a) + Math.abs(b)) / 2;
  return (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b)));
}
