import { InvalidInputError } from './errors';

/** Healthy cells flagged by default under calibrated thresholds. */
export const DEFAULT_FALSE_ALARM_RATE = 0.01;

/**
 * Largest sample size a null distribution is drawn at: larger windows use the fit at this size, carried to their n
 * by the distance's rate ({@link scaleThreshold}) — the asymptotics are accurate there, and a fit costs draws ×
 * size, so a day of 3,600 rows (or three pooled days) costs no more than 1,024.
 */
export const CALIBRATION_SIZE_LIMIT = 1024;

/** Sample-size classes per doubling of n: a class's threshold is fitted once, at the class's smallest n. */
export const SIZE_CLASSES_PER_OCTAVE = 4;

/**
 * How a drift verdict's threshold is chosen (defined in the contract). `calibrated` (the default): from the
 * statistic's distribution on healthy data at the cell's sample size, so a healthy cell is flagged with probability
 * `falseAlarmRate` whatever the bucket size; `fixed`: Evidently's rules (p < 0.05, distance ≥ 0.1, …) at every n.
 */
export type { ThresholdMode } from '@mlsight/contract';

/**
 * The sample-size class of n: the smallest n of its class, classes being log-spaced
 * ({@link SIZE_CLASSES_PER_OCTAVE} per doubling). A class's null distribution is fitted once, at that n, and
 * carried to the other n of the class by the statistic's rate ({@link scaleThreshold}).
 * @example sampleSizeClass(150) // 128
 */
export function sampleSizeClass(n: number): number {
  if (!(n >= 1)) throw new InvalidInputError('sampleSizeClass', `n must be ≥ 1, got ${n}`);
  const k = Math.floor(Math.log2(n) * SIZE_CLASSES_PER_OCTAVE + 1e-9);
  return Math.max(1, Math.ceil(2 ** (k / SIZE_CLASSES_PER_OCTAVE) - 1e-9));
}

/**
 * The one-sample size whose noise matches a two-sample comparison of n current rows with a reference of N rows:
 * n·N / (n + N). A healthy current window differs from the reference by the noise of both; drawing this many rows
 * from the reference and comparing them with it reproduces that spread (asymptotically exact for distances that
 * scale with √(1/n + 1/N), which every distance here does).
 */
export function effectiveSampleSize(n: number, referenceN: number): number {
  return Math.max(1, Math.round((n * referenceN) / (n + referenceN)));
}

/**
 * Carries a null quantile fitted at effective size `fittedN` to effective size `n`: distances that are roots of
 * χ²-like sums (Jensen-Shannon, Hellinger, Wasserstein, L-infinity) shrink as 1/√n, PSI (a χ²-like sum itself)
 * as 1/n. Within a class n differs from the fitted n by less than 19 %, so the asymptotic rate is all it needs.
 */
export function scaleThreshold(quantile: number, fittedN: number, n: number, exponent: 0.5 | 1): number {
  return quantile * (fittedN / n) ** exponent;
}

/** Uniform [0, 1) numbers from a 32-bit seed (mulberry32): calibrations are deterministic, run after run. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws category indices with probabilities proportional to `weights` in O(1) per draw (Walker's alias method,
 * Vose's construction): a calibration draws millions of rows.
 *
 * Reference: Vose, M.D. (1991) "A linear algorithm for generating random numbers with a given distribution",
 * IEEE Trans. Software Eng. 17(9).
 * @throws InvalidInputError when the weights sum to 0
 */
export function discreteSampler(weights: ReadonlyArray<number>, uniform: () => number): () => number {
  const k = weights.length;
  let sum = 0;
  for (const w of weights) sum += Math.max(0, w);
  if (!(sum > 0)) throw new InvalidInputError('discreteSampler', 'weights sum to 0');
  const prob = new Float64Array(k);
  const alias = new Int32Array(k);
  const scaled = Float64Array.from(weights, (w) => (Math.max(0, w) * k) / sum);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop() ?? 0;
    const l = large[large.length - 1] ?? 0;
    prob[s] = scaled[s] ?? 0;
    alias[s] = l;
    scaled[l] = (scaled[l] ?? 0) + (scaled[s] ?? 0) - 1;
    if ((scaled[l] ?? 0) < 1) small.push(large.pop() ?? 0);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1;
  return () => {
    const u = uniform() * k;
    const i = Math.min(k - 1, Math.floor(u));
    return u - i < (prob[i] ?? 1) ? i : (alias[i] ?? i);
  };
}

/** Resamples that leave ≥ 10 of them beyond the (1 − rate) quantile, at least 1,000. */
export function resamplesFor(rate: number): number {
  return Math.max(1000, Math.ceil(10 / rate));
}

/**
 * The upper (1 − rate) quantile of a null sample: the ⌈(1 − rate)(K + 1)⌉-th smallest of K draws, so a fresh draw
 * from the same distribution reaches it with probability ≤ rate (the order statistic's exact coverage).
 */
export function upperQuantile(draws: Float64Array, rate: number): number {
  const sorted = Float64Array.from(draws).sort();
  const k = Math.min(sorted.length, Math.ceil((1 - rate) * (sorted.length + 1)));
  return sorted[k - 1] ?? Number.POSITIVE_INFINITY;
}
