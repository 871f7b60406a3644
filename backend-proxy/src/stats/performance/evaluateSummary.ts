import { binnedRocAuc } from './binnedRocAuc';
import { CALIBRATION_BINS, expectedCalibrationError, type ReliabilityBin } from './calibration';
import type { ClassificationEvaluation, ClassSetup } from './evaluate';
import { type ClassLabel, positiveClassOf, sortClasses } from './labels';
import type { ClassificationMetricName, RegressionMetricName } from './names';
import { defined, metricOrReason, type MetricValue, undefinedBecause } from './result';
import { AUC_BINS, classKey, classOfKey, type PerformanceSummary } from './summary';

const EMPTY_HISTOGRAM = new Float64Array(AUC_BINS);

function sumOf(histograms: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(AUC_BINS);
  for (const h of histograms) for (let b = 0; b < AUC_BINS; b++) out[b] = (out[b] as number) + (h[b] as number);
  return out;
}

/** The most distinct integer labels a classification problem may have (as `problemOf` decides on rows). */
const MAX_INTEGER_CLASSES = 20;

/**
 * Classification or regression, decided on a window's merged summary as `problemOf` decides on its rows; null when
 * only the rows' order could decide (text labels mixed with numeric ones), so the caller reads the rows.
 */
export function problemOfSummary(
  summary: PerformanceSummary,
  asked: readonly string[],
  classification: readonly string[],
  regression: readonly string[]
): 'classification' | 'regression' | null {
  if (asked.length > 0 && asked.every((m) => classification.includes(m))) return 'classification';
  if (asked.length > 0 && asked.every((m) => regression.includes(m))) return 'regression';
  const numeric = summary.nonIntegerLabels + summary.integerLabels.size > 0 || summary.overflow;
  if (summary.nonNumericLabels > 0) return numeric ? null : 'classification';
  if (summary.nonIntegerLabels > 0) return 'regression';
  if (summary.overflow || summary.integerLabels.size > MAX_INTEGER_CLASSES) return 'regression';
  for (const p of summary.numericPredictions.keys()) if (!summary.integerLabels.has(p)) return 'regression';
  return 'classification';
}

/** The window's class set and positive class from its merged summary, as `classSetupOf` from its rows. */
export function classSetupOfSummary(summary: PerformanceSummary): ClassSetup {
  const classes = sortClasses([...summary.classes.keys()].map(classOfKey));
  let widest = 0;
  for (const w of summary.widths.keys()) widest = Math.max(widest, w);
  const binary = classes.length <= 2 && widest <= 2;
  return { classes, positive: binary ? positiveClassOf(classes) : null };
}

/**
 * Why a window's classification metrics cannot come from its summaries, or null when they can: rows the metrics
 * would refuse (a score outside [0, 1] fails the query there, so it must fail the same way) or that only the rows
 * can place (a scalar score in a multiclass window, more classes than the summary tracks).
 */
export function summaryLimitation(summary: PerformanceSummary, setup: ClassSetup): string | null {
  if (summary.overflow) return 'more distinct classes than the bucket summaries track';
  if (setup.positive !== null && summary.badBinary > 0) return 'scores outside [0, 1]';
  if (setup.positive === null && summary.badMulticlass > 0) return 'scores outside [0, 1]';
  if (setup.positive === null && summary.scalarScores > 0) return 'scalar scores in a multiclass window';
  return null;
}

export interface SummaryClassificationEvaluation extends ClassificationEvaluation {
  /** ROC AUC's distance to the row-level value is at most this; null when ROC AUC is not defined. */
  readonly aucBound: number | null;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** precision, recall, F1 of one class from its counts, as `confusion.ts` computes them on rows. */
function prf({ tp, fp, fn }: Counts) {
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}

/** The reliability curve of a binary window (or bucket) from its summary, as `reliabilityCurve` on its rows. */
export function reliabilityCurveOfSummary(summary: PerformanceSummary, positive: ClassLabel): ReliabilityBin[] {
  const counts = new Float64Array(CALIBRATION_BINS);
  const sums = new Float64Array(CALIBRATION_BINS);
  const trues = new Float64Array(CALIBRATION_BINS);
  const positiveKey = classKey(positive);
  for (const [key, stats] of summary.binary) {
    for (let b = 0; b < CALIBRATION_BINS; b++) {
      counts[b] = (counts[b] as number) + (stats.eceCount[b] as number);
      sums[b] = (sums[b] as number) + (stats.eceSum[b] as number);
      if (key === positiveKey) trues[b] = (trues[b] as number) + (stats.eceCount[b] as number);
    }
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    const count = counts[b] as number;
    if (count === 0) continue;
    out.push({
      lower: b * (1 / CALIBRATION_BINS),
      upper: b === CALIBRATION_BINS - 1 ? 1 : (b + 1) * (1 / CALIBRATION_BINS),
      meanPredicted: (sums[b] as number) / count,
      fractionPositive: (trues[b] as number) / count,
      count,
    });
  }
  return out;
}

/**
 * `evaluateClassification` on a bucket's summary: the same metrics and reasons, exact but for ROC AUC, which comes
 * from `AUC_BINS` score bins with `aucBound` its largest distance to the rows' value (see `binnedRocAuc`).
 * Callers check `summaryLimitation` on the window first.
 */
export function evaluateClassificationSummary(
  summary: PerformanceSummary,
  setup: ClassSetup
): SummaryClassificationEvaluation {
  const labelledRows = summary.labelled;
  const binary = setup.positive !== null;
  const none = 'no labelled rows with a prediction in this bucket';
  const noScore = 'no labelled rows with a score in this bucket';
  let total = 0;
  let hits = 0;
  const byClass = new Map<string, Counts>();
  const counts = (key: string) => {
    let c = byClass.get(key);
    if (!c) byClass.set(key, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  for (const [pair, n] of summary.pairs) {
    const [label = '', prediction = ''] = pair.split('\u0000');
    total += n;
    if (label === prediction) {
      hits += n;
      counts(label).tp += n;
    } else {
      counts(prediction).fp += n;
      counts(label).fn += n;
    }
  }
  let scores: ReturnType<typeof prf> | null = null;
  if (total > 0 && binary) {
    scores = prf(byClass.get(classKey(setup.positive as ClassLabel)) ?? { tp: 0, fp: 0, fn: 0 });
  } else if (total > 0) {
    const present = sortClasses([...byClass.keys()].map(classOfKey));
    let precision = 0;
    let recall = 0;
    let f1 = 0;
    for (const c of present) {
      const one = prf(byClass.get(classKey(c)) as Counts);
      precision += one.precision;
      recall += one.recall;
      f1 += one.f1;
    }
    scores = { precision: precision / present.length, recall: recall / present.length, f1: f1 / present.length };
  }
  const metrics: Record<ClassificationMetricName, MetricValue> = {
    accuracy: total === 0 ? undefinedBecause(none) : defined(hits / total),
    precision: scores ? defined(scores.precision) : undefinedBecause(none),
    recall: scores ? defined(scores.recall) : undefinedBecause(none),
    f1: scores ? defined(scores.f1) : undefinedBecause(none),
    roc_auc: undefinedBecause(noScore),
    log_loss: undefinedBecause(noScore),
    ece: binary
      ? undefinedBecause(noScore)
      : undefinedBecause('calibration error is computed for binary classification only'),
  };
  let curve: ReliabilityBin[] | null = null;
  let aucBound: number | null = null;
  if (binary) {
    const positiveKey = classKey(setup.positive as ClassLabel);
    let n = 0;
    let loss = 0;
    // The histograms of the positive class and of the rest; the common binary bucket (two label classes) sums nothing.
    let pos: Float64Array | undefined;
    const negatives: Float64Array[] = [];
    for (const [key, stats] of summary.binary) {
      if (stats.n === 0) continue;
      n += stats.n;
      loss += key === positiveKey ? stats.logPositive : stats.logNegative;
      if (key === positiveKey) pos = stats.hist;
      else negatives.push(stats.hist);
    }
    const neg = negatives.length === 1 ? (negatives[0] as Float64Array) : sumOf(negatives);
    if (n === 0) return { metrics, curve, labelledRows, aucBound };
    metrics.roc_auc = metricOrReason(() => {
      const r = binnedRocAuc(pos ?? EMPTY_HISTOGRAM, neg);
      aucBound = r.bound;
      return r.auc;
    });
    metrics.log_loss = defined(loss / n);
    curve = reliabilityCurveOfSummary(summary, setup.positive as ClassLabel);
    metrics.ece = defined(expectedCalibrationError(curve));
    return { metrics, curve, labelledRows, aucBound };
  }
  const width = setup.classes.length;
  const stats = setup.classes.map((c) => summary.multiclass.get(`${width}\u0000${classKey(c)}`));
  let n = 0;
  let loss = 0;
  stats.forEach((s, k) => {
    if (!s) return;
    n += s.n;
    loss += s.logLoss[k] as number;
  });
  if (n === 0) return { metrics, curve, labelledRows, aucBound };
  metrics.log_loss = defined(loss / n);
  // One-vs-rest macro average (scikit-learn `multi_class="ovr"`, `average="macro"`), bounds averaged likewise.
  metrics.roc_auc = metricOrReason(() => {
    let sum = 0;
    let bound = 0;
    for (let k = 0; k < width; k++) {
      const pos = new Float64Array(AUC_BINS);
      const neg = new Float64Array(AUC_BINS);
      stats.forEach((s, c) => {
        if (!s) return;
        const h = s.hist[k] as Float64Array;
        const into = c === k ? pos : neg;
        for (let b = 0; b < AUC_BINS; b++) into[b] = (into[b] as number) + (h[b] as number);
      });
      const r = binnedRocAuc(pos, neg);
      sum += r.auc;
      bound += r.bound;
    }
    aucBound = bound / width;
    return sum / width;
  });
  return { metrics, curve, labelledRows, aucBound };
}

const rowsNeeded = (min: number, n: number) => `needs at least ${min} labelled row${min === 1 ? '' : 's'}, got ${n}`;

/** `evaluateRegression` on a bucket's summary: MAE, RMSE, MAPE and R², exact (sums of the same terms). */
export function evaluateRegressionSummary(summary: PerformanceSummary): {
  metrics: Record<RegressionMetricName, MetricValue>;
  labelledRows: number;
} {
  const r = summary.regression;
  const n = r.n;
  const one = n >= 1;
  let r2: MetricValue = undefinedBecause(rowsNeeded(2, n));
  if (n >= 2) {
    const ssRes = r.sumSq;
    const ssTot = r.m2Y;
    r2 = defined(ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot);
  }
  return {
    metrics: {
      mae: one ? defined(r.sumAbs / n) : undefinedBecause(rowsNeeded(1, n)),
      rmse: one ? defined(Math.sqrt(r.sumSq / n)) : undefinedBecause(rowsNeeded(1, n)),
      mape: one ? defined(r.sumApe / n) : undefinedBecause(rowsNeeded(1, n)),
      r2,
    },
    labelledRows: summary.numericLabelled,
  };
}
