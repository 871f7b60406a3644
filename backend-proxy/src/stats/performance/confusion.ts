import { InsufficientDataError, InvalidInputError } from '../errors';
import type { ClassLabel } from './labels';
import { sortClasses } from './labels';

function check(fn: string, yTrue: readonly ClassLabel[], yPred: readonly ClassLabel[]): void {
  if (yTrue.length !== yPred.length) {
    throw new InvalidInputError(fn, `labels and predictions differ in length (${yTrue.length} vs ${yPred.length})`);
  }
  if (yTrue.length === 0) throw new InsufficientDataError(fn, 'no labelled rows');
}

/**
 * Share of predictions equal to their label (scikit-learn `accuracy_score`).
 * @throws InsufficientDataError without rows
 * @example accuracy(['a', 'b'], ['a', 'a']) // 0.5
 */
export function accuracy(yTrue: readonly ClassLabel[], yPred: readonly ClassLabel[]): number {
  check('accuracy', yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

export interface PrecisionRecallF1 {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** precision, recall, F1 of one class; a zero denominator gives 0, as scikit-learn's `zero_division="warn"`. */
function ofClass(yTrue: readonly ClassLabel[], yPred: readonly ClassLabel[], positive: ClassLabel): PrecisionRecallF1 {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const actual = yTrue[i] === positive;
    const predicted = yPred[i] === positive;
    if (actual && predicted) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  // scikit-learn computes F1 as 2·tp / (2·tp + fp + fn), which is 0 when nothing is positive on either side.
  const f1 = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  return { precision, recall, f1 };
}

/**
 * Binary precision, recall and F1 of the positive class (scikit-learn `precision_recall_fscore_support` with
 * `average="binary"`, `pos_label`).
 * @throws InsufficientDataError without rows
 */
export function binaryPrecisionRecallF1(
  yTrue: readonly ClassLabel[],
  yPred: readonly ClassLabel[],
  positive: ClassLabel
): PrecisionRecallF1 {
  check('binaryPrecisionRecallF1', yTrue, yPred);
  return ofClass(yTrue, yPred, positive);
}

/**
 * Macro-averaged precision, recall and F1 over the classes present in labels or predictions (scikit-learn
 * `average="macro"`: the unweighted mean of the per-class values; F1 is the mean of per-class F1s).
 * @throws InsufficientDataError without rows
 */
export function macroPrecisionRecallF1(yTrue: readonly ClassLabel[], yPred: readonly ClassLabel[]): PrecisionRecallF1 {
  check('macroPrecisionRecallF1', yTrue, yPred);
  const classes = sortClasses([...yTrue, ...yPred]);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (const c of classes) {
    const one = ofClass(yTrue, yPred, c);
    precision += one.precision;
    recall += one.recall;
    f1 += one.f1;
  }
  return { precision: precision / classes.length, recall: recall / classes.length, f1: f1 / classes.length };
}
