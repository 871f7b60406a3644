import type { DriftMethod } from '@mlsight/contract';
import { InvalidInputError } from './errors';

/** A drift method other than `auto`: the one that actually produced a score. */
export type ConcreteDriftMethod = Exclude<DriftMethod, 'auto'>;

/**
 * How a score is compared with its threshold. p-value tests drift when the p-value is below the significance
 * level — Evidently uses "≤" for KS and "<" for chi-square and Z — distances drift at or above the threshold
 * (`above`, strictly: calibrated thresholds, which are quantiles of the distance on healthy data).
 */
export type ThresholdRule = 'p_below' | 'p_at_or_below' | 'at_least' | 'above';

/** A method's default threshold and comparison, data rather than code paths. */
export interface MethodThreshold {
  readonly rule: ThresholdRule;
  readonly value: number;
}

/**
 * Default thresholds, Evidently's for the methods it has (psi 0.1, ks/chisquare/ztest 0.05, jensenshannon,
 * wasserstein, hellinger 0.1) and 0.1 for L-infinity (a 10-point change of one category's share).
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<ConcreteDriftMethod, MethodThreshold>> = Object.freeze({
  psi: { rule: 'at_least', value: 0.1 },
  ks: { rule: 'p_at_or_below', value: 0.05 },
  chisquare: { rule: 'p_below', value: 0.05 },
  ztest: { rule: 'p_below', value: 0.05 },
  jensenshannon: { rule: 'at_least', value: 0.1 },
  wasserstein: { rule: 'at_least', value: 0.1 },
  hellinger: { rule: 'at_least', value: 0.1 },
  linf: { rule: 'at_least', value: 0.1 },
});

/** True when the method's score is a p-value (KS, chi-square, Z-test). */
export function isPValueMethod(method: ConcreteDriftMethod): boolean {
  return DEFAULT_THRESHOLDS[method].rule !== 'at_least';
}

/**
 * Whether a score crosses its threshold under a rule.
 * @example exceedsThreshold('p_below', 0.01, 0.05) // true
 */
export function exceedsThreshold(rule: ThresholdRule, score: number, threshold: number): boolean {
  switch (rule) {
    case 'p_below':
      return score < threshold;
    case 'p_at_or_below':
      return score <= threshold;
    case 'at_least':
      return score >= threshold;
    case 'above':
      return score > threshold;
  }
}

/**
 * The threshold to use for a method: the override when given (validated: a significance level in (0, 1) for
 * p-value methods, a positive finite number for distances), else the default.
 * @throws InvalidInputError on an override out of range
 */
export function resolveThreshold(method: ConcreteDriftMethod, override?: number): number {
  if (override === undefined) return DEFAULT_THRESHOLDS[method].value;
  const ok = isPValueMethod(method) ? override > 0 && override < 1 : override > 0 && Number.isFinite(override);
  if (!ok) throw new InvalidInputError('resolveThreshold', `threshold ${override} is out of range for ${method}`);
  return override;
}
