import { exceedsThreshold, InvalidInputError, isPValueMethod, resolveThreshold } from './index';

describe('thresholds', () => {
  test('KS drifts at p ≤ α, chi-square and Z at p < α, distances at ≥ threshold (as Evidently)', () => {
    expect(exceedsThreshold('p_at_or_below', 0.05, 0.05)).toBe(true);
    expect(exceedsThreshold('p_below', 0.05, 0.05)).toBe(false);
    expect(exceedsThreshold('at_least', 0.1, 0.1)).toBe(true);
  });

  test('overrides are validated against the method scale', () => {
    expect(resolveThreshold('psi', 0.25)).toBe(0.25);
    expect(resolveThreshold('ks')).toBe(0.05);
    expect(() => resolveThreshold('ks', 1)).toThrow(InvalidInputError);
    expect(() => resolveThreshold('psi', -1)).toThrow(InvalidInputError);
    expect(isPValueMethod('ztest')).toBe(true);
  });
});
