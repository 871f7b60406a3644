import {
  binCounts,
  InsufficientDataError,
  InvalidInputError,
  ksExactTwoSided,
  ksFromBinCounts,
  ksPValue,
  ksTwoSample,
  quantileEdges,
} from './index';
import { normalSample, seededRandom } from './testRandom';

const binomial = (n: number, k: number): number => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
};

describe('ksTwoSample', () => {
  test('identical samples: statistic 0, p-value 1', () => {
    const a = normalSample(seededRandom(1), 50);
    const r = ksTwoSample(a, a.slice().reverse());
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
  });

  test('completely separated samples of size n: p = 2 / C(2n, n) exactly', () => {
    for (const n of [3, 5, 8]) {
      const a = Array.from({ length: n }, (_, i) => i);
      const b = a.map((v) => v + 100);
      const r = ksTwoSample(a, b);
      expect(r.statistic).toBe(1);
      expect(r.method).toBe('exact');
      expect(r.pValue).toBeCloseTo(2 / binomial(2 * n, n), 15);
    }
  });

  test('the statistic does not depend on the order of the samples or which one comes first', () => {
    const rand = seededRandom(2);
    const a = normalSample(rand, 40);
    const b = normalSample(rand, 70, 0.4);
    const r1 = ksTwoSample(a, b);
    const r2 = ksTwoSample(b.slice().reverse(), a);
    expect(r2.statistic).toBe(r1.statistic);
    expect(r2.pValue).toBeCloseTo(r1.pValue, 14);
  });

  test('exact and asymptotic p-values agree closely for large samples', () => {
    const rand = seededRandom(3);
    const a = normalSample(rand, 2000);
    const b = normalSample(rand, 3000, 0.05);
    const exact = ksTwoSample(a, b, 'exact');
    const asymp = ksTwoSample(a, b, 'asymp');
    expect(exact.method).toBe('exact');
    expect(asymp.method).toBe('asymp');
    expect(Math.abs(exact.pValue - asymp.pValue)).toBeLessThan(0.01);
  });

  test('rejects empty samples and NaN with typed errors', () => {
    expect(() => ksTwoSample([], [1])).toThrow(InsufficientDataError);
    expect(() => ksTwoSample([1, NaN], [1])).toThrow(InvalidInputError);
  });
});

describe('ksPValue / ksExactTwoSided', () => {
  test('the p-value never increases with the statistic', () => {
    let last = 1;
    for (let h = 0; h <= 35; h++) {
      const p = ksPValue(5, 7, h / 35).pValue;
      expect(p).toBeLessThanOrEqual(last + 1e-15);
      last = p;
    }
  });

  test('the exact statistic is snapped to the lattice h / lcm', () => {
    expect(ksExactTwoSided(4, 6, 0.5 + 1e-13).statistic).toBe(6 / 12);
  });

  test('rejects sizes below 1 and statistics outside [0, 1]', () => {
    expect(() => ksPValue(0, 3, 0.5)).toThrow(InvalidInputError);
    expect(() => ksPValue(3, 3, 1.5)).toThrow(InvalidInputError);
  });
});

describe('ksFromBinCounts', () => {
  test('the binned statistic is a lower bound of the raw one', () => {
    const rand = seededRandom(4);
    const a = normalSample(rand, 400);
    const b = normalSample(rand, 300, 0.3);
    const edges = quantileEdges(a, 100);
    const binned = ksFromBinCounts(binCounts(a, edges), binCounts(b, edges));
    const raw = ksTwoSample(a, b);
    expect(binned.statistic).toBeLessThanOrEqual(raw.statistic);
    expect(binned.statistic).toBeGreaterThan(raw.statistic - 0.02);
  });
});
