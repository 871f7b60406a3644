import { InvalidInputError } from './errors';
import { binTotal, sortedCopy, type BinCounts } from './histogram';
import { kolmogorovSf } from './kolmogorov';
import { gcd, ksExactTwoSided, roundHalfEven } from './ksExact';
import { assertFinite, assertNonEmpty } from './validate';

/** How the p-value is computed: `auto` is exact when both samples have ≤ 10 000 values (scipy's rule). */
export type KsMethod = 'auto' | 'exact' | 'asymp';

/** A two-sample Kolmogorov-Smirnov test. */
export interface KsResult {
  /** sup |F₁ − F₂|; with the exact method, rounded to the lattice h / lcm(n₁, n₂) as scipy reports it. */
  readonly statistic: number;
  readonly pValue: number;
  /** The p-value method actually used (exact falls back to asymptotic on numerical failure, like scipy). */
  readonly method: 'exact' | 'asymp';
}

/** `auto` uses the exact distribution when both samples are at most this large. */
export const KS_EXACT_MAX_N = 10000;

/**
 * Two-sided two-sample KS statistic sup_x |F₁(x) − F₂(x)| of sorted samples, with the ECDFs evaluated at every
 * observed value exactly as scipy does (count ≤ x divided by n, so ties are handled).
 * @param a sorted finite values (non-empty)
 * @param b sorted finite values (non-empty)
 * @returns the statistic in [0, 1]
 * @throws InsufficientDataError when a sample is empty
 * @example ksStatisticSorted([1, 2, 3], [4, 5]) // 1
 */
export function ksStatisticSorted(a: ReadonlyArray<number>, b: ReadonlyArray<number>): number {
  assertNonEmpty('ksStatisticSorted', 'first sample', a);
  assertNonEmpty('ksStatisticSorted', 'second sample', b);
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && (a[i] ?? 0) <= (b[j] ?? 0)) ? (a[i] ?? 0) : (b[j] ?? 0);
    while (i < n1 && (a[i] ?? 0) <= x) i++;
    while (j < n2 && (b[j] ?? 0) <= x) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  return minS > maxDiff ? minS : maxDiff;
}

/**
 * p-value of an observed two-sided KS statistic for sample sizes n1, n2, as scipy.stats.ks_2samp: exact
 * lattice-path probability (Hodges 1958, Viehmann 2021) when `auto` and both n ≤ 10 000 or `exact`, else the
 * finite-n Kolmogorov distribution at round(n₁n₂/(n₁+n₂)) (scipy's "asymp").
 * @param n1 first sample size
 * @param n2 second sample size
 * @param d observed statistic in [0, 1]
 * @param method p-value method
 * @returns the (lattice-rounded, when exact) statistic, p-value and method used
 * @throws InvalidInputError on non-positive sizes or d outside [0, 1]
 * @example ksPValue(3, 3, 1).pValue // 0.1
 */
export function ksPValue(n1: number, n2: number, d: number, method: KsMethod = 'auto'): KsResult {
  const fn = 'ksPValue';
  if (!Number.isInteger(n1) || !Number.isInteger(n2) || n1 < 1 || n2 < 1) {
    throw new InvalidInputError(fn, `sample sizes must be positive integers, got ${n1} and ${n2}`);
  }
  if (!(d >= 0 && d <= 1)) throw new InvalidInputError(fn, `statistic must be in [0, 1], got ${d}`);
  let mode: 'exact' | 'asymp' = method === 'auto' ? (Math.max(n1, n2) <= KS_EXACT_MAX_N ? 'exact' : 'asymp') : method;
  let statistic = d;
  if (mode === 'exact') {
    const g = gcd(n1, n2);
    if (n1 / g >= 2147483647 / (n2 / g)) {
      mode = 'asymp';
    } else {
      const exact = ksExactTwoSided(n1, n2, d);
      statistic = exact.statistic;
      if (exact.pValue !== null) return { statistic, pValue: exact.pValue, method: 'exact' };
      mode = 'asymp';
    }
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = roundHalfEven((m * n) / (m + n));
  const pValue = en >= 1 ? kolmogorovSf(en, statistic) : 1;
  return { statistic, pValue: Math.min(1, Math.max(0, pValue)), method: mode };
}

/**
 * Two-sample Kolmogorov-Smirnov test on sorted samples (two-sided), matching
 * `scipy.stats.ks_2samp(a, b, method)`.
 *
 * Reference: Hodges, J.L. Jr. (1958) Arkiv för Matematik 3(43); scipy.stats.ks_2samp.
 *
 * @param a sorted finite values
 * @param b sorted finite values
 * @param method p-value method (default `auto`)
 * @returns statistic, p-value and the method used
 * @throws InsufficientDataError when a sample is empty; InvalidInputError on a non-finite value
 * @example ksTwoSampleSorted([1, 2, 3], [4, 5, 6]).pValue // 0.1
 */
export function ksTwoSampleSorted(
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
  method: KsMethod = 'auto'
): KsResult {
  assertFinite('ksTwoSample', 'first sample', a);
  assertFinite('ksTwoSample', 'second sample', b);
  return ksPValue(a.length, b.length, ksStatisticSorted(a, b), method);
}

/**
 * Two-sample Kolmogorov-Smirnov test on unsorted samples; see {@link ksTwoSampleSorted}.
 * @example ksTwoSample([3, 1, 2], [6, 4, 5]).statistic // 1
 */
export function ksTwoSample(a: ReadonlyArray<number>, b: ReadonlyArray<number>, method: KsMethod = 'auto'): KsResult {
  assertFinite('ksTwoSample', 'first sample', a);
  assertFinite('ksTwoSample', 'second sample', b);
  return ksTwoSampleSorted(sortedCopy(a), sortedCopy(b), method);
}

/**
 * KS test from counts on shared bin edges (stored sketches): the statistic is the largest ECDF difference at the
 * edges, which equals the KS statistic of the data rounded to the bins and is a lower bound of the raw-row
 * statistic; the p-value is {@link ksPValue} of that statistic. Only raw rows give scipy's exact result.
 * @param reference counts on the edges
 * @param current counts on the same edges
 * @returns statistic, p-value and method
 * @throws InvalidInputError when the bin counts differ in length; InsufficientDataError when a side is empty
 * @example ksFromBinCounts({ below: 0, bins: [5, 0], above: 0 }, { below: 0, bins: [0, 5], above: 0 }).statistic // 1
 */
export function ksFromBinCounts(reference: BinCounts, current: BinCounts, method: KsMethod = 'auto'): KsResult {
  const fn = 'ksFromBinCounts';
  if (reference.bins.length !== current.bins.length) throw new InvalidInputError(fn, 'bin counts differ in length');
  const n1 = binTotal(reference);
  const n2 = binTotal(current);
  assertNonEmpty(fn, 'reference', { length: n1 });
  assertNonEmpty(fn, 'current', { length: n2 });
  let c1 = reference.below;
  let c2 = current.below;
  let d = Math.abs(c1 / n1 - c2 / n2);
  for (let i = 0; i < reference.bins.length; i++) {
    c1 += reference.bins[i] ?? 0;
    c2 += current.bins[i] ?? 0;
    d = Math.max(d, Math.abs(c1 / n1 - c2 / n2));
  }
  return ksPValue(n1, n2, Math.min(1, d), method);
}
