import { chiSquareDrift, chiSquareSf, chiSquareTest, InsufficientDataError, InvalidInputError } from './index';

describe('chiSquareTest', () => {
  test('observed = expected gives χ² = 0 and p = 1', () => {
    expect(chiSquareTest([5, 10, 15], [5, 10, 15])).toEqual({ statistic: 0, pValue: 1, dof: 2 });
  });

  test('the statistic is Pearson’s sum and the p-value its χ²(k − 1) tail', () => {
    const o = [18, 22, 40, 20];
    const e = [25, 25, 25, 25];
    const r = chiSquareTest(o, e);
    const stat = o.reduce((s, oi, i) => s + (oi - (e[i] ?? 0)) ** 2 / (e[i] ?? 1), 0);
    expect(r.statistic).toBeCloseTo(stat, 12);
    expect(r.pValue).toBe(chiSquareSf(stat, 3));
  });

  test('an expected count of 0 with observations is infinitely surprising', () => {
    expect(chiSquareTest([3, 7], [0, 10])).toEqual({ statistic: Infinity, pValue: 0, dof: 1 });
  });

  test('refuses different totals, a single cell and a cell empty on both sides', () => {
    expect(() => chiSquareTest([1, 2], [1, 3])).toThrow(InvalidInputError);
    expect(() => chiSquareTest([1], [1])).toThrow(InsufficientDataError);
    expect(() => chiSquareTest([0, 2], [0, 2])).toThrow(/chiSquareTest: cell 0 is empty/);
  });
});

describe('chiSquareDrift', () => {
  test('scales the reference to the current total: same shares mean p = 1', () => {
    expect(chiSquareDrift([100, 200, 300], [10, 20, 30]).pValue).toBe(1);
  });

  test('an empty side is insufficient', () => {
    expect(() => chiSquareDrift([0, 0], [1, 2])).toThrow(InsufficientDataError);
  });
});
