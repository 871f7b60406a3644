import {
  binCounts,
  binIndex,
  binTotal,
  categoryCounts,
  coarsen,
  coarsenEdges,
  InsufficientDataError,
  InvalidInputError,
  quantileEdges,
} from './index';
import { normalSample, seededRandom } from './testRandom';

describe('quantileEdges', () => {
  test('edges run from the minimum to the maximum and never decrease', () => {
    const values = normalSample(seededRandom(1), 500);
    const edges = quantileEdges(values, 10);
    expect(edges).toHaveLength(11);
    expect(edges[0]).toBe(Math.min(...values));
    expect(edges[10]).toBe(Math.max(...values));
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThanOrEqual(edges[i - 1] ?? Infinity);
  });

  test('each decile bin of the reference holds about a tenth of it', () => {
    const values = normalSample(seededRandom(2), 1000);
    const counts = binCounts(values, quantileEdges(values, 10));
    expect(counts.below + counts.above).toBe(0);
    for (const c of counts.bins) expect(Math.abs(c - 100)).toBeLessThanOrEqual(1);
  });

  test('rejects empty samples, NaN and a bad bin count with typed errors naming the function', () => {
    expect(() => quantileEdges([], 10)).toThrow(InsufficientDataError);
    expect(() => quantileEdges([1, NaN], 10)).toThrow(InvalidInputError);
    expect(() => quantileEdges([1, 2], 0)).toThrow(/quantileEdgesSorted: nBins/);
  });
});

describe('binIndex / binCounts edge convention', () => {
  const edges = [0, 1, 2];

  test('left-closed bins, the last bin closed on the right, tails outside', () => {
    expect([-0.5, 0, 0.99, 1, 2, 2.5].map((v) => binIndex(v, edges))).toEqual([-1, 0, 0, 1, 1, 2]);
  });

  test('repeated edges leave zero-width bins empty', () => {
    const tied = [0, 1, 1, 1, 2];
    expect(binCounts([0.5, 1, 1, 1.5, 2], tied)).toEqual({ below: 0, bins: [1, 0, 0, 4], above: 0 });
  });

  test('counts add up to the sample size, tails included', () => {
    const values = normalSample(seededRandom(3), 300);
    expect(binTotal(binCounts(values, [-1, 0, 1]))).toBe(300);
  });

  test('rejects NaN values and decreasing edges', () => {
    expect(() => binCounts([NaN], edges)).toThrow(InvalidInputError);
    expect(() => binCounts([1], [2, 1])).toThrow(/binCounts: edges must be non-decreasing/);
  });
});

describe('coarsen', () => {
  test.each([1, 2, 3, 4, 5])('100 percentile bins coarsen exactly to the 10 decile bins (seed %i)', (seed) => {
    const rand = seededRandom(seed);
    // heavy ties (rounding) and a reference/current mismatch, so repeated edges and tails occur
    const reference = normalSample(rand, 800).map((v) => Math.round(v * 4) / 4);
    const current = normalSample(rand, 600, 0.5, 1.5).map((v) => Math.round(v * 4) / 4);
    const fine = quantileEdges(reference, 100);
    const coarse = quantileEdges(reference, 10);
    expect(coarsenEdges(fine, 10)).toEqual(coarse);
    expect(coarsen(binCounts(current, fine), 10)).toEqual(binCounts(current, coarse));
    expect(coarsen(binCounts(reference, fine), 10)).toEqual(binCounts(reference, coarse));
  });

  test('refuses a factor that does not divide the bins', () => {
    expect(() => coarsen({ below: 0, bins: [1, 2, 3], above: 0 }, 2)).toThrow(InvalidInputError);
  });
});

describe('categoryCounts', () => {
  test('null, undefined and NaN are missing, not categories; numbers and booleans become keys', () => {
    const { counts, missing } = categoryCounts(['a', null, 'a', undefined, NaN, 2, true, 'b']);
    expect(missing).toBe(3);
    expect([...counts.entries()]).toEqual([
      ['a', 2],
      ['2', 1],
      ['true', 1],
      ['b', 1],
    ]);
  });

  test('rejects Infinity', () => {
    expect(() => categoryCounts([Infinity])).toThrow(InvalidInputError);
  });
});
