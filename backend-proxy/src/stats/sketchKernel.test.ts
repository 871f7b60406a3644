import type { DriftMethod } from '@mlsight/contract';
import {
  binCounts,
  DriftColumns,
  type DriftOptions,
  type DriftResult,
  type FeatureProfile,
  fitDrift,
  fitSketchKernel,
  type NumericProfile,
  profileFeature,
} from './index';
import { categoricalSample, normalSample, seededRandom } from './testRandom';

const RELATIVE_TOLERANCE = 1e-12;
const WINDOWS = 60;

/**
 * Window sizes from empty through below the minimum (30) to past the calibration's largest size class, each used
 * several times (the kernel keeps thresholds per size); few sizes keep the calibrations this test fits few.
 */
const SIZES = [0, 7, 29, 30, 64, 180, 1500];
function windowSize(_rand: () => number, i: number): number {
  return SIZES[i % SIZES.length] ?? 0;
}

function numericProfile(rand: () => number, n: number, distinct?: number): NumericProfile {
  const values = normalSample(rand, n).map((v) => (distinct ? Math.round(Math.abs(v) * 3) % distinct : v));
  const profile = profileFeature(values, { kind: 'numeric', keepValues: false });
  if (profile.kind !== 'numeric') throw new Error('expected a numeric profile');
  return profile;
}

/** A numeric window as stored: counts on the profile's fine edges, tails included, from a shifted sample. */
function numericWindow(rand: () => number, profile: NumericProfile, i: number): Float64Array {
  const shift = (i % 4) * 0.15 - 0.1;
  const c = binCounts(normalSample(rand, windowSize(rand, i), shift, 1 + (i % 3) * 0.2), profile.edges);
  return Float64Array.from([c.below, ...c.bins, c.above]);
}

/** A categorical reference whose categories are not in sorted order (cells are compared in sorted order). */
function categoricalProfile(rand: () => number, n: number, categories: readonly string[]): FeatureProfile {
  const weights = categories.map((_, i) => i + 1);
  const values = categoricalSample(rand, n, categories, weights);
  const counts = categories.map((c) => values.filter((v) => v === c).length);
  return { kind: 'categorical', n, missing: 0, categoryCounts: categories.map((c, i) => [c, counts[i] ?? 0] as const) };
}

function categoricalWindow(rand: () => number, categories: readonly string[], i: number): Float64Array {
  const weights = categories.map((_, k) => (k === i % categories.length ? 3 : 1) + (i % 2));
  const values = categoricalSample(rand, windowSize(rand, i), categories, weights);
  return Float64Array.from(categories, (c) => values.filter((v) => v === c).length);
}

function sketchOf(profile: FeatureProfile, counts: Float64Array) {
  if (profile.kind === 'categorical') {
    const categoryCounts = new Map<string, number>();
    profile.categoryCounts.forEach(([c], i) => {
      if ((counts[i] ?? 0) > 0) categoryCounts.set(c, counts[i] ?? 0);
    });
    return { sketch: { kind: 'categorical' as const, categoryCounts } };
  }
  const last = counts.length - 1;
  const binCountsOf = { below: counts[0] ?? 0, bins: Array.from(counts.subarray(1, last)), above: counts[last] ?? 0 };
  return { sketch: { kind: 'numeric' as const, binCounts: binCountsOf } };
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

const NUMBERS = ['score', 'pValue', 'statistic', 'effectSize', 'threshold', 'errorBound', 'currentN'] as const;
const EXACT = ['method', 'drifted', 'insufficient', 'referenceN', 'thresholdMode', 'effectSizeMeasure'] as const;

/** Every field but the notice (the kernel keeps notices per series) within the tolerance; returns the mismatches. */
function mismatches(kernel: DriftResult, calculated: DriftResult): string[] {
  const out: string[] = [];
  for (const k of NUMBERS) if (!close(kernel[k], calculated[k])) out.push(`${k}: ${kernel[k]} vs ${calculated[k]}`);
  for (const k of EXACT) if (kernel[k] !== calculated[k]) out.push(`${k}: ${kernel[k]} vs ${calculated[k]}`);
  return out;
}

interface Case {
  name: string;
  profile: FeatureProfile;
  window: (i: number) => Float64Array;
}

const rand = seededRandom(20261204);
const smallNumeric = numericProfile(rand, 600);
const largeNumeric = numericProfile(rand, 3000);
const CATS = ['delta', 'alpha', 'charlie', 'bravo'];
const BINARY = ['yes', 'no'];
const CASES: Case[] = [
  { name: 'numeric, 600 reference rows', profile: smallNumeric, window: (i) => numericWindow(rand, smallNumeric, i) },
  { name: 'numeric, 3000 reference rows', profile: largeNumeric, window: (i) => numericWindow(rand, largeNumeric, i) },
  ...[
    { name: 'categorical, 4 categories, 600 rows', categories: CATS, n: 600 },
    { name: 'categorical, 4 categories, 3000 rows', categories: CATS, n: 3000 },
    { name: 'binary, 500 rows', categories: BINARY, n: 500 },
    { name: 'one category', categories: ['only'], n: 400 },
  ].map(({ name, categories, n }) => ({
    name,
    profile: categoricalProfile(rand, n, categories),
    window: (i: number) => categoricalWindow(rand, categories, i),
  })),
];

const NUMERIC_METHODS: DriftMethod[] = ['auto', 'ks', 'wasserstein', 'psi', 'jensenshannon', 'hellinger', 'linf'];
const CATEGORICAL_METHODS: DriftMethod[] = ['auto', 'chisquare', 'ztest', 'psi', 'jensenshannon', 'hellinger', 'linf'];
const OPTIONS: Array<{ name: string; options: DriftOptions }> = [
  { name: 'calibrated', options: {} },
  { name: 'fixed', options: { thresholdMode: 'fixed' } },
  { name: 'calibrated, JS in bits, minimum 50', options: { jsBase: 2, minSampleSize: 50, falseAlarmRate: 0.05 } },
];

describe('fitSketchKernel', () => {
  for (const c of CASES) {
    const methods = c.profile.kind === 'numeric' ? NUMERIC_METHODS : CATEGORICAL_METHODS;
    const windows = Array.from({ length: WINDOWS }, (_, i) => c.window(i));
    for (const method of methods) {
      for (const { name, options } of OPTIONS) {
        it(`gives calculate's numbers: ${c.name}, ${method}, ${name}`, () => {
          const fitted = fitDrift(method, c.profile, options);
          const kernel = fitSketchKernel(fitted);
          expect(kernel.covers).toBe(true);
          const out = new DriftColumns(windows.length);
          const bad: string[] = [];
          windows.forEach((counts, i) => {
            expect(kernel.score(counts, out, i)).toBe(true);
            const wrong = mismatches(out.resultAt(i), fitted.calculate(sketchOf(c.profile, counts)));
            if (wrong.length > 0) bad.push(`window ${i} (n ${out.currentN[i]}): ${wrong.join(', ')}`);
          });
          expect(bad).toEqual([]);
          // The windows span verdicts of every kind, so the comparison covers each branch.
          const verdicts = new Set(Array.from(out.drifted));
          expect(verdicts.has(-1)).toBe(true);
        });
      }
    }
  }

  it('finds drift and no drift among the windows (the comparison is not of trivial results)', () => {
    const fitted = fitDrift('auto', smallNumeric);
    const out = new DriftColumns(WINDOWS);
    for (let i = 0; i < WINDOWS; i++) fitSketchKernel(fitted).score(numericWindow(rand, smallNumeric, i), out, i);
    const verdicts = Array.from(out.drifted);
    expect(verdicts).toContain(0);
    expect(verdicts).toContain(1);
    expect(out.method(1)).toBe('ks');
  });

  it('keeps the fitted kernel: a second call returns the same one', () => {
    const fitted = fitDrift('psi', largeNumeric);
    expect(fitSketchKernel(fitted)).toBe(fitSketchKernel(fitted));
  });

  it('leaves to calculate what sketches cannot answer by themselves: values compared as categories', () => {
    const fewValues = numericProfile(rand, 600, 4);
    expect(fitSketchKernel(fitDrift('auto', fewValues)).covers).toBe(false);
    const twelveValues = numericProfile(rand, 600, 12);
    expect(fitSketchKernel(fitDrift('chisquare', twelveValues)).covers).toBe(false);
    expect(fitSketchKernel(fitDrift('psi', twelveValues)).covers).toBe(true);
  });

  it('refuses counts of the wrong length or with a negative count, which calculate reports', () => {
    const kernel = fitSketchKernel(fitDrift('wasserstein', largeNumeric));
    const out = new DriftColumns(1);
    expect(kernel.score(new Float64Array(5), out, 0)).toBe(false);
    const negative = numericWindow(rand, largeNumeric, 3);
    negative[4] = -1;
    expect(kernel.score(negative, out, 0)).toBe(false);
    expect(out.driftedAt(0)).toBeNull();
    expect(out.thresholdMode).toBeNull();
  });

  it('says once per series that a method stood in for the requested one', () => {
    const fitted = fitDrift('jensenshannon', CASES[2]?.profile ?? smallNumeric, { requestedMethod: 'wasserstein' });
    const out = new DriftColumns(3);
    for (let i = 0; i < 3; i++) fitSketchKernel(fitted).score(categoricalWindow(rand, CATS, i + 1), out, i);
    expect([...out.notices]).toEqual([
      'wasserstein does not apply to this categorical feature; jensenshannon is used instead',
    ]);
  });
});
