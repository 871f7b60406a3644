import { benjaminiHochberg, InvalidInputError } from './index';
import { seededRandom } from './testRandom';

/** The step-up definition, written independently: q_i = min over p_j ≥ p_i of min(1, p_j · m / rank_j). */
function bhByDefinition(p: number[]): number[] {
  const m = p.length;
  const sorted = p.slice().sort((a, b) => a - b);
  return p.map((pi) => {
    let q = 1;
    sorted.forEach((pj, j) => {
      if (pj >= pi) q = Math.min(q, (pj * m) / (j + 1));
    });
    return q;
  });
}

describe('benjaminiHochberg', () => {
  test('matches the step-up definition, including ties, 0 and 1', () => {
    const rand = seededRandom(9);
    const p = Array.from({ length: 30 }, () => rand() ** 2);
    p.push(0, 1, p[3] ?? 0.5);
    benjaminiHochberg(p).forEach((q, i) => expect(q).toBeCloseTo(bhByDefinition(p)[i] ?? NaN, 14));
  });

  test('is invariant to the order of the features', () => {
    const rand = seededRandom(10);
    const p = Array.from({ length: 20 }, () => rand() / 10);
    const perm = p.map((_, i) => i).sort(() => rand() - 0.5);
    const q = benjaminiHochberg(p);
    const qPerm = benjaminiHochberg(perm.map((i) => p[i] ?? NaN));
    perm.forEach((i, k) => expect(qPerm[k]).toBe(q[i]));
  });

  test('never lowers a p-value and never exceeds 1', () => {
    const p = [0.001, 0.2, 0.6, 0.95];
    benjaminiHochberg(p).forEach((q, i) => {
      expect(q).toBeGreaterThanOrEqual(p[i] ?? Infinity);
      expect(q).toBeLessThanOrEqual(1);
    });
  });

  test('a single p-value is unchanged; values outside [0, 1] are refused', () => {
    expect(benjaminiHochberg([0.03])).toEqual([0.03]);
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(InvalidInputError);
    expect(() => benjaminiHochberg([NaN])).toThrow(InvalidInputError);
  });
});
