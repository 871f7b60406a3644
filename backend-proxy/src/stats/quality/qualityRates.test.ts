import { freshnessSeconds, InvalidInputError, qualityRates } from '../index';

describe('qualityRates', () => {
  test('divides each counter by the rows it can happen to', () => {
    const rates = qualityRates({ count: 6, missing: 2, typeErrors: 2, outOfRange: 3, unseen: 0 }, 'numeric');
    expect(rates.rows).toBe(8);
    expect(rates.missingRate).toBe(2 / 8);
    expect(rates.typeErrorRate).toBe(2 / 10);
    expect(rates.outOfRangeRate).toBe(3 / 6);
    expect(rates.unseenRate).toBeNull();
  });

  test('categorical features get an unseen rate and no out-of-range rate', () => {
    const rates = qualityRates({ count: 4, missing: 0, typeErrors: 0, outOfRange: 0, unseen: 1 }, 'categorical');
    expect(rates.unseenRate).toBe(0.25);
    expect(rates.outOfRangeRate).toBeNull();
    expect(rates.missingRate).toBe(0);
  });

  test('an empty window has null rates, not NaN; only missing values leave the value rates null', () => {
    const empty = qualityRates({ count: 0, missing: 0, typeErrors: 0, outOfRange: 0, unseen: 0 }, 'numeric');
    expect(empty).toEqual({ rows: 0, missingRate: null, typeErrorRate: null, outOfRangeRate: null, unseenRate: null });
    const allMissing = qualityRates({ count: 0, missing: 5, typeErrors: 0, outOfRange: 0, unseen: 0 }, 'numeric');
    expect(allMissing.missingRate).toBe(1);
    expect(allMissing.outOfRangeRate).toBeNull();
    const onlyRefused = qualityRates({ count: 0, missing: 0, typeErrors: 3, outOfRange: 0, unseen: 0 }, 'numeric');
    expect(onlyRefused.typeErrorRate).toBe(1);
    expect(onlyRefused.missingRate).toBeNull();
  });

  test('refuses negative counters and subsets larger than the count, naming the function', () => {
    expect(() => qualityRates({ count: 1, missing: -1, typeErrors: 0, outOfRange: 0, unseen: 0 }, 'numeric')).toThrow(
      InvalidInputError
    );
    expect(() => qualityRates({ count: 1, missing: 0, typeErrors: 0, outOfRange: 2, unseen: 0 }, 'numeric')).toThrow(
      /qualityRates: outOfRange/
    );
    expect(() =>
      qualityRates({ count: 1, missing: 0, typeErrors: 0, outOfRange: 0, unseen: 2 }, 'categorical')
    ).toThrow(/qualityRates: unseen/);
  });
});

describe('freshnessSeconds', () => {
  test('is the time since the last row in seconds, clamped at 0, null without a row', () => {
    expect(freshnessSeconds(1_000, 61_500)).toBe(60.5);
    expect(freshnessSeconds(10_000, 9_000)).toBe(0);
    expect(freshnessSeconds(null, 9_000)).toBeNull();
    expect(() => freshnessSeconds(Number.NaN, 9_000)).toThrow(/freshnessSeconds/);
  });
});
