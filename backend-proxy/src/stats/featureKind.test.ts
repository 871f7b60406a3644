import { inferFeatureKind, INTEGER_CARDINALITY_LIMIT, InsufficientDataError, profileFeature } from './index';

describe('inferFeatureKind', () => {
  test('strings and booleans are categorical, floats numeric', () => {
    expect(inferFeatureKind(['a', 'b', null])).toBe('categorical');
    expect(inferFeatureKind([true, false])).toBe('categorical');
    expect(inferFeatureKind([0.5, 1, 2])).toBe('numeric');
  });

  test('regression: integers with a missing value are numeric, as pandas makes the column float for Evidently', () => {
    expect(inferFeatureKind([0, 1, 1, 2])).toBe('categorical');
    expect(inferFeatureKind([0, 1, null, 2])).toBe('numeric');
    expect(inferFeatureKind([0, 1, NaN, 2])).toBe('numeric');
  });

  test('integers are categorical up to the cardinality limit, numeric above it', () => {
    const ints = (k: number) => Array.from({ length: 3 * k }, (_, i) => i % k);
    expect(inferFeatureKind(ints(INTEGER_CARDINALITY_LIMIT))).toBe('categorical');
    expect(inferFeatureKind(ints(INTEGER_CARDINALITY_LIMIT + 1))).toBe('numeric');
  });

  test('all missing is insufficient', () => {
    expect(() => inferFeatureKind([null, NaN])).toThrow(InsufficientDataError);
  });
});

describe('profileFeature', () => {
  test('numeric: missing and infinite values counted apart, value counts kept for few distinct values', () => {
    const p = profileFeature([1, 2, 2, null, Infinity, 3.5], { kind: 'numeric', fineBins: 4 });
    if (p.kind !== 'numeric') throw new Error('numeric expected');
    expect([p.n, p.missing, p.edges.length]).toEqual([4, 2, 5]);
    expect(p.valueCounts).toEqual([
      [1, 1],
      [2, 2],
      [3.5, 1],
    ]);
    expect(p.values).toEqual([1, 2, 2, 3.5]);
  });

  test('numeric without raw values when asked, and no value counts above 20 distinct values', () => {
    const p = profileFeature(
      Array.from({ length: 50 }, (_, i) => i / 2),
      { keepValues: false }
    );
    if (p.kind !== 'numeric') throw new Error('numeric expected');
    expect([p.values, p.valueCounts]).toEqual([null, null]);
  });

  test('categorical: sorted category counts', () => {
    const p = profileFeature(['b', 'a', 'b', null]);
    expect(p).toEqual({
      kind: 'categorical',
      n: 3,
      missing: 1,
      categoryCounts: [
        ['a', 1],
        ['b', 2],
      ],
    });
  });
});
