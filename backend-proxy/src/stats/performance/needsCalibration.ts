import { fitIsotonic, predictIsotonic } from './isotonic';
import { rocAuc } from './rocAuc';

/** NannyML's equal-count bins over n sorted rows (`_get_bin_index_edges`): [start, end) index pairs. */
export function equalCountBins(n: number, binCount: number): Array<[number, number]> {
  let bins = binCount;
  if (n <= 2 * bins) bins = Math.floor(n / 2);
  if (bins < 2) return [];
  const width = Math.floor(n / bins);
  const edges: number[] = [];
  for (let e = 0; e <= n; e += width) edges.push(e);
  edges[edges.length - 1] = n;
  return edges.slice(0, -1).map((left, i) => [left, edges[i + 1] as number]);
}

/** ECE on equal-count bins of the sorted scores (NannyML `_calculate_expected_calibration_error`). */
export function equalCountCalibrationError(
  actual: readonly boolean[],
  scores: readonly number[],
  binCount = 10
): number {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let ece = 0;
  for (const [left, right] of equalCountBins(order.length, binCount)) {
    let p = 0;
    let t = 0;
    for (let k = left; k < right; k++) {
      const row = order[k] as number;
      p += scores[row] as number;
      t += actual[row] ? 1 : 0;
    }
    const size = right - left;
    ece += (size / order.length) * Math.abs(p / size - t / size);
  }
  return ece;
}

/**
 * Whether isotonic calibration improves the reference scores, by NannyML 0.13.1's rule (`needs_calibration`): no
 * when the labels hold one class or ROC AUC exceeds 0.999; otherwise fit isotonic regression on nine tenths of the
 * rows, calibrate the held-out tenth, ten times, and calibrate when the pooled held-out ECE (10 equal-count bins)
 * is lower after calibration than before.
 *
 * NannyML draws its ten 10% test sets with scikit-learn's StratifiedShuffleSplit (numpy's Mersenne Twister, seed
 * 42); this uses ten deterministic stratified folds (row k of each class is held out in fold k mod 10). The rule is
 * the same; only the held-out rows differ, so the verdict can differ when the ECE gain is marginal.
 */
export function needsCalibration(actual: readonly boolean[], scores: readonly number[], splits = 10): boolean {
  const positives = actual.filter(Boolean).length;
  if (positives === 0 || positives === actual.length) return false;
  if (rocAuc(actual, scores) > 0.999) return false;
  const fold = new Int32Array(actual.length);
  let seenPositive = 0;
  let seenNegative = 0;
  actual.forEach((a, i) => {
    fold[i] = (a ? seenPositive++ : seenNegative++) % splits;
  });
  const testActual: boolean[] = [];
  const before: number[] = [];
  const after: number[] = [];
  for (let s = 0; s < splits; s++) {
    const trainX: number[] = [];
    const trainY: number[] = [];
    const testX: number[] = [];
    actual.forEach((a, i) => {
      if (fold[i] === s) {
        testX.push(scores[i] as number);
        testActual.push(a);
      } else {
        trainX.push(scores[i] as number);
        trainY.push(a ? 1 : 0);
      }
    });
    if (testX.length === 0 || trainX.length === 0) continue;
    before.push(...testX);
    after.push(...predictIsotonic(fitIsotonic(trainX, trainY), testX));
  }
  return equalCountCalibrationError(testActual, before) > equalCountCalibrationError(testActual, after);
}
