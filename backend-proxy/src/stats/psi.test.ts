import {
  fillEmptyProportions,
  InsufficientDataError,
  InvalidInputError,
  psi,
  psiBand,
  psiFromCounts,
  PSI_BANDS,
  PSI_EPSILON,
} from './index';

describe('psi', () => {
  test('is 0 for identical distributions and symmetric otherwise', () => {
    expect(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    expect(psi([0.2, 0.3, 0.5], [0.4, 0.4, 0.2])).toBeCloseTo(psi([0.4, 0.4, 0.2], [0.2, 0.3, 0.5]), 15);
  });

  test('equals the sum of the two Kullback-Leibler divergences', () => {
    const r = [0.1, 0.6, 0.3];
    const c = [0.3, 0.3, 0.4];
    const kl = (p: number[], q: number[]) => p.reduce((s, pi, i) => s + pi * Math.log(pi / (q[i] ?? 1)), 0);
    expect(psi(r, c)).toBeCloseTo(kl(r, c) + kl(c, r), 14);
  });

  test('refuses empty cells (fill them first) and mismatched lengths', () => {
    expect(() => psi([0.5, 0.5, 0], [0.4, 0.4, 0.2])).toThrow(InvalidInputError);
    expect(() => psi([1], [0.5, 0.5])).toThrow(/psi: reference and current differ in length/);
  });
});

describe('fillEmptyProportions (Evidently rule)', () => {
  test('fills with 1e-4 normally, and with the smallest share / 1e6 when that share is ≤ 1e-4', () => {
    expect(fillEmptyProportions([0, 0.5, 0.5])[0]).toBe(PSI_EPSILON);
    const tiny = 0.00005;
    expect(fillEmptyProportions([0, tiny, 1 - tiny])[0]).toBe(tiny / 1e6);
  });

  test('a side with no data is insufficient', () => {
    expect(() => fillEmptyProportions([0, 0])).toThrow(InsufficientDataError);
    expect(() => psiFromCounts([0, 0], [1, 2])).toThrow(InsufficientDataError);
  });
});

describe('psiFromCounts and bands', () => {
  test('count scale does not matter, only shares', () => {
    expect(psiFromCounts([10, 30, 60], [20, 20, 60])).toBeCloseTo(psiFromCounts([100, 300, 600], [2, 2, 6]), 14);
  });

  test('bands at 0.1 and 0.25', () => {
    expect(psiBand(PSI_BANDS.moderate - 1e-9)).toBe('stable');
    expect(psiBand(PSI_BANDS.moderate)).toBe('moderate');
    expect(psiBand(PSI_BANDS.significant)).toBe('significant');
  });
});
