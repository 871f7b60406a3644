import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { coarsenCounts, coarsenEdges, countIndex, FINE_BINS, PSI_BINS, quantileEdges } from './binning';
import { seededRandom } from '../stats/testRandom';

const PYTHON = join(__dirname, '..', '..', '..', '.venv', 'bin', 'python');

const samples: Record<string, number[]> = {
  uniform: Array.from({ length: 997 }, seededRandom(1)),
  heavyTail: Array.from(
    { length: 1500 },
    (
      (r) => () =>
        Math.tan(Math.PI * (r() - 0.5))
    )(seededRandom(2))
  ),
  ties: Array.from(
    { length: 640 },
    (
      (r) => () =>
        Math.floor(r() * 4)
    )(seededRandom(3))
  ),
  tiny: [3, 1, 2],
  constant: Array.from({ length: 50 }, () => 7),
};

const sorted = (values: readonly number[]) => Float64Array.from(values).sort();

/** Index in the [below, bins…, above] layout by a linear scan (independent of the binary search). */
function linearIndex(edges: readonly number[], x: number): number {
  const last = edges.length - 1;
  if (x < (edges[0] ?? 0)) return 0;
  if (x > (edges[last] ?? 0)) return last + 1;
  let bin = 0;
  for (let i = 0; i < last; i++) if ((edges[i] ?? 0) <= x) bin = i;
  return bin + 1;
}

function counts(values: readonly number[], edges: readonly number[]): number[] {
  const out = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) out[linearIndex(edges, v)] = (out[linearIndex(edges, v)] ?? 0) + 1;
  return out;
}

describe('quantileEdges', () => {
  it.each(Object.keys(samples))('matches numpy.quantile (linear) on the %s sample', (name) => {
    const values = samples[name] ?? [];
    const script = [
      'import json, sys, numpy as np',
      'x = np.array(json.load(sys.stdin))',
      'print(json.dumps(np.quantile(x, np.arange(101) / 100).tolist()))',
    ].join('\n');
    expect(existsSync(PYTHON)).toBe(true);
    const expected = JSON.parse(
      execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(values) }).toString()
    ) as number[];
    const edges = quantileEdges(sorted(values), FINE_BINS);
    expect(edges).toHaveLength(expected.length);
    edges.forEach((e, i) =>
      expect(Math.abs(e - (expected[i] ?? Number.NaN))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)))
    );
  });

  it.each(Object.keys(samples))('gives decile edges equal, bit for bit, to every 10th fine edge (%s)', (name) => {
    const s = sorted(samples[name] ?? []);
    expect(coarsenEdges(quantileEdges(s, FINE_BINS), FINE_BINS / PSI_BINS)).toEqual(quantileEdges(s, PSI_BINS));
  });

  it('refuses empty samples and bad bin counts', () => {
    expect(() => quantileEdges([], 10)).toThrow(RangeError);
    expect(() => quantileEdges([1], 0)).toThrow(RangeError);
  });
});

describe('countIndex and coarsenCounts', () => {
  it.each(Object.keys(samples))('agree with a linear scan and coarsen 100 bins exactly to the deciles (%s)', (name) => {
    const values = samples[name] ?? [];
    const fine = quantileEdges(sorted(values), FINE_BINS);
    const probe = [...values, ...values.map((v) => v + 1e-9), Math.min(...values) - 1, Math.max(...values) + 1];
    for (const v of probe) expect(countIndex(fine, v)).toBe(linearIndex(fine, v));
    const fineCounts = counts(probe, fine);
    const decileCounts = counts(probe, quantileEdges(sorted(values), PSI_BINS));
    expect(coarsenCounts(fineCounts, FINE_BINS / PSI_BINS)).toEqual(decileCounts);
    expect(fineCounts[0]).toBe(1);
    expect(fineCounts[fineCounts.length - 1]).toBeGreaterThanOrEqual(1);
  });

  it('puts the maximum in the last bin (closed) and values above it in the upper tail', () => {
    const edges = [0, 1, 2];
    expect(countIndex(edges, 2)).toBe(2);
    expect(countIndex(edges, 2.5)).toBe(3);
    expect(countIndex(edges, -0.5)).toBe(0);
    expect(countIndex(edges, 0)).toBe(1);
  });

  it('refuses a factor that does not divide the bins', () => {
    expect(() => coarsenCounts(new Array(102).fill(0), 3)).toThrow(RangeError);
  });
});
