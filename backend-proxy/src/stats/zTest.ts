import { InsufficientDataError, InvalidInputError } from './errors';
import { normalSf } from './normal';
import { assertCounts, assertSameLength, total } from './validate';

/** A two-sided two-proportion Z-test. */
export interface ZTestResult {
  readonly statistic: number;
  readonly pValue: number;
}

/**
 * Two-proportion Z-test with pooled variance: z = (p₁ − p₂) / √(P(1 − P)(1/n₁ + 1/n₂)), two-sided p-value
 * 2·(1 − Φ(|z|)) computed as 2·Φ(−|z|). When both samples hold only one and the same outcome (P ∈ {0, 1}) there
 * is no evidence of a difference: z = 0, p = 1 (Evidently's special case).
 *
 * Reference: Fleiss, Levin & Paik (2003) "Statistical Methods for Rates and Proportions" §2.4; Evidently
 * `z_stat_test` (`proportions_diff_z_stat_ind`).
 *
 * @param successes1 events in sample 1
 * @param n1 size of sample 1 (≥ 1)
 * @param successes2 events in sample 2
 * @param n2 size of sample 2 (≥ 1)
 * @returns z and the two-sided p-value
 * @throws InsufficientDataError when a sample is empty; InvalidInputError when events exceed the sample size
 * @example twoProportionZTest(50, 100, 50, 100) // { statistic: 0, pValue: 1 }
 */
export function twoProportionZTest(successes1: number, n1: number, successes2: number, n2: number): ZTestResult {
  const fn = 'twoProportionZTest';
  assertCounts(fn, 'counts', [successes1, n1, successes2, n2]);
  if (n1 === 0 || n2 === 0) throw new InsufficientDataError(fn, 'a sample is empty');
  if (successes1 > n1 || successes2 > n2) throw new InvalidInputError(fn, 'successes exceed the sample size');
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(variance);
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}

/**
 * Evidently's `z` drift test on category counts: the first cell (the first category in sorted order, the caller
 * orders cells) is one outcome and all other cells the other; then {@link twoProportionZTest}. Meant for binary
 * features (two cells); with more cells it still compares "first category vs the rest", as Evidently does.
 *
 * Reference: evidently/legacy/calculations/stattests/z_stattest.py.
 *
 * @param reference reference counts per cell (first cell = the reference outcome)
 * @param current current counts per cell (same cells)
 * @returns z and p-value
 * @throws InsufficientDataError when a side is empty or there are no cells
 * @example zTestDrift([60, 40], [60, 40]).pValue // 1
 */
export function zTestDrift(reference: ReadonlyArray<number>, current: ReadonlyArray<number>): ZTestResult {
  const fn = 'zTestDrift';
  assertSameLength(fn, ['reference', 'current'], reference, current);
  if (reference.length === 0) throw new InsufficientDataError(fn, 'no cells');
  assertCounts(fn, 'reference', reference);
  assertCounts(fn, 'current', current);
  const nRef = total(reference);
  const nCur = total(current);
  if (nRef === 0 || nCur === 0) throw new InsufficientDataError(fn, 'a sample is empty');
  const first = 0;
  return twoProportionZTest(nRef - (reference[first] ?? 0), nRef, nCur - (current[first] ?? 0), nCur);
}
