import { InsufficientDataError, InvalidInputError } from '../errors';

/** Machine epsilon of float64: scikit-learn clips probabilities to [eps, 1 − eps] before the logarithm. */
const EPS = 2 ** -52;

const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);

/**
 * Mean negative log-likelihood of the true classes (scikit-learn `log_loss`, natural log). Each row gives the
 * probability it assigned to its true class; binary callers pass p for positives and 1 − p for negatives, as
 * scikit-learn expands a 1-D score to [1 − p, p] before clipping.
 *
 * Reference: Bishop (2006) "Pattern Recognition and Machine Learning", p. 209.
 *
 * @param trueClassProbabilities probability of the true class per row, in [0, 1]
 * @throws InsufficientDataError without rows; InvalidInputError for a probability outside [0, 1]
 * @example logLoss([0.9, 0.8]) // (−ln 0.9 − ln 0.8) / 2
 */
export function logLoss(trueClassProbabilities: readonly number[]): number {
  const fn = 'logLoss';
  if (trueClassProbabilities.length === 0) throw new InsufficientDataError(fn, 'no rows with a score');
  let sum = 0;
  for (const p of trueClassProbabilities) {
    if (!(p >= 0 && p <= 1)) throw new InvalidInputError(fn, `probability ${p} is outside [0, 1]`);
    sum -= Math.log(clip(p));
  }
  return sum / trueClassProbabilities.length;
}
