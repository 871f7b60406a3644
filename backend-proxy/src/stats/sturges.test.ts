import { linspace, sturgesEdges } from './sturges';
import { InsufficientDataError } from './errors';
import { normalSample, seededRandom } from './testRandom';

describe('sturgesEdges', () => {
  test('covers [min, max] with ceil(log2 n + 1) equal bins', () => {
    const values = normalSample(seededRandom(7), 1000);
    const edges = sturgesEdges(values);
    expect(edges[0]).toBe(Math.min(...values));
    expect(edges[edges.length - 1]).toBe(Math.max(...values));
    expect(edges.length - 1).toBe(Math.ceil(Math.log2(1000) + 1));
    const widths = edges.slice(1).map((e, i) => e - (edges[i] ?? 0));
    for (const w of widths) expect(Math.abs(w - (widths[0] ?? 0))).toBeLessThan(1e-12);
  });

  test('a constant sample gets one bin of width 1 around it', () => {
    expect(sturgesEdges([3, 3, 3])).toEqual([2.5, 3.5]);
  });

  test('an empty sample is insufficient', () => {
    expect(() => sturgesEdges([])).toThrow(InsufficientDataError);
  });

  test('linspace hits both end points exactly', () => {
    const l = linspace(0.1, 0.7, 7);
    expect(l[0]).toBe(0.1);
    expect(l[6]).toBe(0.7);
  });
});
