import { erf, erfc, normalCdf, normalSf } from './index';

describe('error function and normal distribution', () => {
  test('erf is odd and erf + erfc = 1', () => {
    for (const x of [0.2, 0.99, 1.01, 3, 6]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
    }
  });

  test('Φ(x) + Φ(−x) = 1 and the survival function keeps relative accuracy deep in the tail', () => {
    for (const x of [0.1, 1.5, 4]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
    // 1 − Φ(10) underflows to 0 in naive form; the tail form is the Mills-ratio value e^(−50)/(10√(2π))·(1 − 1/100 …)
    const tail = normalSf(10);
    const mills = Math.exp(-50) / (10 * Math.sqrt(2 * Math.PI));
    expect(tail / mills).toBeGreaterThan(0.98);
    expect(tail / mills).toBeLessThan(1);
  });

  test('is continuous where the approximations switch (|x| = 1 and 8 for erfc)', () => {
    for (const x of [1, 8]) expect(Math.abs(erfc(x * (1 - 1e-12)) - erfc(x * (1 + 1e-12)))).toBeLessThan(1e-11);
  });
});
