import type { DriftMethod, ThresholdMode } from '@mlsight/contract';
import { selectAutoMethod, AUTO_DISCRETE_LIMIT, type AutoSelection } from './autoMethod';
import {
  CALIBRATION_SIZE_LIMIT,
  DEFAULT_FALSE_ALARM_RATE,
  discreteSampler,
  effectiveSampleSize,
  resamplesFor,
  sampleSizeClass,
  scaleThreshold,
  seededUniform,
  upperQuantile,
} from './calibration';
import { chiSquareDrift } from './chiSquare';
import { InvalidInputError } from './errors';
import type { FeatureKind, FeatureValue } from './featureKind';
import { hellingerDistance } from './hellinger';
import { ksBinError, wassersteinBinError } from './binnedError';
import { binCounts, coarsen, type BinCounts } from './histogram';
import { jensenShannonDistance } from './jensenShannon';
import { ksFromBinCounts, ksTwoSampleSorted } from './ks';
import { lInfinityDistance } from './lInfinity';
import { assertProfile, profileFeature, type FeatureProfile, type ProfileOptions } from './profile';
import { psiFromCounts } from './psi';
import { toWindow, type DriftSample, type NumericWindow, type Window } from './sample';
import { sturgesEdges } from './sturges';
import {
  DEFAULT_THRESHOLDS,
  exceedsThreshold,
  isPValueMethod,
  resolveThreshold,
  type ConcreteDriftMethod,
  type ThresholdRule,
} from './thresholds';
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
  /**
   * `calibrated` (default): each verdict's threshold is the statistic's (1 − falseAlarmRate) quantile on healthy
   * data of the window's size; `fixed`: Evidently's rules. Setting `threshold` or `thresholds` without a mode means
   * `fixed` (a number you choose is a fixed rule); with `calibrated` it is an error.
   */
  readonly thresholdMode?: ThresholdMode;
  /** Calibrated mode: the probability that a healthy window is flagged (default 0.01), in (0, 0.5). */
  readonly falseAlarmRate?: number;
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
  /**
   * Logarithm base of `jensenshannon` scores (default e, nats, under `auto` and an explicit choice alike: Evidently's
   * scale, on which its 0.1 threshold is defined; 2 gives bits, scipy's range [0, 1]).
   */
  readonly jsBase?: number;
  /**
   * The method the caller asked for when it did not apply to this feature and `method` stands in for it (see
   * {@link applicableMethod}); every result then says so in its notice.
   */
  readonly requestedMethod?: DriftMethod;
  /**
   * Where calibrated null quantiles are kept (default: this fit's own map). Fits of the same reference profile that
   * differ only in what calibration does not depend on — the minimum sample size, the requested method — may share
   * one: entries are keyed by everything a quantile depends on (method, representation, size class, false-alarm
   * rate, binning, jsBase), and each is the same number whichever fit draws it (its seed comes from its key).
   */
  readonly nullQuantileCache?: Map<string, number>;
}

/** The effect size reported beside every score: normalised Wasserstein for numeric, JS (nats) for categorical. */
export type EffectSizeMeasure = 'wasserstein_normed' | 'jensenshannon';

/** One drift verdict. Every method returns this shape. */
export interface DriftResult {
  /** The method that produced the score (what `auto` resolved to). */
  readonly method: ConcreteDriftMethod;
  /**
   * The value compared with the threshold: the p-value for ks/chisquare/ztest, the distance otherwise (JS in nats,
   * as Evidently, unless `jsBase` says otherwise). null only for an empty window.
   */
  readonly score: number | null;
  /** p-value of test methods, null for distances. */
  readonly pValue: number | null;
  /** Test statistic (KS D, Pearson χ², z) of test methods; null for distances. */
  readonly statistic: number | null;
  /**
   * Size of the change, comparable across methods and sample sizes: normalised Wasserstein (shift in reference
   * standard deviations; binned for sketches) for numeric features, Jensen-Shannon distance in nats over the
   * category shares for categorical ones. null only for an empty window.
   */
  readonly effectSize: number | null;
  readonly effectSizeMeasure: EffectSizeMeasure;
  /**
   * The threshold the score was compared with: under `calibrated` the significance level (p-value methods) or the
   * distance a healthy window of this size reaches with probability `falseAlarmRate`; under `fixed` the rule's.
   */
  readonly threshold: number;
  readonly thresholdMode: ThresholdMode;
  /** null when the window or reference is below the minimum sample size: insufficient, not "no drift". */
  readonly drifted: boolean | null;
  readonly referenceN: number;
  readonly currentN: number;
  readonly insufficient: boolean;
  /**
   * For a score computed from binned counts where the method is defined on raw rows (KS, Wasserstein): the largest
   * possible gap to the raw-row value (KS: of the statistic D, which bins can only underestimate; Wasserstein: of
   * the normalised distance). null when the score is exact.
   */
  readonly errorBound: number | null;
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
  /**
   * The fitted state a sketch kernel scores many windows from ({@link fitSketchKernel}): the same settings and the
   * same cached calibrated thresholds `calculate` uses, so both give the same numbers.
   */
  kernelBasis(): KernelBasis;
}

/** A score's representation, which keys its calibrated threshold: category cells, raw rows, or fine-bin counts. */
export type Representation = 'cells' | 'rows' | 'bins';

/** What {@link FittedDriftMethod.kernelBasis} hands a kernel: read-only settings and the fitted thresholds. */
export interface KernelBasis {
  readonly method: DriftMethod;
  readonly profile: FeatureProfile;
  readonly minSampleSize: number;
  readonly binning: Binning;
  /** Fine bins per coarse bin of the binned methods. */
  readonly factor: number;
  readonly jsBase: number;
  readonly thresholdMode: ThresholdMode;
  /** "requested does not apply; method is used instead", or null. */
  readonly substitution: string | null;
  /** The threshold of a window of `n` values scored by `method` on `representation` (calibrated or fixed). */
  threshold(selection: AutoSelection, representation: Representation, n: number): number;
  /** How a score is compared with its threshold. */
  rule(method: ConcreteDriftMethod): ThresholdRule;
}

interface Score {
  readonly score: number;
  readonly pValue: number | null;
  readonly statistic: number | null;
  /** See {@link DriftResult.errorBound}. */
  readonly errorBound?: number;
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

/**
 * Wasserstein-1 distances between a sorted reference and m rows drawn from it with replacement, in O(N) per draw
 * without sorting: drawn rows are reference values, so the drawn CDF is a count per distinct reference value and
 * W1 = Σ |F_ref − F_drawn| · gap between consecutive distinct values (what `wassersteinDistanceSorted` computes).
 */
function referenceWassersteinDraws(sorted: readonly number[], m: number, uniform: () => number): () => number {
  const n = sorted.length;
  const slotOf = new Int32Array(n);
  let slots = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && sorted[i] !== sorted[i - 1]) slots++;
    slotOf[i] = slots;
  }
  slots++;
  // The reference CDF at each distinct value and the gap to the next one, as typed arrays for the hot loop.
  const refCdf = new Float64Array(slots);
  const gaps = new Float64Array(slots);
  for (let i = 0; i < n; i++) {
    const slot = slotOf[i] as number;
    refCdf[slot] = (i + 1) / n;
    if (i + 1 < n && slotOf[i + 1] !== slot) gaps[slot] = (sorted[i + 1] as number) - (sorted[i] as number);
  }
  const counts = new Float64Array(slots);
  return () => {
    counts.fill(0);
    for (let i = 0; i < m; i++) {
      const slot = slotOf[Math.floor(uniform() * n)] as number;
      counts[slot] = (counts[slot] as number) + 1;
    }
    let drawn = 0;
    let sum = 0;
    for (let k = 0; k < slots - 1; k++) {
      drawn += counts[k] as number;
      sum += Math.abs((refCdf[k] as number) - drawn / m) * (gaps[k] as number);
    }
    return sum;
  };
}

/** A 32-bit seed from a string (FNV-1a), so each calibration has its own fixed stream. */
function stringSeed(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
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
  private readonly substitution: string | null;
  private readonly thresholdMode: ThresholdMode;
  private readonly falseAlarmRate: number;
  /** Null quantiles per method, representation and sample-size class: fitted on first use, then reused. */
  private readonly nullQuantiles: Map<string, number>;

  constructor(method: DriftMethod, profile: FeatureProfile, options: DriftOptions) {
    const fn = 'fitDrift';
    this.method = method;
    this.kind = profile.kind;
    this.profile = deepFreeze(copyProfile(profile));
    this.minSampleSize = options.minSampleSize ?? DEFAULT_MIN_SAMPLE_SIZE;
    assertInteger(fn, 'minSampleSize', this.minSampleSize, 1);
    this.binning = options.binning ?? 'quantile';
    this.jsBase = options.jsBase ?? Math.E;
    const requested = options.requestedMethod;
    this.substitution =
      requested !== undefined && requested !== method
        ? `${requested} does not apply to this ${profile.kind} feature; ${method} is used instead`
        : null;
    if (!(this.jsBase > 0) || this.jsBase === 1 || !Number.isFinite(this.jsBase)) {
      throw new InvalidInputError(fn, `jsBase must be a positive number other than 1, got ${this.jsBase}`);
    }
    if (method === 'auto' && options.threshold !== undefined) {
      throw new InvalidInputError(fn, 'auto chooses methods of different scales; set `thresholds` per method instead');
    }
    this.nullQuantiles = options.nullQuantileCache ?? new Map<string, number>();
    this.thresholdOverride = options.threshold;
    this.thresholds = { ...(options.thresholds ?? {}) };
    const overridden = options.threshold !== undefined || Object.keys(this.thresholds).length > 0;
    if (options.thresholdMode === 'calibrated' && overridden) {
      throw new InvalidInputError(
        fn,
        'thresholds are set by falseAlarmRate under thresholdMode "calibrated"; use "fixed"'
      );
    }
    this.thresholdMode = options.thresholdMode ?? (overridden ? 'fixed' : 'calibrated');
    this.falseAlarmRate = options.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE;
    if (!(this.falseAlarmRate > 0 && this.falseAlarmRate < 0.5)) {
      throw new InvalidInputError(fn, `falseAlarmRate must be in (0, 0.5), got ${this.falseAlarmRate}`);
    }
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
    const thresholdMode = this.thresholdMode;
    const threshold = this.thresholdFor(sel, this.representation(w), w.n);
    const effectSizeMeasure: EffectSizeMeasure = this.kind === 'numeric' ? 'wasserstein_normed' : 'jensenshannon';
    const referenceN = this.profile.n;
    // Results are built field by field (no spread of a shared part): a heatmap builds one per feature and bucket,
    // and the spread + freeze was its single most expensive line.
    if (w.n === 0) {
      return Object.freeze({
        method,
        threshold,
        thresholdMode,
        effectSizeMeasure,
        referenceN,
        currentN: 0,
        score: null,
        pValue: null,
        statistic: null,
        effectSize: null,
        drifted: null,
        insufficient: true,
        errorBound: null,
        notice:
          this.substitution === null
            ? 'current window has no values'
            : `${this.substitution}; current window has no values`,
      });
    }
    const notices: string[] = this.substitution === null ? [] : [this.substitution];
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
    const drifted = insufficient ? null : exceedsThreshold(this.rule(method), s.score, threshold);
    return Object.freeze({
      method,
      threshold,
      thresholdMode,
      effectSizeMeasure,
      referenceN,
      currentN: w.n,
      score: s.score,
      pValue: s.pValue,
      statistic: s.statistic,
      effectSize,
      drifted,
      insufficient,
      errorBound: s.errorBound ?? null,
      notice: notices.length > 0 ? notices.join('; ') : null,
    });
  }

  kernelBasis(): KernelBasis {
    return {
      method: this.method,
      profile: this.profile,
      minSampleSize: this.minSampleSize,
      binning: this.binning,
      factor: this.factor,
      jsBase: this.jsBase,
      thresholdMode: this.thresholdMode,
      substitution: this.substitution,
      threshold: (selection, representation, n) =>
        this.thresholdFor({ ...selection, jsBase: this.jsBase }, representation, n),
      rule: (method) => this.rule(method),
    };
  }

  /** The threshold a window of n values is compared with: the fixed rule's, or the calibrated one. */
  private thresholdFor(
    sel: AutoSelection & { readonly jsBase: number },
    representation: Representation,
    n: number
  ): number {
    if (this.thresholdMode === 'fixed') {
      return resolveThreshold(sel.method, this.thresholdOverride ?? this.thresholds[sel.method]);
    }
    return this.calibratedThreshold(sel, representation, n);
  }

  /**
   * The calibrated threshold for a window: the significance level for p-value methods (their p-values are exact or
   * asymptotic under the null), else the distance's (1 − falseAlarmRate) quantile over healthy windows of this size,
   * drawn from the reference ({@link fitNullQuantile}) once per sample-size class and carried to n by the
   * distance's rate. A window below the minimum sample size gets the threshold of the minimum.
   */
  private calibratedThreshold(
    sel: AutoSelection & { readonly jsBase: number },
    representation: Representation,
    windowN: number
  ): number {
    if (isPValueMethod(sel.method)) return this.falseAlarmRate;
    const referenceN = this.profile.n;
    const n = Math.max(windowN, this.minSampleSize);
    const sizeClass = sampleSizeClass(Math.min(n, CALIBRATION_SIZE_LIMIT));
    const key = `${sel.method}:${sel.discrete}:${representation}:${sizeClass}`;
    const fittedN = effectiveSampleSize(sizeClass, referenceN);
    // The seed comes from `key`; the cache key adds the settings a shared cache's fits may differ in.
    const cacheKey = `${key}:${this.falseAlarmRate}:${this.binning}:${this.factor}:${sel.jsBase}:${referenceN}`;
    let quantile = this.nullQuantiles.get(cacheKey);
    if (quantile === undefined) {
      quantile = this.fitNullQuantile(sel, representation, fittedN, key);
      this.nullQuantiles.set(cacheKey, quantile);
    }
    return scaleThreshold(quantile, fittedN, effectiveSampleSize(n, referenceN), sel.method === 'psi' ? 1 : 0.5);
  }

  /**
   * The comparison of a score with its threshold: Evidently's under `fixed`; under `calibrated` p ≤ α for tests
   * and strictly above the null quantile for distances — P(score > q) ≤ α holds for discrete null distributions
   * too (a constant feature's null quantile is 0, and only a real difference exceeds it).
   */
  private rule(method: ConcreteDriftMethod): ThresholdRule {
    if (this.thresholdMode === 'fixed') return DEFAULT_THRESHOLDS[method].rule;
    return isPValueMethod(method) ? 'p_at_or_below' : 'above';
  }

  /** How a window's score is computed: from category cells, from raw rows (values), or from fine-bin counts. */
  private representation(w: Window): Representation {
    if (w.kind === 'categorical') return 'cells';
    if (this.refValues !== null) return 'rows';
    return this.profile.kind === 'numeric' && this.profile.values !== null && w.sorted !== null ? 'rows' : 'bins';
  }

  /**
   * The (1 − falseAlarmRate) quantile of the score over healthy windows of effective size m: windows drawn from
   * the reference (rows with replacement, or multinomial counts on its categories or fine bins) with a seed fixed
   * by the key, scored exactly as a real window of that representation is. Drawing m = n·N/(n + N) rows reproduces
   * the spread of a healthy n-row window against an N-row reference (both sides are samples).
   */
  private fitNullQuantile(
    sel: AutoSelection & { readonly jsBase: number },
    representation: Representation,
    m: number,
    key: string
  ): number {
    const uniform = seededUniform(stringSeed(key));
    const resamples = resamplesFor(this.falseAlarmRate);
    const scores = new Float64Array(resamples);
    const p = this.profile;
    if (sel.method === 'wasserstein' && representation === 'rows' && p.kind === 'numeric' && p.values !== null) {
      const draw = referenceWassersteinDraws(p.values, m, uniform);
      const norm = Math.max(p.std, WASSERSTEIN_MIN_STD);
      for (let k = 0; k < resamples; k++) scores[k] = draw() / norm;
    } else {
      const draw = this.windowDrawer(representation, m, uniform);
      for (let k = 0; k < resamples; k++) scores[k] = this.score(sel, draw(), []).score;
    }
    return upperQuantile(scores, this.falseAlarmRate);
  }

  private windowDrawer(representation: Representation, m: number, uniform: () => number): () => Window {
    const p = this.profile;
    if (p.kind === 'categorical') {
      const keys = [...this.refCategories.keys()];
      const next = discreteSampler([...this.refCategories.values()], uniform);
      return () => {
        const counts = new Map<string, number>();
        for (let i = 0; i < m; i++) {
          const k = keys[next()] ?? '';
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        return { kind: 'categorical', n: m, missing: 0, counts };
      };
    }
    if (representation === 'rows') {
      const pool = p.values ?? null;
      const distinct = this.refValues === null ? [] : [...this.refValues.keys()];
      const next = pool === null ? discreteSampler([...(this.refValues?.values() ?? [])], uniform) : null;
      return () => {
        const values = new Array<number>(m);
        for (let i = 0; i < m; i++) {
          values[i] = pool === null ? (distinct[next?.() ?? 0] ?? 0) : (pool[Math.floor(uniform() * pool.length)] ?? 0);
        }
        return toWindow(CALC, p, { values });
      };
    }
    const cells = flatten(p.binCounts);
    const next = discreteSampler(cells, uniform);
    return () => {
      const counts = new Float64Array(cells.length);
      for (let i = 0; i < m; i++) {
        const cell = next();
        counts[cell] = (counts[cell] ?? 0) + 1;
      }
      const fine: BinCounts = {
        below: counts[0] ?? 0,
        bins: Array.from(counts.subarray(1, -1)),
        above: counts[counts.length - 1] ?? 0,
      };
      return { kind: 'numeric', n: m, missing: 0, sorted: null, fine, valueCounts: null };
    };
  }

  /** The concrete method and whether it compares category cells; `auto` follows Evidently. */
  private select(w: Window): AutoSelection & { readonly jsBase: number } {
    if (this.method !== 'auto') {
      const discrete = this.kind === 'categorical' || DISCRETE_ONLY.includes(this.method);
      return { method: this.method, discrete, jsBase: this.jsBase };
    }
    const selection = selectAutoMethod(this.kind, this.profile.n, this.distinctValues(w));
    return { ...selection, jsBase: this.jsBase };
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
      const score = this.numericEffect(w);
      if (this.exactNumeric(w)) return { score, pValue: null, statistic: null };
      const p = this.profile;
      const errorBound =
        p.kind === 'numeric'
          ? wassersteinBinError(p.edges, p.binCounts, w.fine) / Math.max(p.std, WASSERSTEIN_MIN_STD)
          : 0;
      notices.push(`Wasserstein from binned counts (approximate, within ${errorBound.toPrecision(2)})`);
      return { score, pValue: null, statistic: null, errorBound };
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
    const r = ksFromBinCounts(p.binCounts, w.fine);
    const errorBound = ksBinError(p.binCounts, w.fine);
    notices.push(
      `KS from binned counts: the statistic is a lower bound of the raw-row KS, at most ${errorBound.toPrecision(2)} below it`
    );
    return { score: r.pValue, pValue: r.pValue, statistic: r.statistic, errorBound };
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
    return jensenShannonDistance(cells.ref, cells.cur, Math.E);
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
