import {
  binCounts,
  histogramWasserstein,
  InsufficientDataError,
  InvalidInputError,
  normalizedWasserstein,
  quantileEdges,
  wassersteinDistance,
  WASSERSTEIN_MIN_STD,
} from './index';
import { normalSample, seededRandom } from './testRandom';

describe('wassersteinDistance', () => {
  test('a shift by c moves every unit of mass by |c|', () => {
    const a = normalSample(seededRandom(1), 200);
    expect(
      wassersteinDistance(
        a,
        a.map((v) => v + 0.7)
      )
    ).toBeCloseTo(0.7, 12);
  });

  test('is symmetric and 0 for the same sample in another order', () => {
    const rand = seededRandom(2);
    const a = normalSample(rand, 100);
    const b = normalSample(rand, 150, 1);
    expect(wassersteinDistance(a, b)).toBeCloseTo(wassersteinDistance(b, a), 13);
    expect(wassersteinDistance(a, a.slice().reverse())).toBe(0);
  });

  test('normalised by the reference standard deviation, floored at 0.001 for a constant reference', () => {
    const a = normalSample(seededRandom(3), 500, 0, 3);
    const b = a.map((v) => v + 3);
    expect(normalizedWasserstein(a, b)).toBeGreaterThan(0.9);
    expect(normalizedWasserstein(a, b)).toBeLessThan(1.1);
    expect(normalizedWasserstein([2, 2, 2], [2.001])).toBeCloseTo(0.001 / WASSERSTEIN_MIN_STD, 9);
  });

  test('rejects empty samples and NaN', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(InsufficientDataError);
    expect(() => wassersteinDistance([NaN], [1])).toThrow(InvalidInputError);
  });
});

describe('histogramWasserstein', () => {
  test('approaches the exact distance as bins get finer', () => {
    const rand = seededRandom(4);
    const a = normalSample(rand, 3000);
    const b = normalSample(rand, 3000, 0.3, 1.2);
    const exact = wassersteinDistance(a, b);
    const errors = [10, 100, 1000].map((bins) => {
      const edges = quantileEdges(a, bins);
      return Math.abs(histogramWasserstein(edges, binCounts(a, edges), binCounts(b, edges)) - exact);
    });
    expect(errors[1]).toBeLessThan(errors[0] ?? 0);
    expect(errors[2]).toBeLessThan(0.01 * exact);
  });

  test('moving all mass from the first to the second of two unit bins costs 1', () => {
    const edges = [0, 1, 2];
    expect(
      histogramWasserstein(edges, { below: 0, bins: [4, 0], above: 0 }, { below: 0, bins: [0, 9], above: 0 })
    ).toBeCloseTo(1, 15);
  });

  test('counts must match the edges', () => {
    expect(() =>
      histogramWasserstein([0, 1], { below: 0, bins: [1, 2], above: 0 }, { below: 0, bins: [1], above: 0 })
    ).toThrow(InvalidInputError);
  });
});
