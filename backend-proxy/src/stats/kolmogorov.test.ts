import { InvalidInputError, kolmogorovSf, smirnovSf } from './index';

describe('kolmogorovSf (two-sided one-sample KS distribution)', () => {
  test('n = 1: P(D ≥ x) = 2(1 − x) for x ≥ 1/2', () => {
    for (const x of [0.5, 0.6, 0.9]) expect(kolmogorovSf(1, x)).toBeCloseTo(2 * (1 - x), 14);
  });

  test('is 1 at and below 1/(2n) and 0 at 1', () => {
    expect(kolmogorovSf(10, 0.05)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
  });

  test('is continuous across the algorithm switches (Durbin, Pomeranz, Smirnov, Pelz-Good)', () => {
    const cases: Array<[number, number]> = [
      [50, 0.754693], // Durbin → Pomeranz
      [50, 4], // Pomeranz → 2·smirnov
      [1000, 2.2], // Durbin → 2·smirnov (n > 140)
      [200000, 1.0], // Pelz-Good region
    ];
    for (const [n, nx2] of cases) {
      const x = Math.sqrt(nx2 / n);
      const below = kolmogorovSf(n, x * (1 - 1e-9));
      const above = kolmogorovSf(n, x * (1 + 1e-9));
      // 2·smirnov ignores the (tiny) chance of crossing both bands, so the switch itself may jump by ~1e-8
      expect(Math.abs(below - above)).toBeLessThan(1e-6);
    }
  });

  test('decreases in x', () => {
    let last = 1;
    for (let x = 0.01; x < 0.5; x += 0.01) {
      const p = kolmogorovSf(100, x);
      expect(p).toBeLessThanOrEqual(last + 1e-12);
      last = p;
    }
  });

  test('rejects a non-integer n and NaN', () => {
    expect(() => kolmogorovSf(2.5, 0.3)).toThrow(InvalidInputError);
    expect(() => kolmogorovSf(10, NaN)).toThrow(InvalidInputError);
  });
});

describe('smirnovSf (one-sided)', () => {
  test('n = 1 is uniform: 1 − x', () => {
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 15);
  });

  test('is half the two-sided tail where both tails cannot co-occur (x ≥ 1/2)', () => {
    for (const n of [5, 40]) expect(2 * smirnovSf(n, 0.6)).toBeCloseTo(kolmogorovSf(n, 0.6), 14);
  });

  test('rejects x outside [0, 1]', () => {
    expect(() => smirnovSf(3, 1.2)).toThrow(InvalidInputError);
  });
});
