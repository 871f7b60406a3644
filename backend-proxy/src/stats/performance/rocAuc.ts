import { InsufficientDataError, InvalidInputError } from '../errors';

/**
 * Area under the ROC curve of binary outcomes against scores, as scikit-learn's `roc_auc_score`: the curve has one
 * point per distinct score (tied scores move TPR and FPR together, a diagonal step) and the area is the trapezoid
 * rule over it.
 *
 * Reference: Fawcett (2006) "An introduction to ROC analysis", Pattern Recognition Letters 27, algorithm 2.
 *
 * @param positives true where the row's label is the positive class
 * @param scores the score of the positive class per row
 * @returns the area in [0, 1]
 * @throws InsufficientDataError when only one class is present (the curve does not exist)
 * @example rocAuc([false, true], [0.2, 0.8]) // 1
 */
export function rocAuc(positives: readonly boolean[], scores: readonly number[]): number {
  const fn = 'rocAuc';
  if (positives.length !== scores.length) throw new InvalidInputError(fn, 'labels and scores differ in length');
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let totalPositive = 0;
  for (const p of positives) if (p) totalPositive++;
  const totalNegative = positives.length - totalPositive;
  if (totalPositive === 0 || totalNegative === 0) {
    throw new InsufficientDataError(fn, 'only one class is present in the labels, so ROC AUC is not defined');
  }
  let area = 0;
  let tp = 0;
  let fp = 0;
  let prevTpr = 0;
  let prevFpr = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (positives[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    const tpr = tp / totalPositive;
    const fpr = fp / totalNegative;
    area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    prevTpr = tpr;
    prevFpr = fpr;
  }
  return area;
}
