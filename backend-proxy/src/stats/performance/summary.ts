import { calibrationBin, CALIBRATION_BINS } from './calibration';
import { type ClassLabel, toClassLabel } from './labels';
import { positiveScore } from './positiveScore';

/**
 * Fine bins of the score histograms ROC AUC is computed from: bin b holds scores in [b/2048, (b+1)/2048), the last
 * one also 1. Two scores in different bins keep their order, so a binned AUC is off only by pairs of a positive and
 * a negative in one bin (see `binnedRocAuc`).
 */
export const AUC_BINS = 2048;

/**
 * Distinct classes (and distinct integer labels, numeric predictions) a bucket summary tracks; beyond that it is
 * marked `overflow` and classification queries over it read raw rows (a label this varied is regression anyway).
 */
export const SUMMARY_CLASS_CAP = 100;

/** Machine epsilon of float64, the clip of scikit-learn's `log_loss` (as `logLoss`). */
const EPS = 2 ** -52;
const negLog = (p: number) => -Math.log(Math.min(Math.max(p, EPS), 1 - EPS));

/** The histogram bin of a score in [0, 1]. */
export function aucBin(p: number): number {
  return p >= 1 ? AUC_BINS - 1 : Math.floor(p * AUC_BINS);
}

/** One labelled row as the store returns it (`LabeledPrediction`'s label, prediction and score). */
export interface SummaryRow {
  readonly label: unknown;
  readonly prediction: unknown;
  readonly score: number | readonly number[] | null;
}

/** Binary scores of the rows with one label class: what log loss, ECE and ROC AUC of a binary problem need. */
export interface BinaryStats {
  n: number;
  /** Σ −ln clip(p) and Σ −ln clip(1 − p): the loss when this class is the positive one, and when it is not. */
  logPositive: number;
  logNegative: number;
  /** Per calibration bin: rows and Σ p. */
  eceCount: Float64Array;
  eceSum: Float64Array;
  /** Rows per AUC bin of p. */
  hist: Float64Array;
}

/** Score arrays of one width and the rows with one label class: per column k Σ −ln clip(p_k) and a histogram of p_k. */
export interface MulticlassStats {
  n: number;
  logLoss: Float64Array;
  hist: Float64Array[];
}

/** Regression sums of the rows with a numeric label and prediction; the label's mean and M2 merge by Chan et al. */
export interface RegressionStats {
  n: number;
  sumAbs: number;
  sumSq: number;
  sumApe: number;
  meanY: number;
  m2Y: number;
}

export const classKey = (c: ClassLabel): string => (typeof c === 'number' ? `n${c}` : `s${c}`);
export const classOfKey = (key: string): ClassLabel => (key.startsWith('n') ? Number(key.slice(1)) : key.slice(1));

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

export function emptyBinary(): BinaryStats {
  return {
    n: 0,
    logPositive: 0,
    logNegative: 0,
    eceCount: new Float64Array(CALIBRATION_BINS),
    eceSum: new Float64Array(CALIBRATION_BINS),
    hist: new Float64Array(AUC_BINS),
  };
}

export function emptyMulticlass(width: number): MulticlassStats {
  return {
    n: 0,
    logLoss: new Float64Array(width),
    hist: Array.from({ length: width }, () => new Float64Array(AUC_BINS)),
  };
}

const addArray = (into: Float64Array, from: ArrayLike<number>, sign: number) => {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) + sign * (from[i] ?? 0);
};

/**
 * Sufficient statistics of realised performance over one bucket of labelled rows: everything `evaluateClassification`
 * and `evaluateRegression` (and the window's problem and class set) need, as sums that add when buckets merge and
 * subtract when a label is replaced. Exact for every metric but ROC AUC, which comes from `AUC_BINS` score bins.
 */
export class PerformanceSummary {
  /** Rows with a class label (`toClassLabel` not null): classification's labelled rows. */
  labelled = 0;
  /** Rows with a finite numeric label: regression's labelled rows. */
  numericLabelled = 0;
  /** For `problemOf`: labels that are not numbers, numbers that are not integers, integer labels by value. */
  nonNumericLabels = 0;
  nonIntegerLabels = 0;
  readonly integerLabels = new Map<number, number>();
  readonly numericPredictions = new Map<number, number>();
  /** Occurrences of each class among labels and predictions, by `classKey`. */
  readonly classes = new Map<string, number>();
  /** Rows per score-array width (the window's widest decides binary or multiclass). */
  readonly widths = new Map<number, number>();
  /** More than SUMMARY_CLASS_CAP distinct classes, integer labels or numeric predictions were seen. */
  overflow = false;
  /** (label, prediction) class pairs, key `classKey(label) \u0000 classKey(prediction)`. */
  readonly pairs = new Map<string, number>();
  /** Binary scores by label class key. */
  readonly binary = new Map<string, BinaryStats>();
  /** Labelled rows whose positive-class score is outside [0, 1] or not a number (the metrics refuse them). */
  badBinary = 0;
  /** Labelled rows with a scalar score (a multiclass window cannot use them). */
  scalarScores = 0;
  /** Score arrays by `${width}\u0000${classKey(label)}`. */
  readonly multiclass = new Map<string, MulticlassStats>();
  /** Labelled rows with a score array holding a value outside [0, 1] or not a number. */
  badMulticlass = 0;
  readonly regression: RegressionStats = { n: 0, sumAbs: 0, sumSq: 0, sumApe: 0, meanY: 0, m2Y: 0 };

  get empty(): boolean {
    return this.labelled === 0 && this.numericLabelled === 0;
  }

  private countClass(c: ClassLabel, sign: number): void {
    const key = classKey(c);
    if (!this.classes.has(key) && this.classes.size >= SUMMARY_CLASS_CAP) {
      this.overflow = true;
      return;
    }
    bump(this.classes, key, sign);
  }

  private capped(map: Map<number, number>, key: number, sign: number): void {
    if (!map.has(key) && map.size >= SUMMARY_CLASS_CAP) this.overflow = true;
    else bump(map, key, sign);
  }

  /** Adds (sign 1) or removes (sign −1) one labelled row. */
  add(row: SummaryRow, sign = 1): void {
    const rawLabel = row.label;
    if (rawLabel !== null && rawLabel !== undefined) {
      if (typeof rawLabel !== 'number') this.nonNumericLabels += sign;
      else if (!Number.isInteger(rawLabel)) this.nonIntegerLabels += sign;
      else this.capped(this.integerLabels, rawLabel, sign);
    }
    if (typeof row.prediction === 'number') this.capped(this.numericPredictions, row.prediction, sign);
    if (Array.isArray(row.score)) bump(this.widths, row.score.length, sign);
    const label = toClassLabel(rawLabel);
    const prediction = toClassLabel(row.prediction);
    if (prediction !== null) this.countClass(prediction, sign);
    if (label !== null) {
      this.countClass(label, sign);
      this.addClassified(label, prediction, row.score, sign);
    }
    if (typeof rawLabel === 'number' && Number.isFinite(rawLabel)) {
      this.numericLabelled += sign;
      if (typeof row.prediction === 'number' && Number.isFinite(row.prediction)) {
        this.addRegression(rawLabel, row.prediction, sign);
      }
    }
  }

  private addClassified(
    label: ClassLabel,
    prediction: ClassLabel | null,
    score: number | readonly number[] | null,
    sign: number
  ): void {
    this.labelled += sign;
    if (this.overflow) return;
    const key = classKey(label);
    if (prediction !== null) bump(this.pairs, `${key}\u0000${classKey(prediction)}`, sign);
    const p = positiveScore(score);
    if (p !== null) {
      if (!(p >= 0 && p <= 1)) this.badBinary += sign;
      else {
        let stats = this.binary.get(key);
        if (!stats) this.binary.set(key, (stats = emptyBinary()));
        stats.n += sign;
        stats.logPositive += sign * negLog(p);
        stats.logNegative += sign * negLog(1 - p);
        const bin = calibrationBin(p);
        stats.eceCount[bin] = (stats.eceCount[bin] as number) + sign;
        stats.eceSum[bin] = (stats.eceSum[bin] as number) + sign * p;
        const fine = aucBin(p);
        stats.hist[fine] = (stats.hist[fine] as number) + sign;
      }
    }
    if (typeof score === 'number') this.scalarScores += sign;
    else if (score !== null) {
      if (!score.every((v) => v >= 0 && v <= 1)) {
        this.badMulticlass += sign;
        return;
      }
      const slot = `${score.length}\u0000${key}`;
      let stats = this.multiclass.get(slot);
      if (!stats) this.multiclass.set(slot, (stats = emptyMulticlass(score.length)));
      stats.n += sign;
      for (let k = 0; k < score.length; k++) {
        const v = score[k] as number;
        stats.logLoss[k] = (stats.logLoss[k] as number) + sign * negLog(v);
        const h = stats.hist[k] as Float64Array;
        const fine = aucBin(v);
        h[fine] = (h[fine] as number) + sign;
      }
    }
  }

  private addRegression(y: number, yHat: number, sign: number): void {
    const r = this.regression;
    const e = Math.abs(y - yHat);
    r.sumAbs += sign * e;
    r.sumSq += sign * e * e;
    r.sumApe += (sign * e) / Math.max(Math.abs(y), EPS);
    mergeMoments(r, sign, y, 0);
  }

  /**
   * Adds (sign 1) or subtracts another summary. `histograms: false` leaves the score histograms out (and their
   * accumulators empty): what a window's problem, classes and reliability curve need, at a fraction of the cost.
   */
  merge(other: PerformanceSummary, sign = 1, { histograms = true }: { histograms?: boolean } = {}): void {
    this.labelled += sign * other.labelled;
    this.numericLabelled += sign * other.numericLabelled;
    this.nonNumericLabels += sign * other.nonNumericLabels;
    this.nonIntegerLabels += sign * other.nonIntegerLabels;
    this.overflow ||= other.overflow;
    for (const [k, v] of other.integerLabels) this.capped(this.integerLabels, k, sign * v);
    for (const [k, v] of other.numericPredictions) this.capped(this.numericPredictions, k, sign * v);
    for (const [k, v] of other.classes) {
      if (!this.classes.has(k) && this.classes.size >= SUMMARY_CLASS_CAP) this.overflow = true;
      else bump(this.classes, k, sign * v);
    }
    for (const [k, v] of other.widths) bump(this.widths, k, sign * v);
    this.badBinary += sign * other.badBinary;
    this.scalarScores += sign * other.scalarScores;
    this.badMulticlass += sign * other.badMulticlass;
    if (!this.overflow) {
      for (const [k, v] of other.pairs) bump(this.pairs, k, sign * v);
      for (const [k, s] of other.binary) {
        let mine = this.binary.get(k);
        if (!mine) this.binary.set(k, (mine = emptyBinary()));
        mine.n += sign * s.n;
        mine.logPositive += sign * s.logPositive;
        mine.logNegative += sign * s.logNegative;
        addArray(mine.eceCount, s.eceCount, sign);
        addArray(mine.eceSum, s.eceSum, sign);
        if (histograms) addArray(mine.hist, s.hist, sign);
      }
      for (const [k, s] of other.multiclass) {
        let mine = this.multiclass.get(k);
        if (!mine) this.multiclass.set(k, (mine = emptyMulticlass(s.logLoss.length)));
        mine.n += sign * s.n;
        addArray(mine.logLoss, s.logLoss, sign);
        if (histograms) mine.hist.forEach((h, i) => addArray(h, s.hist[i] as Float64Array, sign));
      }
    } else {
      this.pairs.clear();
      this.binary.clear();
      this.multiclass.clear();
    }
    const r = this.regression;
    const o = other.regression;
    r.sumAbs += sign * o.sumAbs;
    r.sumSq += sign * o.sumSq;
    r.sumApe += sign * o.sumApe;
    mergeMoments(r, sign * o.n, o.meanY, sign * o.m2Y);
  }
}

/**
 * Adds `n` values of mean `mean` and sum of squared deviations `m2` to running moments (Chan, Golub & LeVeque 1979,
 * "Updating formulae and a pairwise algorithm for computing sample variances"); a negative `n` removes them.
 */
function mergeMoments(r: RegressionStats, n: number, mean: number, m2: number): void {
  if (n === 0) return;
  const total = r.n + n;
  if (total === 0) {
    r.n = 0;
    r.meanY = 0;
    r.m2Y = 0;
    return;
  }
  const delta = mean - r.meanY;
  r.meanY += (delta * n) / total;
  r.m2Y += m2 + (delta * delta * r.n * n) / total;
  r.n = total;
}
