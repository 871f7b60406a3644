import { InsufficientDataError, InvalidInputError } from '../errors';

/** Machine epsilon of float64: scikit-learn's MAPE divides by max(|y|, eps). */
const EPS = 2 ** -52;

function check(fn: string, yTrue: readonly number[], yPred: readonly number[], min = 1): void {
  if (yTrue.length !== yPred.length) throw new InvalidInputError(fn, 'labels and predictions differ in length');
  if (yTrue.length < min) {
    throw new InsufficientDataError(
      fn,
      `needs at least ${min} labelled row${min === 1 ? '' : 's'}, got ${yTrue.length}`
    );
  }
}

/**
 * Mean absolute error (scikit-learn `mean_absolute_error`).
 * @example meanAbsoluteError([1, 2], [2, 2]) // 0.5
 */
export function meanAbsoluteError(yTrue: readonly number[], yPred: readonly number[]): number {
  check('meanAbsoluteError', yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return sum / yTrue.length;
}

/**
 * Root mean squared error (scikit-learn `root_mean_squared_error`).
 * @example rootMeanSquaredError([0, 0], [3, 4]) // √12.5
 */
export function rootMeanSquaredError(yTrue: readonly number[], yPred: readonly number[]): number {
  check('rootMeanSquaredError', yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
  return Math.sqrt(sum / yTrue.length);
}

/**
 * Mean absolute percentage error as a ratio (scikit-learn `mean_absolute_percentage_error`:
 * mean |y − ŷ| / max(|y|, eps), so a zero label gives a huge but finite term).
 * @example meanAbsolutePercentageError([2, 4], [1, 4]) // 0.25
 */
export function meanAbsolutePercentageError(yTrue: readonly number[], yPred: readonly number[]): number {
  check('meanAbsolutePercentageError', yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i] as number;
    sum += Math.abs(y - (yPred[i] as number)) / Math.max(Math.abs(y), EPS);
  }
  return sum / yTrue.length;
}

/**
 * Coefficient of determination 1 − SS_res / SS_tot (scikit-learn `r2_score` with `force_finite=True`: a constant
 * label gives 1 for a perfect fit and 0 otherwise).
 * @throws InsufficientDataError below two rows (scikit-learn returns NaN there)
 * @example rSquared([1, 2, 3], [1, 2, 3]) // 1
 */
export function rSquared(yTrue: readonly number[], yPred: readonly number[]): number {
  check('rSquared', yTrue, yPred, 2);
  let mean = 0;
  for (const y of yTrue) mean += y;
  mean /= yTrue.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i] as number;
    ssRes += (y - (yPred[i] as number)) ** 2;
    ssTot += (y - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
