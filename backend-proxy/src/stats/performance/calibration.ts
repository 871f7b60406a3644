import { InsufficientDataError, InvalidInputError } from '../errors';

/** One bin of a reliability curve: mean score, observed positive share and how many rows fell in it. */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly meanPredicted: number;
  readonly fractionPositive: number;
  readonly count: number;
}

export const CALIBRATION_BINS = 10;

/**
 * The reliability-curve bin of a score in [0, 1] on `bins` uniform bins: the number of inner edges strictly below
 * it (`np.searchsorted(edges[1:-1], p)`), so a score on an edge belongs to the bin below.
 */
export function calibrationBin(p: number, bins = CALIBRATION_BINS): number {
  let bin = 0;
  while (bin < bins - 1 && (bin + 1) * (1 / bins) < p) bin++;
  return bin;
}

/**
 * Reliability curve on `bins` uniform bins over [0, 1], binned as scikit-learn's
 * `calibration_curve(strategy="uniform")`: a score goes to the bin of the inner edges strictly below it
 * (`np.searchsorted(edges[1:-1], p)`), so 0.1 falls in the first bin. Empty bins are left out, as there.
 *
 * Reference: Niculescu-Mizil & Caruana (2005) "Predicting good probabilities with supervised learning", ICML.
 *
 * @param positives true where the label is the positive class
 * @param scores probability of the positive class, in [0, 1]
 * @throws InsufficientDataError without rows; InvalidInputError for a score outside [0, 1]
 */
export function reliabilityCurve(
  positives: readonly boolean[],
  scores: readonly number[],
  bins = CALIBRATION_BINS
): ReliabilityBin[] {
  const fn = 'reliabilityCurve';
  if (positives.length !== scores.length) throw new InvalidInputError(fn, 'labels and scores differ in length');
  if (scores.length === 0) throw new InsufficientDataError(fn, 'no rows with a score');
  // np.linspace(0, 1, bins + 1): i·(1/bins), the last edge exactly 1.
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * (1 / bins)));
  const sums = new Float64Array(bins);
  const trues = new Float64Array(bins);
  const totals = new Float64Array(bins);
  for (let i = 0; i < scores.length; i++) {
    const p = scores[i] as number;
    if (!(p >= 0 && p <= 1)) throw new InvalidInputError(fn, `score ${p} is outside [0, 1]`);
    const bin = calibrationBin(p, bins);
    sums[bin] = (sums[bin] as number) + p;
    totals[bin] = (totals[bin] as number) + 1;
    if (positives[i]) trues[bin] = (trues[bin] as number) + 1;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const count = totals[b] as number;
    if (count === 0) continue;
    out.push({
      lower: edges[b] as number,
      upper: edges[b + 1] as number,
      meanPredicted: (sums[b] as number) / count,
      fractionPositive: (trues[b] as number) / count,
      count,
    });
  }
  return out;
}

/**
 * Expected calibration error: Σ_b (n_b / n) · |fraction positive_b − mean score_b| over the reliability curve's
 * bins (10 uniform bins by default).
 *
 * Reference: Naeini, Cooper & Hauskrecht (2015) "Obtaining well calibrated probabilities using Bayesian binning",
 * AAAI.
 */
export function expectedCalibrationError(curve: readonly ReliabilityBin[]): number {
  let n = 0;
  for (const bin of curve) n += bin.count;
  if (n === 0) throw new InsufficientDataError('expectedCalibrationError', 'the reliability curve is empty');
  let ece = 0;
  for (const bin of curve) ece += (bin.count / n) * Math.abs(bin.fractionPositive - bin.meanPredicted);
  return ece;
}
