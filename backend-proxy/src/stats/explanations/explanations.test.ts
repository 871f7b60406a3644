import {
  importanceChange,
  importanceFromMatrix,
  importanceFromSums,
  importanceRankingNdcg,
  InsufficientDataError,
  InvalidInputError,
  ndcg,
  rankByImportance,
} from '../index';

const log2 = (x: number) => Math.log(x) / Math.log(2);

describe('importanceFromMatrix', () => {
  test('is the mean |attribution| and the mean signed attribution per column', () => {
    const result = importanceFromMatrix(
      ['a', 'b'],
      [
        [1, -2],
        [-3, 4],
        [2, 0],
      ]
    );
    expect(result).toEqual([
      { feature: 'a', meanAbs: 6 / 3, meanSigned: 0 / 3, count: 3 },
      { feature: 'b', meanAbs: 6 / 3, meanSigned: 2 / 3, count: 3 },
    ]);
  });

  test('refuses an empty, ragged or non-finite matrix', () => {
    expect(() => importanceFromMatrix(['a'], [])).toThrow(InsufficientDataError);
    expect(() => importanceFromMatrix(['a', 'b'], [[1]])).toThrow(/row 0 has 1 values for 2 features/);
    expect(() => importanceFromMatrix(['a'], [[Number.NaN]])).toThrow(InvalidInputError);
    expect(() => importanceFromMatrix(['a', 'a'], [[1, 2]])).toThrow(/repeat/);
  });
});

describe('importanceFromSums', () => {
  test('equals the matrix means for the same values and skips features without values', () => {
    const values = [0.5, -1.5, 2.25];
    const sums = [
      {
        feature: 'x',
        count: 3,
        sum: values.reduce((s, v) => s + v, 0),
        absSum: values.reduce((s, v) => s + Math.abs(v), 0),
      },
      { feature: 'empty', count: 0, sum: 0, absSum: 0 },
    ];
    const fromSums = importanceFromSums(sums);
    const fromMatrix = importanceFromMatrix(
      ['x'],
      values.map((v) => [v])
    );
    expect(fromSums).toEqual(fromMatrix);
    expect(() => importanceFromSums([{ feature: 'x', count: -1, sum: 0, absSum: 0 }])).toThrow(/importanceFromSums/);
  });
});

describe('rankByImportance', () => {
  test('sorts by mean |attribution| descending, ties by name, and keeps the top N', () => {
    const items = [
      { feature: 'c', meanAbs: 1 },
      { feature: 'b', meanAbs: 2 },
      { feature: 'a', meanAbs: 1 },
    ];
    expect(rankByImportance(items).map((i) => i.feature)).toEqual(['b', 'a', 'c']);
    expect(rankByImportance(items, 2).map((i) => i.feature)).toEqual(['b', 'a']);
    expect(items[0]?.feature).toBe('c');
  });
});

describe('ndcg', () => {
  test('is 1 for the ideal order and DCG / IDCG with linear gain and 1/log2(rank+1) discount otherwise', () => {
    expect(ndcg([3, 2, 1], [0.9, 0.5, 0.1])).toBe(1);
    const dcg = 1 / log2(2) + 2 / log2(3) + 3 / log2(4);
    const idcg = 3 / log2(2) + 2 / log2(3) + 1 / log2(4);
    expect(ndcg([3, 2, 1], [0.1, 0.5, 0.9])).toBeCloseTo(dcg / idcg, 14);
  });

  test('averages the gain of tied scores over their ranks', () => {
    const idcg = 3 / log2(2) + 1 / log2(3) + 0 / log2(4);
    const tied = (((3 + 0) / 2) * (1 / log2(2) + 1 / log2(3)) + 1 / log2(4)) / idcg;
    expect(ndcg([3, 1, 0], [0.5, 0.2, 0.5])).toBeCloseTo(tied, 14);
    // All tied: every item gets the mean gain.
    expect(ndcg([2, 0], [1, 1])).toBeCloseTo((1 * (1 + 1 / log2(3))) / 2, 14);
  });

  test('k cuts the ranking after k ranks; all-zero relevance gives 0', () => {
    expect(ndcg([3, 2, 1], [0.1, 0.5, 0.9], 1)).toBeCloseTo(1 / 3, 14);
    expect(ndcg([0, 0], [1, 2])).toBe(0);
  });

  test('refuses a single item, negative relevance, different lengths and a bad k', () => {
    expect(() => ndcg([1], [1])).toThrow(InsufficientDataError);
    expect(() => ndcg([1, -1], [1, 2])).toThrow(/ndcg: relevance must not be negative/);
    expect(() => ndcg([1, 2], [1])).toThrow(InvalidInputError);
    expect(() => ndcg([1, 2], [1, 2], 0)).toThrow(/k must be an integer/);
  });
});

describe('importanceRankingNdcg', () => {
  test('uses the reference importances as relevance, missing features as 0', () => {
    expect(importanceRankingNdcg({ a: 2, b: 1 }, { a: 0.7, b: 0.1 })).toBe(1);
    expect(importanceRankingNdcg({ a: 2, b: 1 }, { a: 0.1, b: 0.7 })).toBeCloseTo(ndcg([2, 1], [0.1, 0.7]), 15);
    expect(importanceRankingNdcg({ a: 2, b: 1 }, { b: 0.7, c: 0.5 })).toBeCloseTo(ndcg([2, 1, 0], [0, 0.7, 0.5]), 15);
  });
});

describe('importanceChange', () => {
  test('gives absolute and relative change per feature of either side', () => {
    expect(importanceChange({ a: 2, b: 0, c: 1 }, { a: 3, b: 1, d: 4 })).toEqual([
      { feature: 'a', reference: 2, current: 3, change: 1, relativeChange: 0.5 },
      { feature: 'b', reference: 0, current: 1, change: 1, relativeChange: null },
      { feature: 'c', reference: 1, current: null, change: null, relativeChange: null },
      { feature: 'd', reference: null, current: 4, change: null, relativeChange: null },
    ]);
    expect(() => importanceChange({ a: Number.NaN }, {})).toThrow(/importanceChange/);
  });
});
