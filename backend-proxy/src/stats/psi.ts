import { InvalidInputError } from './errors';
import { fillEmptyProportions, proportions } from './proportions';
import { assertCounts, assertNonEmpty, assertSameLength } from './validate';

/** PSI bands: below 0.1 stable, 0.1–0.25 moderate shift, 0.25 and above significant shift. */
export const PSI_BANDS = { moderate: 0.1, significant: 0.25 } as const;

export type PsiBand = 'stable' | 'moderate' | 'significant';

/**
 * Population Stability Index Σ (r − c) · ln(r / c) over cells with strictly positive proportions (fill empty
 * cells first, see {@link fillEmptyProportions}).
 *
 * Reference: Yurdakul, B. (2018) "Statistical properties of population stability index", Western Michigan Univ.;
 * Evidently `psi` stattest.
 *
 * @param reference reference proportions (all > 0)
 * @param current current proportions (all > 0), same cells
 * @returns PSI ≥ 0
 * @throws InvalidInputError on mismatched lengths or a proportion that is not > 0
 * @example psi([0.5, 0.5], [0.5, 0.5]) // 0
 */
export function psi(reference: ReadonlyArray<number>, current: ReadonlyArray<number>): number {
  const fn = 'psi';
  assertNonEmpty(fn, 'reference', reference);
  assertSameLength(fn, ['reference', 'current'], reference, current);
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] ?? NaN;
    const c = current[i] ?? NaN;
    if (!(r > 0) || !(c > 0) || !Number.isFinite(r) || !Number.isFinite(c)) {
      throw new InvalidInputError(fn, `cell ${i}: proportions must be > 0 (fill empty cells first)`);
    }
    s += (r - c) * Math.log(r / c);
  }
  return s;
}

/**
 * PSI from counts on shared cells, as Evidently computes it: proportions, empty cells filled
 * ({@link fillEmptyProportions}), then {@link psi}.
 * @param reference reference counts per cell
 * @param current current counts per cell
 * @returns PSI ≥ 0
 * @throws InsufficientDataError when a side has no counts; InvalidInputError on bad counts or lengths
 * @example psiFromCounts([50, 50], [90, 10]) // ≈ 0.879
 */
export function psiFromCounts(reference: ReadonlyArray<number>, current: ReadonlyArray<number>): number {
  const fn = 'psiFromCounts';
  assertSameLength(fn, ['reference', 'current'], reference, current);
  assertCounts(fn, 'reference', reference);
  assertCounts(fn, 'current', current);
  return psi(fillEmptyProportions(proportions(reference)), fillEmptyProportions(proportions(current)));
}

/**
 * The conventional PSI band of a value.
 * @example psiBand(0.12) // 'moderate'
 */
export function psiBand(value: number): PsiBand {
  if (value >= PSI_BANDS.significant) return 'significant';
  if (value >= PSI_BANDS.moderate) return 'moderate';
  return 'stable';
}
