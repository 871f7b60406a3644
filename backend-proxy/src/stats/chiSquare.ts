import { InsufficientDataError, InvalidInputError } from './errors';
import { chiSquareSf } from './gamma';
import { assertCounts, assertSameLength, total } from './validate';

/** A chi-square test: Pearson's statistic, its p-value and degrees of freedom. */
export interface ChiSquareResult {
  /** Σ (o − e)² / e; Infinity when a cell has expected 0 but observed > 0 (a category new to the reference). */
  readonly statistic: number;
  readonly pValue: number;
  readonly dof: number;
}

/**
 * Pearson's chi-square goodness-of-fit test of observed against expected frequencies, as
 * `scipy.stats.chisquare(f_obs, f_exp)`: statistic Σ (o − e)² / e, p-value from χ²(k − 1). The two totals must
 * agree (relative 1.5e-8, scipy's check). A cell expected 0 with observations makes the statistic infinite and
 * the p-value 0, as scipy does.
 *
 * Reference: Pearson, K. (1900) Phil. Mag. 50(302); scipy.stats.chisquare.
 *
 * @param observed observed counts (k ≥ 2 cells)
 * @param expected expected counts, same cells, same total
 * @returns statistic, p-value and k − 1 degrees of freedom
 * @throws InsufficientDataError with fewer than 2 cells; InvalidInputError on negative counts, different totals,
 *   or a cell with both observed and expected 0
 * @example chiSquareTest([10, 10], [10, 10]) // { statistic: 0, pValue: 1, dof: 1 }
 */
export function chiSquareTest(observed: ReadonlyArray<number>, expected: ReadonlyArray<number>): ChiSquareResult {
  const fn = 'chiSquareTest';
  assertSameLength(fn, ['observed', 'expected'], observed, expected);
  if (observed.length < 2) throw new InsufficientDataError(fn, `needs at least 2 cells, got ${observed.length}`);
  assertCounts(fn, 'observed', observed);
  assertCounts(fn, 'expected', expected);
  const so = total(observed);
  const se = total(expected);
  if (!(Math.abs(so - se) / Math.min(so, se) <= Math.sqrt(Number.EPSILON))) {
    throw new InvalidInputError(fn, `observed total ${so} and expected total ${se} differ`);
  }
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i] ?? 0;
    const e = expected[i] ?? 0;
    if (e === 0 && o === 0) throw new InvalidInputError(fn, `cell ${i} is empty on both sides; drop it`);
    statistic += e === 0 ? Infinity : (o - e) ** 2 / e;
  }
  const dof = observed.length - 1;
  return { statistic, pValue: statistic === Infinity ? 0 : chiSquareSf(statistic, dof), dof };
}

/**
 * Evidently's `chisquare` drift test: current category counts against the reference counts scaled to the
 * current total (f_exp = reference · n_current / n_reference), then {@link chiSquareTest}. Cells are the union
 * of categories of both samples; a category absent from the reference gives p = 0.
 *
 * Reference: evidently/legacy/calculations/stattests/chisquare_stattest.py.
 *
 * @param reference reference counts per cell
 * @param current current counts per cell (same cells)
 * @returns the chi-square test
 * @throws InsufficientDataError when a side is empty or there are fewer than 2 cells
 * @example chiSquareDrift([50, 50], [25, 25]).pValue // 1
 */
export function chiSquareDrift(reference: ReadonlyArray<number>, current: ReadonlyArray<number>): ChiSquareResult {
  const fn = 'chiSquareDrift';
  assertSameLength(fn, ['reference', 'current'], reference, current);
  assertCounts(fn, 'reference', reference);
  assertCounts(fn, 'current', current);
  const nRef = total(reference);
  const nCur = total(current);
  if (nRef === 0) throw new InsufficientDataError(fn, 'reference is empty');
  if (nCur === 0) throw new InsufficientDataError(fn, 'current is empty');
  const kNorm = nCur / nRef;
  return chiSquareTest(
    current,
    reference.map((r) => r * kNorm)
  );
}
