import {
  binCounts,
  fitDrift,
  ksBinError,
  ksTwoSample,
  profileFeature,
  wassersteinBinError,
  wassersteinDistance,
  histogramWasserstein,
  type NumericProfile,
} from './index';
import { normalSample, seededRandom } from './testRandom';

describe('error bounds of scores from binned counts', () => {
  const rand = seededRandom(11);
  const reference = normalSample(rand, 2000);
  const profile = profileFeature(reference, { kind: 'numeric' }) as NumericProfile;

  test.each([0, 0.2, 1])('the raw-row Wasserstein and KS lie within the bound (shift %s sd)', (shift) => {
    for (let trial = 0; trial < 20; trial++) {
      const current = normalSample(rand, 150, shift).filter((x) => x > profile.min && x < profile.max);
      const cur = binCounts(current, profile.edges);
      const exactW = wassersteinDistance(reference, current);
      const binnedW = histogramWasserstein(profile.edges, profile.binCounts, cur);
      expect(Math.abs(exactW - binnedW)).toBeLessThanOrEqual(
        wassersteinBinError(profile.edges, profile.binCounts, cur)
      );
      const exactD = ksTwoSample(reference, current).statistic;
      const binnedD = fitDrift('ks', profile).calculate({ sketch: { kind: 'numeric', binCounts: cur } }).statistic ?? 0;
      expect(binnedD).toBeLessThanOrEqual(exactD + 1e-12);
      expect(exactD - binnedD).toBeLessThanOrEqual(ksBinError(profile.binCounts, cur));
    }
  });

  test('a binned score carries its bound and says so; a raw-row score has none', () => {
    const current = normalSample(rand, 150, 0.1);
    const fitted = fitDrift('wasserstein', profile);
    const binned = fitted.calculate({ sketch: { kind: 'numeric', binCounts: binCounts(current, profile.edges) } });
    expect(binned.errorBound).toBeGreaterThan(0);
    expect(binned.notice).toMatch(/approximate, within/);
    const withValues = fitDrift('wasserstein', reference).calculate({ values: current });
    expect(withValues.errorBound).toBeNull();
  });

  test('empty sides give a zero bound', () => {
    const empty = { below: 0, bins: [0, 0], above: 0 };
    const some = { below: 0, bins: [1, 1], above: 0 };
    expect(wassersteinBinError([0, 1, 2], empty, some)).toBe(0);
    expect(ksBinError(some, empty)).toBe(0);
  });
});
