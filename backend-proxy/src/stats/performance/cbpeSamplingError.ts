/*
 * Sampling-error components of CBPE's estimates, fitted on the labelled reference as NannyML 0.13.1 does
 * (`nannyml/sampling_error/binary_classification.py`): the population standard deviation of an observation-level
 * version of the metric and the share of rows it rests on; a chunk of n rows then has SE = std / √(n · share).
 */

/** std and share of one metric; `std` NaN when the reference has no row the metric rests on. */
export interface SamplingErrorComponents {
  readonly std: number;
  readonly share: number;
}

/** Population standard deviation (divisor n), as `np.std`. */
function stdOrNaN(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return Math.sqrt(sq / values.length);
}

export interface LabelledBinary {
  /** Label is the positive class. */
  readonly actual: readonly boolean[];
  /** The model predicted the positive class. */
  readonly predicted: readonly boolean[];
}

/** Accuracy: std of the 0/1 correctness of each reference row; SE = std / √n. */
export function accuracyComponents({ actual, predicted }: LabelledBinary): SamplingErrorComponents {
  return { std: stdOrNaN(actual.map((a, i) => (a === predicted[i] ? 1 : 0))), share: 1 };
}

/** Precision: over predicted positives, 1 for a true and 0 for a false positive; share = predicted-positive rate. */
export function precisionComponents({ actual, predicted }: LabelledBinary): SamplingErrorComponents {
  const obs: number[] = [];
  actual.forEach((a, i) => {
    if (predicted[i]) obs.push(a ? 1 : 0);
  });
  return { std: stdOrNaN(obs), share: obs.length / actual.length };
}

/** Recall: over actual positives, 1 when predicted positive; share = positive rate of the labels. */
export function recallComponents({ actual, predicted }: LabelledBinary): SamplingErrorComponents {
  const obs: number[] = [];
  actual.forEach((a, i) => {
    if (a) obs.push(predicted[i] ? 1 : 0);
  });
  return { std: stdOrNaN(obs), share: obs.length / actual.length };
}

/** F1: TP as 1, FP and FN as 0, scaled by |TP ∪ FP ∪ FN| / (TP + (FP + FN)/2); share = that union's rate. */
export function f1Components({ actual, predicted }: LabelledBinary): SamplingErrorComponents {
  let tp = 0;
  let other = 0;
  actual.forEach((a, i) => {
    if (a && predicted[i]) tp++;
    else if (a !== predicted[i]) other++;
  });
  const n = tp + other;
  if (n === 0) return { std: Number.NaN, share: 0 };
  const factor = n / (other * 0.5 + tp);
  const obs = [...new Array<number>(tp).fill(factor), ...new Array<number>(other).fill(0)];
  return { std: stdOrNaN(obs), share: n / actual.length };
}

/**
 * ROC AUC as a Mann-Whitney statistic: per positive (the minority class after flipping when positives are the
 * majority), the share of negatives ranked below it; share = positive rate.
 */
export function rocAucComponents(actualIn: readonly boolean[], scoresIn: readonly number[]): SamplingErrorComponents {
  let positives = 0;
  for (const a of actualIn) if (a) positives++;
  const flip = positives / actualIn.length > 0.5;
  const actual = flip ? actualIn.map((a) => !a) : actualIn;
  const scores = flip ? scoresIn.map((s) => 1 - s) : scoresIn;
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  // np.unique(y · rank)[1:]: the distinct positive ranks, without the smallest value (0, or the first positive's).
  const ranks = new Set<number>();
  order.forEach((row, rank) => ranks.add(actual[row] ? rank : 0));
  const distinct = [...ranks].sort((a, b) => a - b).slice(1);
  const nPos = actual.filter(Boolean).length;
  const nNeg = actual.length - nPos;
  const ser = distinct.map((rank, i) => (rank - i) / nNeg);
  return { std: stdOrNaN(ser), share: nPos / actual.length };
}

/** NannyML's `_universal_sampling_error`: std / √(n · share). */
export function samplingError(components: SamplingErrorComponents, rows: number): number {
  return components.std / Math.sqrt(rows * components.share);
}
