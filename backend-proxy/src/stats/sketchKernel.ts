import { AUTO_DISCRETE_LIMIT, selectAutoMethod, type AutoSelection } from './autoMethod';
import { chiSquareSf } from './gamma';
import { DRIFTED_NULL, DriftColumns, methodCode } from './driftColumns';
import type { FittedDriftMethod, KernelBasis, Representation } from './driftMethod';
import { coarsen } from './histogram';
import { ksLatticePValue } from './ksLatticePValue';
import { normalSf } from './normal';
import { PSI_EPSILON } from './proportions';
import { exceedsThreshold, isPValueMethod, type ThresholdRule } from './thresholds';
import { WASSERSTEIN_MIN_STD } from './wasserstein';

/**
 * A fitted drift method prepared to score many stored sketches: everything `calculate` derives from the reference
 * on each call — the method `auto` resolves to, the reference's cumulative shares on the fine and coarse bins, bin
 * widths, totals, the category order — is computed once, and each window is scored from its counts straight into
 * typed {@link DriftColumns}: no result object, no freeze, no notice string and no `await` per cell. The numbers are
 * `calculate`'s, operation for operation (the unit test compares them over random sketches for every method).
 *
 * The counts are a window's stored layout: numeric `[below, fine bins…, above]` on the profile's fine edges,
 * categorical one count per reference category, in the profile's order. A window the kernel does not cover (see
 * {@link SketchKernel.covers}: a categorical window with unseen categories, a method that needs value counts or raw
 * rows) is the caller's to score with `calculate`.
 */
export interface SketchKernel {
  /** False when no window can be scored here (the fitted method needs what sketches do not have). */
  readonly covers: boolean;
  /**
   * Scores one window into cell `cell` of `out`.
   * @returns false when the counts are not ones it can score (wrong length, a negative or non-finite count, totals
   *   chi-square refuses): the caller then writes the cell with `calculate`, which reports the problem
   */
  score(counts: ArrayLike<number>, out: DriftColumns, cell: number): boolean;
}

/** How cells compare with the reference: fine bins (KS, Wasserstein), coarse bins, or sorted category cells. */
type Layout = 'fine' | 'coarse' | 'categories';

const KERNELS = new WeakMap<FittedDriftMethod, SketchKernel>();

/**
 * The kernel of a fitted method, built once per fitted method (which is itself cached per reference column and
 * query options), so its calibrated thresholds and reference arrays serve every query after the first.
 * @param fitted the fitted drift method
 * @returns its kernel
 * @example fitSketchKernel(fitted).score(bucket.counts, columns, 0)
 */
export function fitSketchKernel(fitted: FittedDriftMethod): SketchKernel {
  let kernel = KERNELS.get(fitted);
  if (!kernel) {
    kernel = new Kernel(fitted.kernelBasis());
    KERNELS.set(fitted, kernel);
  }
  return kernel;
}

/** Mean of |f| over an interval on which f is linear from a to b (as the histogram Wasserstein computes it). */
function linearAbsMean(a: number, b: number): number {
  if ((a >= 0 && b >= 0) || (a <= 0 && b <= 0)) return (Math.abs(a) + Math.abs(b)) / 2;
  return (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b)));
}

class Kernel implements SketchKernel {
  readonly covers: boolean;
  private readonly basis: KernelBasis;
  private readonly selection: AutoSelection;
  private readonly code: number;
  private readonly rule: ThresholdRule;
  private readonly representation: Representation;
  private readonly layout: Layout;
  private readonly notice: string | null;
  private readonly fixedThreshold: number | null;
  /** Calibrated thresholds by window size: the same number as the basis gives, without its key per call. */
  private readonly thresholds = new Map<number, number>();
  private readonly referenceN: number;
  /** Length of the counts a window must have. */
  private readonly size: number;
  // Numeric: the fine edges' widths and the reference's shares and cumulative shares on them.
  private readonly widths: Float64Array;
  private readonly refTotal: number;
  /** KS: count ≤ edge k over n (k = 0 is the lower tail). */
  private readonly refKsCdf: Float64Array;
  /** Wasserstein: the reference CDF at each edge, accumulated share by share as the histogram distance does. */
  private readonly refWCdf: Float64Array;
  private readonly refFineShare: Float64Array;
  private readonly refMaxShare: number;
  private readonly norm: number;
  // Coarse bins or category cells: the reference counts and proportions in cell order.
  private readonly factor: number;
  private readonly cellOrder: Int32Array;
  private readonly refCells: Float64Array;
  private readonly refPsiProp: Float64Array;
  private readonly curCells: Float64Array;
  /** The reference cell of each kept cell (categories: all of them, in sorted order). */
  private readonly keptCells: Int32Array;
  /** Two numbers back from a test without an object: [statistic, p-value]. */
  private readonly ks = new Float64Array(2);

  constructor(basis: KernelBasis) {
    this.basis = basis;
    const p = basis.profile;
    this.referenceN = p.n;
    const selection = Kernel.selection(basis);
    this.covers = selection !== null && basis.binning === 'quantile';
    this.selection = selection ?? { method: 'psi', discrete: false };
    const method = this.selection.method;
    this.code = methodCode(method);
    this.rule = basis.rule(method);
    this.notice = basis.substitution;
    if (p.kind === 'categorical') {
      this.representation = 'cells';
      this.layout = 'categories';
      const order = p.categoryCounts.map((_, i) => i);
      const key = (i: number) => p.categoryCounts[i]?.[0] ?? '';
      order.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      this.cellOrder = Int32Array.from(order);
      this.refCells = Float64Array.from(order, (i) => p.categoryCounts[i]?.[1] ?? 0);
      this.size = p.categoryCounts.length;
      this.factor = 1;
      this.widths = new Float64Array(0);
      this.refKsCdf = this.widths;
      this.refWCdf = this.widths;
      this.refFineShare = this.widths;
      this.refMaxShare = 0;
      this.norm = 1;
    } else {
      this.representation = p.valueCounts !== null ? 'rows' : 'bins';
      this.layout = method === 'ks' || method === 'wasserstein' ? 'fine' : 'coarse';
      const edges = p.edges;
      const nFine = edges.length - 1;
      this.size = nFine + 2;
      this.widths = Float64Array.from({ length: nFine }, (_, i) => (edges[i + 1] ?? 0) - (edges[i] ?? 0));
      const ref = p.binCounts;
      let nr = ref.below + ref.above;
      for (const c of ref.bins) nr += c;
      // KS and the histogram distance divide by this total (as binTotal sums it).
      this.refKsCdf = new Float64Array(nFine + 1);
      this.refWCdf = new Float64Array(nFine + 1);
      this.refFineShare = new Float64Array(nFine);
      let c1 = ref.below;
      let fr = ref.below / nr;
      let maxShare = Math.max(ref.below / nr, ref.above / nr);
      this.refKsCdf[0] = c1 / nr;
      this.refWCdf[0] = fr;
      for (let i = 0; i < nFine; i++) {
        const r = ref.bins[i] ?? 0;
        c1 += r;
        fr += r / nr;
        this.refKsCdf[i + 1] = c1 / nr;
        this.refWCdf[i + 1] = fr;
        this.refFineShare[i] = r / nr;
        maxShare = Math.max(maxShare, r / nr);
      }
      this.refMaxShare = maxShare;
      this.norm = Math.max(p.std, WASSERSTEIN_MIN_STD);
      this.factor = basis.factor;
      const coarse = coarsen(ref, this.factor);
      this.refCells = Float64Array.from([coarse.below, ...coarse.bins, coarse.above]);
      this.cellOrder = Int32Array.from(this.refCells, (_, i) => i);
    }
    let total = 0;
    for (const c of this.refCells) total += c;
    // Integer counts: every order of summation gives this same total.
    this.refTotal = total;
    const refProp = Float64Array.from(this.refCells, (c) => c / total);
    // PSI fills empty reference cells as Evidently does (the smallest non-zero share decides the fill).
    let minNonZero = Infinity;
    for (const v of refProp) if (v !== 0 && v < minNonZero) minNonZero = v;
    const fill = minNonZero <= PSI_EPSILON ? minNonZero / 10 ** 6 : PSI_EPSILON;
    this.refPsiProp = Float64Array.from(refProp, (v) => (v === 0 ? fill : v));
    this.curCells = new Float64Array(this.refCells.length);
    this.keptCells = Int32Array.from(this.refCells, (_, i) => i);
    const fixed = this.covers && basis.thresholdMode === 'fixed';
    this.fixedThreshold = fixed ? basis.threshold(this.selection, this.representation, 0) : null;
  }

  /**
   * The method every sketch window of this fit is scored with, or null when it can vary per window or needs what a
   * sketch lacks: a numeric feature compared by value (≤ 5 distinct reference values, or chi-square / Z on values),
   * or a categorical reference with an empty or repeated category (`calculate` reports those).
   */
  private static selection(basis: KernelBasis): AutoSelection | null {
    const p = basis.profile;
    if (p.kind === 'categorical') {
      const names = new Set(p.categoryCounts.map(([k]) => k));
      if (names.size !== p.categoryCounts.length || p.categoryCounts.some(([, c]) => !(c > 0))) return null;
      // With no unseen category in the window, reference ∪ current is the reference's categories.
      if (basis.method === 'auto') return selectAutoMethod('categorical', p.n, names.size);
      return { method: basis.method, discrete: true };
    }
    const fewValues = p.valueCounts !== null && p.valueCounts.length <= AUTO_DISCRETE_LIMIT;
    if (basis.method === 'auto') {
      return fewValues ? null : selectAutoMethod('numeric', p.n, AUTO_DISCRETE_LIMIT + 1);
    }
    if (basis.method === 'chisquare' || basis.method === 'ztest') return null;
    return { method: basis.method, discrete: false };
  }

  score(counts: ArrayLike<number>, out: DriftColumns, cell: number): boolean {
    if (!this.covers || counts.length !== this.size) return false;
    let n = 0;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i] as number;
      if (!(c >= 0) || !Number.isFinite(c)) return false;
      n += c;
    }
    const method = this.selection.method;
    const threshold = this.fixedThreshold ?? this.calibrated(n);
    out.methodCode[cell] = this.code;
    out.threshold[cell] = threshold;
    out.currentN[cell] = n;
    out.thresholdMode = this.basis.thresholdMode;
    out.referenceN = this.referenceN;
    out.effectSizeMeasure = this.basis.profile.kind === 'numeric' ? 'wasserstein_normed' : 'jensenshannon';
    if (this.notice !== null) out.notices.add(this.notice);
    if (n === 0) {
      out.score[cell] = Number.NaN;
      out.pValue[cell] = Number.NaN;
      out.statistic[cell] = Number.NaN;
      out.effectSize[cell] = Number.NaN;
      out.errorBound[cell] = Number.NaN;
      out.drifted[cell] = DRIFTED_NULL;
      return true;
    }
    let score: number;
    let pValue = Number.NaN;
    let statistic = Number.NaN;
    let errorBound = Number.NaN;
    let effectSize: number;
    if (this.layout === 'fine') {
      const w = this.wasserstein(counts, n);
      effectSize = w;
      if (method === 'ks') {
        this.ksFromBins(counts, n);
        statistic = this.ks[0] as number;
        pValue = this.ks[1] as number;
        score = pValue;
        errorBound = this.ksBinError(counts, n);
      } else {
        score = w;
        errorBound = this.wassersteinBinError(counts, n);
      }
    } else {
      const cells = this.fillCells(counts);
      effectSize = this.layout === 'coarse' ? this.wasserstein(counts, n) : Number.NaN;
      switch (method) {
        case 'chisquare': {
          if (cells < 2) {
            score = 1;
            pValue = 1;
            statistic = 0;
            break;
          }
          const stat = this.chiSquare(cells, n);
          if (stat === null) return false;
          statistic = stat;
          pValue = stat === Infinity ? 0 : chiSquareSf(stat, cells - 1);
          score = pValue;
          break;
        }
        case 'ztest': {
          this.zTest(n);
          statistic = this.ks[0] as number;
          pValue = this.ks[1] as number;
          score = pValue;
          break;
        }
        case 'psi':
          score = this.psi(cells, n);
          break;
        case 'jensenshannon':
          score = this.jensenShannon(cells, n, this.basis.jsBase);
          break;
        case 'hellinger':
          score = this.hellinger(cells, n);
          break;
        case 'linf':
          score = this.lInfinity(cells, n);
          break;
        default:
          return false;
      }
      if (this.layout === 'categories') {
        effectSize =
          method === 'jensenshannon' && this.basis.jsBase === Math.E ? score : this.jensenShannon(cells, n, Math.E);
      }
    }
    out.score[cell] = score;
    out.pValue[cell] = isPValueMethod(method) ? pValue : Number.NaN;
    out.statistic[cell] = statistic;
    out.effectSize[cell] = effectSize;
    out.errorBound[cell] = errorBound;
    const insufficient = n < this.basis.minSampleSize || this.referenceN < this.basis.minSampleSize;
    out.drifted[cell] = insufficient ? DRIFTED_NULL : exceedsThreshold(this.rule, score, threshold) ? 1 : 0;
    return true;
  }

  private calibrated(n: number): number {
    let t = this.thresholds.get(n);
    if (t === undefined) {
      t = this.basis.threshold(this.selection, this.representation, n);
      this.thresholds.set(n, t);
    }
    return t;
  }

  /** Histogram Wasserstein on the fine edges over the normaliser (`histogramWassersteinOnValidEdges` / norm). */
  private wasserstein(counts: ArrayLike<number>, nc: number): number {
    const widths = this.widths;
    const refCdf = this.refWCdf;
    let fc = (counts[0] as number) / nc;
    let sum = 0;
    for (let i = 0; i < widths.length; i++) {
      const width = widths[i] as number;
      const a = (refCdf[i] as number) - fc;
      fc += (counts[i + 1] as number) / nc;
      const b = (refCdf[i + 1] as number) - fc;
      if (width > 0) sum += width * linearAbsMean(a, b);
    }
    return sum / this.norm;
  }

  /** `wassersteinBinError` over the normaliser. */
  private wassersteinBinError(counts: ArrayLike<number>, nc: number): number {
    const widths = this.widths;
    let bound = 0;
    for (let i = 0; i < widths.length; i++) {
      bound += (widths[i] as number) * ((this.refFineShare[i] as number) + (counts[i + 1] as number) / nc);
    }
    return bound / this.norm;
  }

  /** `ksFromBinCounts`: the largest CDF gap at the edges, then its p-value (memoised where exact). */
  private ksFromBins(counts: ArrayLike<number>, n2: number): void {
    const cdf = this.refKsCdf;
    let c2 = counts[0] as number;
    let d = Math.abs((cdf[0] as number) - c2 / n2);
    for (let i = 1; i < cdf.length; i++) {
      c2 += counts[i] as number;
      d = Math.max(d, Math.abs((cdf[i] as number) - c2 / n2));
    }
    ksLatticePValue(this.refTotal, n2, Math.min(1, d), this.ks);
  }

  /** `ksBinError`: the largest share of one bin on either side, tails included. */
  private ksBinError(counts: ArrayLike<number>, nc: number): number {
    let bound = this.refMaxShare;
    for (let i = 0; i < counts.length; i++) bound = Math.max(bound, (counts[i] as number) / nc);
    return Math.min(1, bound);
  }

  /**
   * The window's counts on the compared cells (coarse bins, or categories in sorted order) into `curCells`, and the
   * reference cell of each into `keptCells`, leaving out the cells empty on both sides as `calculate` does.
   * @returns the number of cells kept
   */
  private fillCells(counts: ArrayLike<number>): number {
    const cur = this.curCells;
    if (this.layout === 'categories') {
      // The reference has no empty category, so every category is kept.
      for (let k = 0; k < cur.length; k++) cur[k] = counts[this.cellOrder[k] as number] as number;
      return cur.length;
    }
    const f = this.factor;
    const last = counts.length - 1;
    const cells = this.refCells.length;
    let kept = 0;
    for (let k = 0; k < cells; k++) {
      let c: number;
      if (k === 0) c = counts[0] as number;
      else if (k === cells - 1) c = counts[last] as number;
      else {
        c = 0;
        const from = 1 + (k - 1) * f;
        for (let j = from; j < from + f; j++) c += counts[j] as number;
      }
      if ((this.refCells[k] as number) > 0 || c > 0) {
        cur[kept] = c;
        this.keptCells[kept] = k;
        kept++;
      }
    }
    return kept;
  }

  /** Reference cell of kept cell k. */
  private cellAt(k: number): number {
    return this.keptCells[k] as number;
  }

  /** Pearson's statistic of `chiSquareDrift`, or null when the totals disagree (calculate throws there). */
  private chiSquare(cells: number, nCur: number): number | null {
    const nRef = this.refTotal;
    const kNorm = nCur / nRef;
    let se = 0;
    for (let k = 0; k < cells; k++) se += (this.refCells[this.cellAt(k)] as number) * kNorm;
    if (!(Math.abs(nCur - se) / Math.min(nCur, se) <= Math.sqrt(Number.EPSILON))) return null;
    let statistic = 0;
    for (let k = 0; k < cells; k++) {
      const o = this.curCells[k] as number;
      const e = (this.refCells[this.cellAt(k)] as number) * kNorm;
      statistic += e === 0 ? Infinity : (o - e) ** 2 / e;
    }
    return statistic;
  }

  /** `zTestDrift`: the first cell against the rest, pooled variance; z and p into `this.ks`. */
  private zTest(n2: number): void {
    const n1 = this.refTotal;
    const p1 = (n1 - (this.refCells[this.cellAt(0)] as number)) / n1;
    const p2 = (n2 - (this.curCells[0] as number)) / n2;
    const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
    const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
    if (variance === 0) {
      this.ks[0] = 0;
      this.ks[1] = 1;
      return;
    }
    const z = (p1 - p2) / Math.sqrt(variance);
    this.ks[0] = z;
    this.ks[1] = 2 * normalSf(Math.abs(z));
  }

  /** `psiFromCounts` with Evidently's fill of empty cells. */
  private psi(cells: number, nc: number): number {
    let minNonZero = Infinity;
    for (let k = 0; k < cells; k++) {
      const v = (this.curCells[k] as number) / nc;
      if (v !== 0 && v < minNonZero) minNonZero = v;
    }
    const fill = minNonZero <= PSI_EPSILON ? minNonZero / 10 ** 6 : PSI_EPSILON;
    let s = 0;
    for (let k = 0; k < cells; k++) {
      const r = this.refPsiProp[this.cellAt(k)] as number;
      const v = (this.curCells[k] as number) / nc;
      const c = v === 0 ? fill : v;
      s += (r - c) * Math.log(r / c);
    }
    return s;
  }

  /** `jensenShannonDistance` of the kept cells in `base`. */
  private jensenShannon(cells: number, sq: number, base: number): number {
    const sp = this.refTotal;
    let left = 0;
    let right = 0;
    for (let k = 0; k < cells; k++) {
      const a = (this.refCells[this.cellAt(k)] as number) / sp;
      const b = (this.curCells[k] as number) / sq;
      const m = (a + b) / 2;
      if (a > 0) left += a * Math.log(a / m);
      if (b > 0) right += b * Math.log(b / m);
    }
    let js = left + right;
    if (base !== Math.E) js /= Math.log(base);
    return Math.sqrt(Math.max(js / 2, 0));
  }

  /** `hellingerDistance` of the kept cells. */
  private hellinger(cells: number, sq: number): number {
    const sp = this.refTotal;
    let bc = 0;
    for (let k = 0; k < cells; k++) {
      bc += Math.sqrt(((this.refCells[this.cellAt(k)] as number) / sp) * ((this.curCells[k] as number) / sq));
    }
    return Math.sqrt(1 - Math.min(1, Math.max(0, bc)));
  }

  /** `lInfinityDistance` of the kept cells. */
  private lInfinity(cells: number, sq: number): number {
    const sp = this.refTotal;
    let d = 0;
    for (let k = 0; k < cells; k++) {
      d = Math.max(d, Math.abs((this.refCells[this.cellAt(k)] as number) / sp - (this.curCells[k] as number) / sq));
    }
    return d;
  }
}
