import type { DriftMethod } from '@mlsight/contract';
import { selectAutoMethod, AUTO_DISCRETE_LIMIT, type AutoSelection } from './autoMethod';
import { chiSquareDrift } from './chiSquare';
import { InvalidInputError } from './errors';
import type { FeatureKind, FeatureValue } from './featureKind';
import { hellingerDistance } from './hellinger';
import { binCounts, coarsen, type BinCounts } from './histogram';
import { jensenShannonDistance } from './jensenShannon';
import { ksFromBinCounts, ksTwoSampleSorted } from './ks';
import { lInfinityDistance } from './lInfinity';
import { assertProfile, profileFeature, type FeatureProfile, type ProfileOptions } from './profile';
import { psiFromCounts } from './psi';
import { toWindow, type DriftSample, type NumericWindow, type Window } from './sample';
import { sturgesEdges } from './sturges';
import { DEFAULT_THRESHOLDS, exceedsThreshold, resolveThreshold, type ConcreteDriftMethod } from './thresholds';
import { assertInteger } from './validate';
import { histogramWassersteinOnValidEdges, wassersteinDistanceSorted, WASSERSTEIN_MIN_STD } from './wasserstein';
import { zTestDrift } from './zTest';

/** A window (or reference) with fewer non-missing values than this gets no verdict. */
export const DEFAULT_MIN_SAMPLE_SIZE = 30;

/** PSI's 10 reference-quantile bins; also used by the other binned distances on numeric features. */
export const DEFAULT_BINS = 10;

/**
 * How binned methods (PSI, Jensen-Shannon, Hellinger, L-infinity) bin a numeric feature:
 * `quantile` — the reference's decile bins plus the two out-of-range tails, frozen at fit time, so stored sketches
 * give the same result as raw rows (cells empty on both sides are left out);
 * `evidently` — Evidently's binning on raw rows: Sturges equal-width bins over reference ∪ current (Hellinger:
 * over their distinct values), or the values themselves when the reference has ≤ 20 distinct values.
 */
export type Binning = 'quantile' | 'evidently';

export interface DriftOptions extends ProfileOptions {
  /** Threshold of the method (not allowed with `auto`, whose methods differ in scale: use `thresholds`). */
  readonly threshold?: number;
  /** Per-method thresholds (the feature's overrides); `threshold` wins for a fixed method. */
  readonly thresholds?: Partial<Record<ConcreteDriftMethod, number>>;
  /** Minimum non-missing values on each side for a verdict (default 30). */
  readonly minSampleSize?: number;
  /** Binning of numeric features for binned methods (default `quantile`). */
  readonly binning?: Binning;
  /** Coarse bins for `quantile` binning (default 10); must divide the profile's fine bins. */
  readonly bins?: number;
  /** Logarithm base of an explicitly chosen `jensenshannon` (default 2; `auto` uses e, as Evidently). */
  readonly jsBase?: number;
}

/** The effect size reported beside every score: normalised Wasserstein for numeric, JS (base 2) for categorical. */
export type EffectSizeMeasure = 'wasserstein_normed' | 'jensenshannon';

/** One drift verdict. Every method returns this shape. */
export interface DriftResult {
  /** The method that produced the score (what `auto` resolved to). */
  readonly method: ConcreteDriftMethod;
  /**
   * The value compared with the threshold: the p-value for ks/chisquare/ztest, the distance otherwise (JS in base
   * 2 when chosen explicitly, in nats when `auto` chose it, as Evidently). null only for an empty window.
   */
  readonly score: number | null;
  /** p-value of test methods, null for distances. */
  readonly pValue: number | null;
  /** Test statistic (KS D, Pearson χ², z) of test methods; null for distances. */
  readonly statistic: number | null;
  /**
   * Size of the change, comparable across methods and sample sizes: normalised Wasserstein (shift in reference
   * standard deviations; binned for sketches) for numeric features, Jensen-Shannon distance in base 2 over the
   * category shares for categorical ones. null only for an empty window.
   */
  readonly effectSize: number | null;
  readonly effectSizeMeasure: EffectSizeMeasure;
  readonly threshold: number;
  /** null when the window or reference is below the minimum sample size: insufficient, not "no drift". */
  readonly drifted: boolean | null;
  readonly referenceN: number;
  readonly currentN: number;
  readonly insufficient: boolean;
  /** Approximations, appearing/vanishing categories, insufficient data; null when there is nothing to say. */
  readonly notice: string | null;
}

/** A drift method fitted on one reference feature: immutable, reusable for any number of windows. */
export interface FittedDriftMethod {
  readonly method: DriftMethod;
  readonly kind: FeatureKind;
  readonly profile: FeatureProfile;
  /**
   * Compares a current window with the reference.
   * @throws InvalidInputError on type errors or a sketch that does not match the profile
   */
  calculate(current: DriftSample): DriftResult;
}

interface Score {
  readonly score: number;
  readonly pValue: number | null;
  readonly statistic: number | null;
}

interface Cells {
  readonly ref: number[];
  readonly cur: number[];
}

const CALC = 'calculate';
const NUMERIC_ONLY: readonly ConcreteDriftMethod[] = ['ks', 'wasserstein'];
const DISCRETE_ONLY: readonly ConcreteDriftMethod[] = ['chisquare', 'ztest'];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function copyProfile(p: FeatureProfile): FeatureProfile {
  if (p.kind === 'categorical') return { ...p, categoryCounts: p.categoryCounts.map(([k, c]) => [k, c] as const) };
  return {
    ...p,
    edges: p.edges.slice(),
    binCounts: { below: p.binCounts.below, bins: p.binCounts.bins.slice(), above: p.binCounts.above },
    valueCounts: p.valueCounts === null ? null : p.valueCounts.map(([v, c]) => [v, c] as const),
    values: p.values === null ? null : p.values.slice(),
  };
}

function isConcreteMethod(m: string): m is ConcreteDriftMethod {
  return Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLDS, m);
}

function isProfile(r: FeatureProfile | ReadonlyArray<FeatureValue>): r is FeatureProfile {
  return !Array.isArray(r);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function describeKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).join(', ');
  return keys.length > 5 ? `${shown} and ${keys.length - 5} more` : shown;
}

function flatten(c: BinCounts): number[] {
  return [c.below, ...c.bins, c.above];
}

class Fitted implements FittedDriftMethod {
  readonly method: DriftMethod;
  readonly kind: FeatureKind;
  readonly profile: FeatureProfile;
  private readonly minSampleSize: number;
  private readonly binning: Binning;
  private readonly factor: number;
  private readonly jsBase: number;
  private readonly thresholdOverride: number | undefined;
  private readonly thresholds: Partial<Record<ConcreteDriftMethod, number>>;
  private readonly refCategories: ReadonlyMap<string, number>;
  private readonly refValues: ReadonlyMap<number, number> | null;
  private readonly refCoarse: BinCounts | null;

  constructor(method: DriftMethod, profile: FeatureProfile, options: DriftOptions) {
    const fn = 'fitDrift';
    this.method = method;
    this.kind = profile.kind;
    this.profile = deepFreeze(copyProfile(profile));
    this.minSampleSize = options.minSampleSize ?? DEFAULT_MIN_SAMPLE_SIZE;
    assertInteger(fn, 'minSampleSize', this.minSampleSize, 1);
    this.binning = options.binning ?? 'quantile';
    this.jsBase = options.jsBase ?? 2;
    if (!(this.jsBase > 0) || this.jsBase === 1 || !Number.isFinite(this.jsBase)) {
      throw new InvalidInputError(fn, `jsBase must be a positive number other than 1, got ${this.jsBase}`);
    }
    if (method === 'auto' && options.threshold !== undefined) {
      throw new InvalidInputError(fn, 'auto chooses methods of different scales; set `thresholds` per method instead');
    }
    this.thresholdOverride = options.threshold;
    this.thresholds = { ...(options.thresholds ?? {}) };
    for (const [m, t] of Object.entries(this.thresholds)) {
      if (!isConcreteMethod(m)) throw new InvalidInputError(fn, `thresholds: unknown method ${m}`);
      if (t !== undefined) resolveThreshold(m, t);
    }
    if (method !== 'auto') resolveThreshold(method, options.threshold ?? this.thresholds[method]);

    const p = this.profile;
    if (p.kind === 'categorical') {
      if (method !== 'auto' && NUMERIC_ONLY.includes(method)) {
        throw new InvalidInputError(fn, `${method} needs a numeric feature`);
      }
      this.refCategories = new Map(p.categoryCounts);
      this.refValues = null;
      this.refCoarse = null;
      this.factor = 1;
    } else {
      this.refCategories = new Map();
      this.refValues = p.valueCounts === null ? null : new Map(p.valueCounts);
      const bins = options.bins ?? DEFAULT_BINS;
      assertInteger(fn, 'bins', bins, 1);
      const fine = p.edges.length - 1;
      if (fine % bins !== 0) throw new InvalidInputError(fn, `bins ${bins} does not divide the profile's ${fine} bins`);
      this.factor = fine / bins;
      this.refCoarse = coarsen(p.binCounts, this.factor);
      if (method !== 'auto' && DISCRETE_ONLY.includes(method) && this.refValues === null) {
        throw new InvalidInputError(
          fn,
          `${method} compares values as categories; this feature has > 20 distinct values`
        );
      }
      if (this.binning === 'evidently' && p.values === null) {
        throw new InvalidInputError(fn, 'binning "evidently" needs the raw reference values (profile keepValues)');
      }
    }
    Object.freeze(this);
  }

  calculate(current: DriftSample): DriftResult {
    const w = toWindow(CALC, this.profile, current);
    const sel = this.select(w);
    const method = sel.method;
    const threshold = resolveThreshold(method, this.thresholdOverride ?? this.thresholds[method]);
    const effectSizeMeasure: EffectSizeMeasure = this.kind === 'numeric' ? 'wasserstein_normed' : 'jensenshannon';
    const referenceN = this.profile.n;
    // Results are built field by field (no spread of a shared part): a heatmap builds one per feature and bucket,
    // and the spread + freeze was its single most expensive line.
    if (w.n === 0) {
      return Object.freeze({
        method,
        threshold,
        effectSizeMeasure,
        referenceN,
        currentN: 0,
        score: null,
        pValue: null,
        statistic: null,
        effectSize: null,
        drifted: null,
        insufficient: true,
        notice: 'current window has no values',
      });
    }
    const notices: string[] = [];
    const s = this.score(sel, w, notices);
    // For Wasserstein the score is the effect size itself; computing it twice doubled a heatmap's cost.
    const effectSize = sel.method === 'wasserstein' && s.score !== null ? s.score : this.effectSize(w);
    const insufficient = w.n < this.minSampleSize || referenceN < this.minSampleSize;
    if (w.n < this.minSampleSize) {
      notices.push(`current window has ${w.n} values, below the minimum ${this.minSampleSize}`);
    }
    if (referenceN < this.minSampleSize) {
      notices.push(`reference has ${referenceN} values, below the minimum ${this.minSampleSize}`);
    }
    const drifted = insufficient ? null : exceedsThreshold(DEFAULT_THRESHOLDS[method].rule, s.score, threshold);
    return Object.freeze({
      method,
      threshold,
      effectSizeMeasure,
      referenceN,
      currentN: w.n,
      score: s.score,
      pValue: s.pValue,
      statistic: s.statistic,
      effectSize,
      drifted,
      insufficient,
      notice: notices.length > 0 ? notices.join('; ') : null,
    });
  }

  /** The concrete method and whether it compares category cells; `auto` follows Evidently. */
  private select(w: Window): AutoSelection & { readonly jsBase: number } {
    if (this.method !== 'auto') {
      const discrete = this.kind === 'categorical' || DISCRETE_ONLY.includes(this.method);
      return { method: this.method, discrete, jsBase: this.jsBase };
    }
    const selection = selectAutoMethod(this.kind, this.profile.n, this.distinctValues(w));
    return { ...selection, jsBase: Math.E };
  }

  /** Distinct values in reference ∪ current (only "more than 5" matters for numeric features). */
  private distinctValues(w: Window): number {
    if (w.kind === 'categorical') {
      const keys = new Set(this.refCategories.keys());
      for (const [k, c] of w.counts) if (c > 0) keys.add(k);
      return keys.size;
    }
    if (this.refValues === null || this.refValues.size > AUTO_DISCRETE_LIMIT) return AUTO_DISCRETE_LIMIT + 1;
    if (w.n === 0) return this.refValues.size;
    if (w.valueCounts === null) {
      throw new InvalidInputError(
        CALC,
        'this numeric feature has ≤ 5 distinct reference values; the sketch needs valueCounts'
      );
    }
    const keys = new Set(this.refValues.keys());
    for (const [k, c] of w.valueCounts) if (c > 0) keys.add(k);
    return keys.size;
  }

  private score(sel: AutoSelection & { readonly jsBase: number }, w: Window, notices: string[]): Score {
    const { method } = sel;
    if (method === 'ks' || method === 'wasserstein') {
      if (w.kind !== 'numeric') throw new InvalidInputError(CALC, `${method} needs a numeric feature`);
      if (method === 'ks') return this.ks(w, notices);
      if (!this.exactNumeric(w)) notices.push('Wasserstein from binned counts (approximate)');
      return { score: this.numericEffect(w), pValue: null, statistic: null };
    }
    const cells = this.cells(sel.discrete, method, w, notices);
    switch (method) {
      case 'chisquare': {
        if (cells.ref.length < 2) {
          notices.push('a single category: nothing to compare');
          return { score: 1, pValue: 1, statistic: 0 };
        }
        const r = chiSquareDrift(cells.ref, cells.cur);
        return { score: r.pValue, pValue: r.pValue, statistic: r.statistic };
      }
      case 'ztest': {
        const r = zTestDrift(cells.ref, cells.cur);
        return { score: r.pValue, pValue: r.pValue, statistic: r.statistic };
      }
      case 'psi':
        return { score: psiFromCounts(cells.ref, cells.cur), pValue: null, statistic: null };
      case 'jensenshannon':
        return { score: jensenShannonDistance(cells.ref, cells.cur, sel.jsBase), pValue: null, statistic: null };
      case 'hellinger':
        return { score: hellingerDistance(cells.ref, cells.cur), pValue: null, statistic: null };
      case 'linf':
        return { score: lInfinityDistance(cells.ref, cells.cur), pValue: null, statistic: null };
    }
  }

  private exactNumeric(w: NumericWindow): boolean {
    return this.profile.kind === 'numeric' && this.profile.values !== null && w.sorted !== null;
  }

  private ks(w: NumericWindow, notices: string[]): Score {
    const p = this.profile;
    if (p.kind !== 'numeric') throw new InvalidInputError(CALC, 'ks needs a numeric feature');
    if (p.values !== null && w.sorted !== null) {
      const r = ksTwoSampleSorted(p.values, w.sorted);
      return { score: r.pValue, pValue: r.pValue, statistic: r.statistic };
    }
    notices.push('KS from binned counts: the statistic is a lower bound of the raw-row KS');
    const r = ksFromBinCounts(p.binCounts, w.fine);
    return { score: r.pValue, pValue: r.pValue, statistic: r.statistic };
  }

  /** Normalised Wasserstein: exact on raw rows, binned on the fine edges otherwise. */
  private numericEffect(w: NumericWindow): number {
    const p = this.profile;
    if (p.kind !== 'numeric') throw new InvalidInputError(CALC, 'wasserstein needs a numeric feature');
    const norm = Math.max(p.std, WASSERSTEIN_MIN_STD);
    if (p.values !== null && w.sorted !== null) return wassersteinDistanceSorted(p.values, w.sorted) / norm;
    return histogramWassersteinOnValidEdges(p.edges, p.binCounts, w.fine) / norm;
  }

  private effectSize(w: Window): number {
    if (w.kind === 'numeric') return this.numericEffect(w);
    const cells = this.categoryCells(w, []);
    return jensenShannonDistance(cells.ref, cells.cur, 2);
  }

  /** Category cells (categorical features, or numeric ones compared by value) or bins. */
  private cells(discrete: boolean, method: ConcreteDriftMethod, w: Window, notices: string[]): Cells {
    if (discrete || w.kind === 'categorical') return this.categoryCells(w, notices);
    return this.binnedCells(method, w);
  }

  /** Category cells over reference ∪ current, in sorted order (the Z-test's first category is the smallest). */
  private categoryCells(w: Window, notices: string[]): Cells {
    if (w.kind === 'categorical') return this.cellsFrom(this.refCategories, w.counts, byString, notices);
    if (this.refValues === null) throw new InvalidInputError(CALC, 'this numeric feature has > 20 distinct values');
    if (w.valueCounts === null) {
      throw new InvalidInputError(CALC, 'the numeric sketch needs valueCounts for this method');
    }
    return this.cellsFrom(this.refValues, w.valueCounts, (a, b) => a - b, notices);
  }

  private cellsFrom<K extends string | number>(
    ref: ReadonlyMap<K, number>,
    cur: ReadonlyMap<K, number>,
    order: (a: K, b: K) => number,
    notices: string[]
  ): Cells {
    const keys = new Set<K>(ref.keys());
    for (const [k, c] of cur) if (c > 0) keys.add(k);
    const sorted = [...keys].sort(order);
    const appeared = sorted.filter((k) => (ref.get(k) ?? 0) === 0).map(String);
    const vanished = sorted.filter((k) => (cur.get(k) ?? 0) === 0).map(String);
    if (appeared.length > 0) notices.push(`new in current: ${describeKeys(appeared)}`);
    if (vanished.length > 0) notices.push(`absent from current: ${describeKeys(vanished)}`);
    return { ref: sorted.map((k) => ref.get(k) ?? 0), cur: sorted.map((k) => cur.get(k) ?? 0) };
  }

  /** Bins of a numeric feature for the binned methods, by the configured binning. */
  private binnedCells(method: ConcreteDriftMethod, w: NumericWindow): Cells {
    const p = this.profile;
    if (p.kind !== 'numeric' || this.refCoarse === null) throw new InvalidInputError(CALC, 'unreachable: not numeric');
    if (this.binning === 'quantile') {
      const ref = flatten(this.refCoarse);
      const cur = flatten(coarsen(w.fine, this.factor));
      const keep = ref.map((r, i) => r > 0 || (cur[i] ?? 0) > 0);
      return { ref: ref.filter((_, i) => keep[i]), cur: cur.filter((_, i) => keep[i]) };
    }
    if (p.values === null || w.sorted === null) {
      throw new InvalidInputError(CALC, 'binning "evidently" needs raw current rows, not a sketch');
    }
    if (method === 'hellinger') {
      const distinct = [...new Set([...p.values, ...w.sorted])];
      const edges = sturgesEdges(distinct);
      return { ref: binCounts(p.values, edges).bins.slice(), cur: binCounts(w.sorted, edges).bins.slice() };
    }
    if (this.refValues !== null) return this.categoryCells(w, []);
    const edges = sturgesEdges([...p.values, ...w.sorted]);
    return { ref: binCounts(p.values, edges).bins.slice(), cur: binCounts(w.sorted, edges).bins.slice() };
  }
}

/**
 * Fits a drift method on a reference feature (NannyML style): the reference is frozen — edges, categories,
 * moments — and the returned object compares any number of current windows with it, from raw rows or from
 * stored sketches. Methods needing raw rows for an exact answer: KS (binned KS is a lower bound) and Wasserstein
 * (binned otherwise); `binning: 'evidently'` needs raw rows on both sides. `auto` picks the method per window as
 * Evidently does ({@link selectAutoMethod}); use it for prediction and label drift too (they are features).
 *
 * @param method the method, or `auto`
 * @param reference a stored profile, or raw reference values (profiled with `options`)
 * @param options thresholds, minimum sample size, binning, profile options
 * @returns the fitted, immutable method
 * @throws InsufficientDataError when the reference has no values; InvalidInputError when the method does not
 *   apply to the feature kind or options are out of range
 * @example fitDrift('psi', referenceValues).calculate({ values: currentValues }).score
 */
export function fitDrift(
  method: DriftMethod,
  reference: FeatureProfile | ReadonlyArray<FeatureValue>,
  options: DriftOptions = {}
): FittedDriftMethod {
  const profile = isProfile(reference) ? reference : profileFeature(reference, options);
  assertProfile('fitDrift', profile);
  return new Fitted(method, profile, options);
}
