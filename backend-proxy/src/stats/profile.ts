import { InsufficientDataError, InvalidInputError } from './errors';
import { inferFeatureKind, type FeatureKind, type FeatureValue } from './featureKind';
import {
  assertEdges,
  type BinCounts,
  binCounts,
  binTotal,
  categoryCounts,
  isMissing,
  quantileEdgesSorted,
  sortedCopy,
} from './histogram';
import { populationStd } from './wasserstein';
import { assertInteger } from './validate';
import { ss } from './simpleStatistics';

/** Fine reference-quantile bins stored per numeric feature; they coarsen exactly to PSI's 10 deciles. */
export const DEFAULT_FINE_BINS = 100;

/** Numeric references with at most this many distinct values also keep value counts (Evidently bins above 20). */
export const VALUE_COUNTS_LIMIT = 20;

/** Frozen summary of a numeric reference feature: everything a drift method needs, as plain JSON. */
export interface NumericProfile {
  readonly kind: 'numeric';
  /** Non-missing reference values. */
  readonly n: number;
  /** Missing reference values (null, undefined, NaN, ±Infinity). */
  readonly missing: number;
  readonly mean: number;
  /** Population standard deviation (divisor n), the Wasserstein normaliser. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** Reference-quantile edges (fine bins + 1), the edges that store sketches count on. */
  readonly edges: readonly number[];
  /** Reference counts on `edges` (tails are 0). */
  readonly binCounts: BinCounts;
  /** [value, count] pairs in ascending value order when there are ≤ 20 distinct values, else null. */
  readonly valueCounts: ReadonlyArray<readonly [number, number]> | null;
  /** Sorted reference values for exact KS and Wasserstein; null when not kept. */
  readonly values: readonly number[] | null;
}

/** Frozen summary of a categorical reference feature. */
export interface CategoricalProfile {
  readonly kind: 'categorical';
  readonly n: number;
  readonly missing: number;
  /** [category, count] pairs in category order. */
  readonly categoryCounts: ReadonlyArray<readonly [string, number]>;
}

export type FeatureProfile = NumericProfile | CategoricalProfile;

export interface ProfileOptions {
  /** Overrides {@link inferFeatureKind}. */
  readonly kind?: FeatureKind;
  /** Fine quantile bins (default 100). */
  readonly fineBins?: number;
  /** Keep the sorted raw values for exact tests (default true). */
  readonly keepValues?: boolean;
}

/** The non-missing values of a numeric sample, sorted, and the number of missing ones. */
export interface NumericSample {
  readonly sorted: number[];
  readonly missing: number;
}

/**
 * Splits raw numeric values into sorted finite values and a missing count; null, undefined, NaN and ±Infinity are
 * missing (Evidently drops infinities with NaN).
 * @throws InvalidInputError on a value that is not a number (a type error, e.g. a string in a numeric feature)
 */
export function numericSample(fn: string, values: ReadonlyArray<FeatureValue>): NumericSample {
  const finite: number[] = [];
  let missing = 0;
  values.forEach((v, i) => {
    if (isMissing(v)) missing++;
    else if (typeof v !== 'number') throw new InvalidInputError(fn, `values[${i}] is a ${typeof v}, not a number`);
    else if (!Number.isFinite(v)) missing++;
    else finite.push(v);
  });
  return { sorted: sortedCopy(finite), missing };
}

/** [value, count] pairs of a sorted sample, or null when it has more than `limit` distinct values. */
export function distinctCounts(sorted: ReadonlyArray<number>, limit: number): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === v) last[1]++;
    else {
      if (out.length === limit) return null;
      out.push([v, 1]);
    }
  }
  return out;
}

/**
 * Profiles one reference feature: its kind, missing count and, for numeric features, moments, fine
 * reference-quantile edges with counts, value counts when it has few distinct values and (optionally) the sorted
 * values; for categorical features, category counts. The profile is plain data: store it as JSON and fit drift
 * methods on it later.
 *
 * @param values raw reference values
 * @param options kind override, fine bin count, whether to keep raw values
 * @returns the profile
 * @throws InsufficientDataError when every value is missing; InvalidInputError on type errors or bad options
 * @example profileFeature(['a', 'b', 'a']).kind // 'categorical'
 */
export function profileFeature(values: ReadonlyArray<FeatureValue>, options: ProfileOptions = {}): FeatureProfile {
  const fn = 'profileFeature';
  const kind = options.kind ?? inferFeatureKind(values);
  if (kind === 'categorical') {
    const { counts, missing } = categoryCounts(values);
    if (counts.size === 0) throw new InsufficientDataError(fn, 'every value is missing');
    const entries = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { kind, n: values.length - missing, missing, categoryCounts: entries };
  }
  const fineBins = options.fineBins ?? DEFAULT_FINE_BINS;
  assertInteger(fn, 'fineBins', fineBins, 1);
  const { sorted, missing } = numericSample(fn, values);
  if (sorted.length === 0) throw new InsufficientDataError(fn, 'every value is missing');
  const edges = quantileEdgesSorted(sorted, fineBins);
  const counts = binCounts(sorted, edges);
  return {
    kind,
    n: sorted.length,
    missing,
    mean: ss.mean(sorted),
    std: populationStd(sorted),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    edges,
    binCounts: counts,
    valueCounts: distinctCounts(sorted, VALUE_COUNTS_LIMIT),
    values: options.keepValues === false ? null : sorted,
  };
}

/**
 * Checks a profile read back from storage: consistent counts, edges and sizes.
 * @throws InvalidInputError naming the inconsistency
 */
export function assertProfile(fn: string, profile: FeatureProfile): void {
  const fail = (msg: string): never => {
    throw new InvalidInputError(fn, `invalid profile: ${msg}`);
  };
  if (!Number.isInteger(profile.n) || profile.n < 1) fail('n must be a positive integer');
  if (profile.kind === 'categorical') {
    let s = 0;
    for (const [, c] of profile.categoryCounts) s += c;
    if (s !== profile.n) fail('category counts do not sum to n');
    return;
  }
  if (profile.edges.length < 2) fail('needs at least 2 edges');
  // Once here, so the per-window statistics can trust the edges.
  assertEdges(fn, profile.edges);
  if (profile.binCounts.bins.length !== profile.edges.length - 1) fail('bin counts do not match the edges');
  if (binTotal(profile.binCounts) !== profile.n) fail('bin counts do not sum to n');
  if (profile.values !== null && profile.values.length !== profile.n) fail('values do not match n');
  if (!(profile.std >= 0)) fail('std must be ≥ 0');
}
