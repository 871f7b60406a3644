import { chiSquareSf, InsufficientDataError, InvalidInputError, twoProportionZTest, zTestDrift } from './index';

describe('twoProportionZTest', () => {
  test('z² equals Pearson’s χ² of the 2×2 table and the p-values agree', () => {
    const [x1, n1, x2, n2] = [45, 120, 70, 130];
    const z = twoProportionZTest(x1, n1, x2, n2);
    const total = n1 + n2;
    const events = x1 + x2;
    const observed = [x1, n1 - x1, x2, n2 - x2];
    const expected = [
      (n1 * events) / total,
      (n1 * (total - events)) / total,
      (n2 * events) / total,
      (n2 * (total - events)) / total,
    ];
    let chi2 = 0;
    observed.forEach((o, i) => (chi2 += (o - (expected[i] ?? 0)) ** 2 / (expected[i] ?? 1)));
    expect(z.statistic ** 2).toBeCloseTo(chi2, 10);
    expect(z.pValue).toBeCloseTo(chiSquareSf(chi2, 1), 13);
  });

  test('identical proportions: z = 0, p = 1; swapping samples flips the sign only', () => {
    expect(twoProportionZTest(30, 100, 60, 200)).toEqual({ statistic: 0, pValue: 1 });
    const a = twoProportionZTest(10, 50, 25, 60);
    const b = twoProportionZTest(25, 60, 10, 50);
    expect(b.statistic).toBeCloseTo(-a.statistic, 14);
    expect(b.pValue).toBeCloseTo(a.pValue, 14);
  });

  test('both samples constant and equal: no evidence of change', () => {
    expect(zTestDrift([50], [40]).pValue).toBe(1);
    expect(twoProportionZTest(0, 10, 0, 20).pValue).toBe(1);
  });

  test('rejects empty samples and impossible counts', () => {
    expect(() => twoProportionZTest(1, 0, 1, 2)).toThrow(InsufficientDataError);
    expect(() => twoProportionZTest(5, 3, 1, 2)).toThrow(InvalidInputError);
    expect(() => zTestDrift([], [])).toThrow(InsufficientDataError);
  });
});
