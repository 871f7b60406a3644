import { InsufficientDataError, InvalidInputError } from '../errors';
import {
  accuracyComponents,
  f1Components,
  precisionComponents,
  recallComponents,
  rocAucComponents,
  samplingError,
  type SamplingErrorComponents,
} from './cbpeSamplingError';
import { fitIsotonic, type IsotonicFit, predictIsotonic } from './isotonic';
import { needsCalibration } from './needsCalibration';

/** The metrics CBPE estimates for binary classification. */
export const CBPE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];

/** NannyML's SAMPLING_ERROR_RANGE: the bands are the estimate ± 3 standard errors, clipped to [0, 1]. */
export const CBPE_BAND_WIDTH = 3;

export interface CbpeReference {
  /** Score (probability of the positive class) per labelled reference row. */
  readonly scores: readonly number[];
  /** The model predicted the positive class. */
  readonly predicted: readonly boolean[];
  /** The label is the positive class. */
  readonly actual: readonly boolean[];
}

export interface CbpeChunk {
  readonly scores: readonly number[];
  readonly predicted: readonly boolean[];
}

export interface CbpeEstimate {
  readonly value: number | null;
  readonly samplingError: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly reason?: string;
}

/** CBPE fitted on a labelled reference: the calibrator (if any) and each metric's sampling-error components. */
export interface FittedCbpe {
  readonly calibrated: boolean;
  readonly calibrator: IsotonicFit | null;
  readonly referenceRows: number;
  readonly components: Readonly<Record<CbpeMetric, SamplingErrorComponents>>;
  estimate(chunk: CbpeChunk): Record<CbpeMetric, CbpeEstimate>;
}

export type CalibrationChoice = 'auto' | 'always' | 'never';

/** numpy's `np.round(x, 5)`: scale, round half to even, scale back. */
function round5(x: number): number {
  const y = x * 1e5;
  const r = Math.round(y);
  const halfway = Math.abs(y % 1) === 0.5;
  return (halfway && r % 2 !== 0 ? r - 1 : r) / 1e5;
}

/**
 * NannyML's `estimate_roc_auc`: rows ordered by descending uncalibrated score, expected true positives the
 * cumulative calibrated probability, false positives the rest, both rounded to 5 decimals; trapezoid area.
 */
function estimateRocAuc(calibrated: readonly number[], uncalibrated: readonly number[]): number {
  const order = uncalibrated.map((_, i) => i).sort((a, b) => (uncalibrated[b] as number) - (uncalibrated[a] as number));
  const tps = [0];
  const fps = [0];
  let cum = 0;
  order.forEach((row, k) => {
    cum += calibrated[row] as number;
    tps.push(round5(cum));
    fps.push(round5(1 + k - cum));
  });
  const tpMax = tps[tps.length - 1] as number;
  const fpMax = fps[fps.length - 1] as number;
  let area = 0;
  for (let k = 1; k < tps.length; k++) {
    const dx = ((fps[k] as number) - (fps[k - 1] as number)) / fpMax;
    area += (dx * ((tps[k] as number) / tpMax + (tps[k - 1] as number) / tpMax)) / 2;
  }
  return area;
}

/**
 * Fits confidence-based performance estimation (CBPE) for binary classification on a labelled reference, as NannyML
 * 0.13.1 does: sampling-error components from the reference labels, predictions and uncalibrated scores; an
 * isotonic calibrator of scores to probabilities when calibration improves the reference (see `needsCalibration`),
 * or always/never when told.
 *
 * Estimating a chunk: with calibrated probability p per row and the model's predicted class, the expected
 * confusion matrix is TP = Σ_{ŷ=1} p, FP = Σ_{ŷ=1} (1 − p), FN = Σ_{ŷ=0} p, TN = Σ_{ŷ=0} (1 − p); accuracy, precision,
 * recall and F1 follow from it (0 on a zero denominator, as NannyML), ROC AUC from the expected curve. Bands are
 * value ± 3·SE clipped to [0, 1], SE = reference std / √(n · share).
 *
 * Reference: NannyML, "Confidence-based Performance Estimation" (docs, How it works); `nannyml/performance_
 * estimation/confidence_based/`.
 *
 * @throws InsufficientDataError without reference rows; InvalidInputError for scores outside [0, 1]
 */
export function fitCbpe(reference: CbpeReference, calibration: CalibrationChoice = 'auto'): FittedCbpe {
  const fn = 'fitCbpe';
  const n = reference.scores.length;
  if (n === 0) throw new InsufficientDataError(fn, 'the reference has no labelled rows with a score');
  if (reference.actual.length !== n || reference.predicted.length !== n) {
    throw new InvalidInputError(fn, 'reference scores, predictions and labels differ in length');
  }
  for (const s of reference.scores) {
    if (!(s >= 0 && s <= 1)) throw new InvalidInputError(fn, `score ${s} is not a probability in [0, 1]`);
  }
  const labelled = { actual: reference.actual, predicted: reference.predicted };
  const components: Record<CbpeMetric, SamplingErrorComponents> = {
    accuracy: accuracyComponents(labelled),
    precision: precisionComponents(labelled),
    recall: recallComponents(labelled),
    f1: f1Components(labelled),
    roc_auc: rocAucComponents(reference.actual, reference.scores),
  };
  const calibrate =
    calibration === 'always' || (calibration === 'auto' && needsCalibration(reference.actual, reference.scores));
  const calibrator = calibrate
    ? fitIsotonic(
        reference.scores,
        reference.actual.map((a) => (a ? 1 : 0))
      )
    : null;
  return {
    calibrated: calibrate,
    calibrator,
    referenceRows: n,
    components,
    estimate: (chunk) => estimateChunk(chunk, calibrator, components),
  };
}

function band(value: number | null, se: number, reason?: string): CbpeEstimate {
  if (value === null || !Number.isFinite(value)) {
    return { value: null, samplingError: null, lower: null, upper: null, reason: reason ?? 'not defined' };
  }
  if (!Number.isFinite(se)) {
    return { value, samplingError: null, lower: null, upper: null, reason: 'the reference cannot size the band' };
  }
  return {
    value,
    samplingError: se,
    lower: Math.max(0, value - CBPE_BAND_WIDTH * se),
    upper: Math.min(1, value + CBPE_BAND_WIDTH * se),
  };
}

function estimateChunk(
  chunk: CbpeChunk,
  calibrator: IsotonicFit | null,
  components: Readonly<Record<CbpeMetric, SamplingErrorComponents>>
): Record<CbpeMetric, CbpeEstimate> {
  const n = chunk.scores.length;
  if (n === 0 || chunk.predicted.length !== n) {
    const none = band(null, Number.NaN, 'no predictions with a score in this bucket');
    return { accuracy: none, precision: none, recall: none, f1: none, roc_auc: none };
  }
  const p = calibrator ? predictIsotonic(calibrator, chunk.scores) : chunk.scores;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    const q = p[i] as number;
    if (chunk.predicted[i]) {
      tp += q;
      fp += 1 - q;
    } else {
      fn += q;
      tn += 1 - q;
    }
  }
  const ratio = (num: number, den: number) => (den !== 0 ? num / den : 0);
  const se = (m: CbpeMetric) => samplingError(components[m], n);
  const auc = estimateRocAuc(p, chunk.scores);
  return {
    accuracy: band((tp + tn) / n, se('accuracy')),
    precision: band(ratio(tp, tp + fp), se('precision')),
    recall: band(ratio(tp, tp + fn), se('recall')),
    f1: band(ratio(tp, tp + 0.5 * (fp + fn)), se('f1')),
    roc_auc: band(Number.isFinite(auc) ? auc : null, se('roc_auc'), 'expected positives or negatives are zero'),
  };
}
