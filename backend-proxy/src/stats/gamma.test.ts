import { chiSquareSf, erfc, gammaIncLower, gammaIncUpper, InvalidInputError, logGamma } from './index';

describe('incomplete gamma', () => {
  test('P + Q = 1 across the series / continued-fraction switch', () => {
    for (const a of [0.5, 3, 12, 150]) {
      for (const x of [0.1 * a, a, a + 1, 3 * a]) expect(gammaIncLower(a, x) + gammaIncUpper(a, x)).toBeCloseTo(1, 14);
    }
  });

  test('Q(1, x) = e^(−x) and Q(n, x) is the Poisson tail Σ_{k<n} e^(−x) x^k / k!', () => {
    expect(gammaIncUpper(1, 2.5)).toBeCloseTo(Math.exp(-2.5), 15);
    const x = 7.3;
    let poisson = 0;
    for (let k = 0, term = Math.exp(-x); k < 12; k++, term *= x / k) poisson += term;
    expect(gammaIncUpper(12, x) / poisson).toBeCloseTo(1, 13);
  });

  test('χ² with 1 dof is erfc(√(x/2)); with 2 dof it is e^(−x/2)', () => {
    for (const x of [0.3, 3.84, 20]) {
      expect(chiSquareSf(x, 1) / erfc(Math.sqrt(x / 2))).toBeCloseTo(1, 12);
      expect(chiSquareSf(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 12);
    }
  });

  test('logGamma(n) = ln((n − 1)!)', () => {
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 13);
  });

  test('rejects a ≤ 0 and negative x', () => {
    expect(() => gammaIncUpper(0, 1)).toThrow(InvalidInputError);
    expect(() => gammaIncUpper(1, -1)).toThrow(/gammaIncUpper: x/);
    expect(() => chiSquareSf(1, 0)).toThrow(InvalidInputError);
  });
});
