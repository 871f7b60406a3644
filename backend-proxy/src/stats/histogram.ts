import { InvalidInputError } from './errors';
import { ss } from './simpleStatistics';
import { assertFinite, assertInteger, assertNonEmpty } from './validate';

/**
 * Counts of a sample on fixed bin edges: `bins[i]` counts values in bin i, `below`/`above` count values outside
 * the edges. Sketches of this shape merge by adding the fields element-wise.
 */
export interface BinCounts {
  readonly below: number;
  readonly bins: readonly number[];
  readonly above: number;
}

/** A category as stored: strings as given, numbers by `String(n)`, booleans as `'true'`/`'false'`. */
export type CategoryValue = string | number | boolean;

/** Category counts of a sample plus the number of missing values (null, undefined, NaN). */
export interface CategoryCounts {
  readonly counts: ReadonlyMap<string, number>;
  readonly missing: number;
}

/** Numeric sort of a copy (Float64Array sorts numerically, unlike Array#sort). */
export function sortedCopy(values: ReadonlyArray<number>): number[] {
  return Array.from(Float64Array.from(values).sort());
}

/**
 * Reference-quantile bin edges from a sorted sample: `edges[i]` is the `i / nBins` quantile, linear interpolation
 * between order statistics (Hyndman & Fan type 7, numpy's default `method='linear'`, via simple-statistics'
 * `quantileSorted`). Edges repeat where the sample has ties; {@link binIndex} handles repeated edges.
 *
 * Because edge `i` of `nBins` bins is computed from `i / nBins`, the edges of `nBins / f` bins are exactly every
 * `f`-th edge of `nBins` bins, which is what makes {@link coarsen} exact.
 *
 * @param sorted finite values in ascending order
 * @param nBins number of bins (≥ 1)
 * @returns `nBins + 1` non-decreasing edges, first = minimum, last = maximum
 * @throws InsufficientDataError when the sample is empty; InvalidInputError on a non-finite value or bad nBins
 * @example quantileEdgesSorted([1, 2, 3, 4, 5], 4) // [1, 2, 3, 4, 5]
 */
export function quantileEdgesSorted(sorted: ReadonlyArray<number>, nBins: number): number[] {
  const fn = 'quantileEdgesSorted';
  assertNonEmpty(fn, 'sample', sorted);
  assertInteger(fn, 'nBins', nBins, 1);
  assertFinite(fn, 'sample', sorted);
  const copy = sorted.slice();
  const edges: number[] = [];
  for (let i = 0; i <= nBins; i++) edges.push(ss.quantileSorted(copy, i / nBins));
  return edges;
}

/**
 * Reference-quantile bin edges of an unsorted sample; see {@link quantileEdgesSorted}.
 * @param values finite values
 * @param nBins number of bins (≥ 1)
 * @returns `nBins + 1` non-decreasing edges
 * @throws InsufficientDataError when empty; InvalidInputError on a non-finite value or bad nBins
 * @example quantileEdges([5, 1, 3, 2, 4], 2) // [1, 3, 5]
 */
export function quantileEdges(values: ReadonlyArray<number>, nBins: number): number[] {
  assertFinite('quantileEdges', 'sample', values);
  return quantileEdgesSorted(sortedCopy(values), nBins);
}

/** Throws unless edges are at least two finite, non-decreasing numbers. */
export function assertEdges(fn: string, edges: ReadonlyArray<number>): void {
  if (edges.length < 2) throw new InvalidInputError(fn, `edges must hold at least 2 values, got ${edges.length}`);
  assertFinite(fn, 'edges', edges);
  for (let i = 1; i < edges.length; i++) {
    if ((edges[i] ?? 0) < (edges[i - 1] ?? 0)) {
      throw new InvalidInputError(fn, `edges must be non-decreasing (index ${i})`);
    }
  }
}

/**
 * Bin of one value on `edges` (n = edges.length − 1 bins). Convention, as numpy.histogram: bin i holds
 * `edges[i] ≤ v < edges[i+1]` and the last bin also holds `v = edges[n]`; with repeated edges a value goes to the
 * highest bin whose left edge is ≤ v (so zero-width bins stay empty). Values below `edges[0]` give −1 (the
 * `below` tail), values above `edges[n]` give n (the `above` tail). Edges are assumed valid ({@link assertEdges}).
 *
 * @param value a finite number
 * @param edges non-decreasing edges
 * @returns −1, a bin index in [0, n − 1], or n
 * @example binIndex(2, [0, 1, 2]) // 1 (last bin is closed)
 */
export function binIndex(value: number, edges: ReadonlyArray<number>): number {
  const last = edges.length - 1;
  // upper bound: number of edges ≤ value
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] ?? Infinity) <= value) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return -1;
  if (lo === edges.length && value > (edges[last] ?? Infinity)) return last;
  return Math.min(lo - 1, last - 1);
}

/**
 * Counts values on bin edges with the {@link binIndex} convention, tails included.
 * @param values finite numbers (filter missing values first)
 * @param edges at least two non-decreasing finite edges
 * @returns counts per bin and in the two tails
 * @throws InvalidInputError on a non-finite value or invalid edges
 * @example binCounts([-1, 0, 0.5, 1, 2], [0, 0.5, 1]) // { below: 1, bins: [1, 2], above: 1 }
 */
export function binCounts(values: ReadonlyArray<number>, edges: ReadonlyArray<number>): BinCounts {
  const fn = 'binCounts';
  assertEdges(fn, edges);
  assertFinite(fn, 'values', values);
  const nBins = edges.length - 1;
  const bins = new Array<number>(nBins).fill(0);
  let below = 0;
  let above = 0;
  for (const v of values) {
    const i = binIndex(v, edges);
    if (i < 0) below++;
    else if (i >= nBins) above++;
    else bins[i] = (bins[i] ?? 0) + 1;
  }
  return { below, bins, above };
}

/**
 * Merges every `factor` adjacent bins. Counts on the `f·k`-bin reference-quantile edges coarsen exactly to the
 * counts on the `k`-bin edges of the same reference (e.g. 100 percentile bins → PSI's 10 deciles), because those
 * edges are every f-th fine edge and a value's bin is the highest bin whose left edge is ≤ it.
 *
 * @param counts counts on fine edges
 * @param factor bins per coarse bin; must divide the number of bins
 * @returns counts on the coarse edges (tails unchanged)
 * @throws InvalidInputError when factor does not divide the bin count
 * @example coarsen({ below: 0, bins: [1, 2, 3, 4], above: 1 }, 2) // { below: 0, bins: [3, 7], above: 1 }
 */
export function coarsen(counts: BinCounts, factor: number): BinCounts {
  const fn = 'coarsen';
  assertInteger(fn, 'factor', factor, 1);
  if (counts.bins.length % factor !== 0) {
    throw new InvalidInputError(fn, `factor ${factor} does not divide ${counts.bins.length} bins`);
  }
  const bins: number[] = [];
  for (let i = 0; i < counts.bins.length; i += factor) {
    let s = 0;
    for (let j = i; j < i + factor; j++) s += counts.bins[j] ?? 0;
    bins.push(s);
  }
  return { below: counts.below, bins, above: counts.above };
}

/**
 * Every `factor`-th edge: the edges that {@link coarsen}ed counts refer to.
 * @throws InvalidInputError when factor does not divide the bin count
 * @example coarsenEdges([0, 1, 2, 3, 4], 2) // [0, 2, 4]
 */
export function coarsenEdges(edges: ReadonlyArray<number>, factor: number): number[] {
  const fn = 'coarsenEdges';
  assertInteger(fn, 'factor', factor, 1);
  const nBins = edges.length - 1;
  if (nBins < 1 || nBins % factor !== 0) {
    throw new InvalidInputError(fn, `factor ${factor} does not divide ${nBins} bins`);
  }
  return edges.filter((_, i) => i % factor === 0);
}

/** Total number of values in bin counts, tails included. */
export function binTotal(counts: BinCounts): number {
  let s = counts.below + counts.above;
  for (const c of counts.bins) s += c;
  return s;
}

/**
 * The stored key of a category value: strings as given, finite numbers as `String(n)` (so `1` and `'1'` are the
 * same category), booleans as `'true'`/`'false'`.
 * @example categoryKey(2.5) // '2.5'
 */
export function categoryKey(value: CategoryValue): string {
  return typeof value === 'string' ? value : String(value);
}

/** True for the values treated as missing: null, undefined and NaN. */
export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/**
 * Counts categories of a sample; null, undefined and NaN are counted as missing, not as a category.
 * @param values category values
 * @returns counts per category key ({@link categoryKey}) and the missing count
 * @throws InvalidInputError on a value that is not a string, number or boolean (e.g. an object), or on ±Infinity
 * @example categoryCounts(['a', 'b', 'a', null]) // { counts: Map { 'a' => 2, 'b' => 1 }, missing: 1 }
 */
export function categoryCounts(values: ReadonlyArray<CategoryValue | null | undefined>): CategoryCounts {
  const counts = new Map<string, number>();
  let missing = 0;
  values.forEach((v: unknown, i) => {
    if (isMissing(v)) {
      missing++;
      return;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new InvalidInputError('categoryCounts', `values[${i}] is ${String(v)}, not a category`);
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new InvalidInputError('categoryCounts', `values[${i}] must be a string, number or boolean`);
    }
    const key = categoryKey(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return { counts, missing };
}
