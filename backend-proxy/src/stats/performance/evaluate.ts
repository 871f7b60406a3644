import type { ClassificationMetricName, RegressionMetricName } from './names';
import { expectedCalibrationError, type ReliabilityBin, reliabilityCurve } from './calibration';
import { accuracy, binaryPrecisionRecallF1, macroPrecisionRecallF1 } from './confusion';
import { type ClassLabel, toClassLabel } from './labels';
import { logLoss } from './logLoss';
import { positiveScore } from './positiveScore';
import { meanAbsoluteError, meanAbsolutePercentageError, rootMeanSquaredError, rSquared } from './regression';
import { defined, metricOrReason, type MetricValue, undefinedBecause } from './result';
import { rocAuc } from './rocAuc';

/** The classes of a classification problem over a whole window (so a single-class bucket still knows both). */
export interface ClassSetup {
  /** All classes, in `sortClasses` order (score arrays are read in this order). */
  readonly classes: readonly ClassLabel[];
  /** Binary problems: the positive class (the greater one); null for multiclass. */
  readonly positive: ClassLabel | null;
}

export interface LabelledRow {
  readonly label: unknown;
  readonly prediction: unknown;
  readonly score: number | readonly number[] | null;
}

export interface ClassificationEvaluation {
  readonly metrics: Record<ClassificationMetricName, MetricValue>;
  /** Binary only: the reliability curve the ECE rests on. */
  readonly curve: ReliabilityBin[] | null;
  readonly labelledRows: number;
}

/**
 * Realised classification metrics of one bucket: accuracy, precision, recall, F1 (binary on the positive class,
 * macro-averaged for more classes), ROC AUC, log loss and, for binary problems, ECE on 10 uniform bins. Rows
 * without a label are skipped; label-vs-prediction metrics need a prediction, score metrics a score.
 */
export function evaluateClassification(rows: readonly LabelledRow[], setup: ClassSetup): ClassificationEvaluation {
  const yTrue: ClassLabel[] = [];
  const yPred: ClassLabel[] = [];
  const scoredActual: ClassLabel[] = [];
  const scored: Array<number | readonly number[]> = [];
  let labelledRows = 0;
  for (const row of rows) {
    const label = toClassLabel(row.label);
    if (label === null) continue;
    labelledRows++;
    const prediction = toClassLabel(row.prediction);
    if (prediction !== null) {
      yTrue.push(label);
      yPred.push(prediction);
    }
    const score = setup.positive !== null ? positiveScore(row.score) : row.score;
    if (score !== null && (typeof score === 'number' || score.length === setup.classes.length)) {
      scoredActual.push(label);
      scored.push(score);
    }
  }
  const binary = setup.positive !== null;
  const none = 'no labelled rows with a prediction in this bucket';
  const prf =
    yTrue.length === 0
      ? null
      : binary
        ? binaryPrecisionRecallF1(yTrue, yPred, setup.positive as ClassLabel)
        : macroPrecisionRecallF1(yTrue, yPred);
  let curve: ReliabilityBin[] | null = null;
  const metrics: Record<ClassificationMetricName, MetricValue> = {
    accuracy: yTrue.length === 0 ? undefinedBecause(none) : defined(accuracy(yTrue, yPred)),
    precision: prf ? defined(prf.precision) : undefinedBecause(none),
    recall: prf ? defined(prf.recall) : undefinedBecause(none),
    f1: prf ? defined(prf.f1) : undefinedBecause(none),
    roc_auc: undefinedBecause('no labelled rows with a score in this bucket'),
    log_loss: undefinedBecause('no labelled rows with a score in this bucket'),
    ece: binary
      ? undefinedBecause('no labelled rows with a score in this bucket')
      : undefinedBecause('calibration error is computed for binary classification only'),
  };
  if (scored.length === 0) return { metrics, curve, labelledRows };
  if (binary) {
    const positives = scoredActual.map((l) => l === setup.positive);
    const p = scored as number[];
    metrics.roc_auc = metricOrReason(() => rocAuc(positives, p));
    metrics.log_loss = metricOrReason(() => logLoss(p.map((s, i) => (positives[i] ? s : 1 - s))));
    curve = reliabilityCurve(positives, p);
    metrics.ece = defined(expectedCalibrationError(curve));
  } else {
    const arrays = scored as ReadonlyArray<readonly number[]>;
    const column = (label: ClassLabel) => setup.classes.indexOf(label);
    metrics.log_loss = metricOrReason(() =>
      logLoss(arrays.map((probs, i) => probs[column(scoredActual[i] as ClassLabel)] ?? 0))
    );
    // One-vs-rest macro average over the classes (scikit-learn `multi_class="ovr"`, `average="macro"`).
    metrics.roc_auc = metricOrReason(() => {
      let sum = 0;
      setup.classes.forEach((c, k) => {
        sum += rocAuc(
          scoredActual.map((l) => l === c),
          arrays.map((probs) => probs[k] as number)
        );
      });
      return sum / setup.classes.length;
    });
  }
  return { metrics, curve, labelledRows };
}

/** Realised regression metrics of one bucket: MAE, RMSE, MAPE (a ratio) and R², on rows with numeric label and prediction. */
export function evaluateRegression(rows: readonly LabelledRow[]): {
  metrics: Record<RegressionMetricName, MetricValue>;
  labelledRows: number;
} {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  let labelledRows = 0;
  for (const row of rows) {
    if (typeof row.label !== 'number' || !Number.isFinite(row.label)) continue;
    labelledRows++;
    if (typeof row.prediction !== 'number' || !Number.isFinite(row.prediction)) continue;
    yTrue.push(row.label);
    yPred.push(row.prediction);
  }
  return {
    metrics: {
      mae: metricOrReason(() => meanAbsoluteError(yTrue, yPred)),
      rmse: metricOrReason(() => rootMeanSquaredError(yTrue, yPred)),
      mape: metricOrReason(() => meanAbsolutePercentageError(yTrue, yPred)),
      r2: metricOrReason(() => rSquared(yTrue, yPred)),
    },
    labelledRows,
  };
}
