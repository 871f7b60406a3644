import type { DriftMethod } from '@mlsight/contract';
import {
  binCounts,
  categoryCounts,
  DEFAULT_MIN_SAMPLE_SIZE,
  DEFAULT_THRESHOLDS,
  fitDrift,
  InsufficientDataError,
  InvalidInputError,
  ksTwoSample,
  profileFeature,
  type DriftResult,
  type NumericProfile,
} from './index';
import { categoricalSample, normalSample, seededRandom } from './testRandom';

const rand = seededRandom(42);
const numRef = normalSample(rand, 600);
const numCur = normalSample(rand, 400, 0.25);
const catRef = categoricalSample(rand, 600, ['a', 'b', 'c'], [5, 3, 2]);
const catCur = categoricalSample(rand, 400, ['a', 'b', 'c', 'd'], [4, 3, 2, 1]);

const NUMERIC_METHODS: DriftMethod[] = ['auto', 'psi', 'ks', 'jensenshannon', 'wasserstein', 'hellinger', 'linf'];
const CATEGORICAL_METHODS: DriftMethod[] = ['auto', 'psi', 'chisquare', 'ztest', 'jensenshannon', 'hellinger', 'linf'];
const RESULT_KEYS = [
  'currentN',
  'drifted',
  'effectSize',
  'effectSizeMeasure',
  'errorBound',
  'insufficient',
  'method',
  'notice',
  'pValue',
  'referenceN',
  'score',
  'statistic',
  'threshold',
  'thresholdMode',
];

describe('fitDrift(...).calculate — one result shape for every method', () => {
  test.each(NUMERIC_METHODS)('numeric %s', (method) => {
    const r = fitDrift(method, numRef).calculate({ values: numCur });
    expect(Object.keys(r).sort()).toEqual(RESULT_KEYS);
    expect(r.referenceN).toBe(600);
    expect(r.currentN).toBe(400);
    expect(r.effectSizeMeasure).toBe('wasserstein_normed');
    expect(typeof r.drifted).toBe('boolean');
    expect(r.pValue === null).toBe(DEFAULT_THRESHOLDS[r.method].rule === 'at_least');
  });

  test.each(CATEGORICAL_METHODS)('categorical %s', (method) => {
    const r = fitDrift(method, catRef).calculate({ values: catCur });
    expect(Object.keys(r).sort()).toEqual(RESULT_KEYS);
    expect(r.effectSizeMeasure).toBe('jensenshannon');
    expect(r.effectSize).toBeGreaterThan(0);
  });
});

describe('minimum sample size', () => {
  test('a small window gets a score but no verdict, and says why', () => {
    const r = fitDrift('ks', numRef).calculate({ values: numCur.slice(0, DEFAULT_MIN_SAMPLE_SIZE - 1) });
    expect(r.insufficient).toBe(true);
    expect(r.drifted).toBeNull();
    expect(r.score).not.toBeNull();
    expect(r.notice).toMatch(/below the minimum 30/);
  });

  test('an empty window (all missing) has no score at all', () => {
    const r = fitDrift('psi', numRef).calculate({ values: [null, NaN, undefined] });
    expect(r).toMatchObject({ score: null, effectSize: null, drifted: null, insufficient: true, currentN: 0 });
  });

  test('the minimum is configurable and applies to the reference too', () => {
    const small = fitDrift('ks', numRef.slice(0, 20), { minSampleSize: 10 }).calculate({ values: numCur.slice(0, 15) });
    expect(small.insufficient).toBe(false);
    const tinyRef = fitDrift('ks', numRef.slice(0, 5)).calculate({ values: numCur });
    expect(tinyRef.drifted).toBeNull();
    expect(tinyRef.notice).toMatch(/reference has 5 values/);
  });
});

describe('thresholds are data', () => {
  test('a per-feature override changes the verdict, not the score', () => {
    const fitted = fitDrift('psi', numRef);
    const base = fitted.calculate({ values: numCur });
    const score = base.score ?? NaN;
    const strict = fitDrift('psi', numRef, { threshold: score / 2 }).calculate({ values: numCur });
    const lax = fitDrift('psi', numRef, { threshold: score * 2 }).calculate({ values: numCur });
    expect([strict.score, lax.score]).toEqual([score, score]);
    expect([strict.drifted, lax.drifted]).toEqual([true, false]);
    expect(strict.threshold).toBe(score / 2);
  });

  test('auto takes thresholds per method, and refuses a single threshold', () => {
    const r = fitDrift('auto', numRef, { thresholds: { ks: 0.5 } }).calculate({ values: numCur });
    expect(r.method).toBe('ks');
    expect(r.threshold).toBe(0.5);
    expect(() => fitDrift('auto', numRef, { threshold: 0.1 })).toThrow(InvalidInputError);
    expect(() => fitDrift('ks', numRef, { threshold: 5 })).toThrow(/out of range for ks/);
  });
});

describe('methods and data that do not fit', () => {
  test('KS and Wasserstein need numeric features; chi-square and Z need few distinct values', () => {
    expect(() => fitDrift('ks', catRef)).toThrow(InvalidInputError);
    expect(() => fitDrift('wasserstein', catRef)).toThrow(InvalidInputError);
    expect(() => fitDrift('chisquare', numRef)).toThrow(/> 20 distinct values/);
  });

  test('a reference with no values is insufficient; a string in a numeric feature is a type error', () => {
    expect(() => fitDrift('psi', [null, null], { kind: 'numeric' })).toThrow(InsufficientDataError);
    expect(() => fitDrift('psi', numRef).calculate({ values: [1, 'x'] })).toThrow(/values\[1\] is a string/);
  });

  test('bins must divide the fine bins, and Evidently binning needs raw rows', () => {
    expect(() => fitDrift('psi', numRef, { bins: 7 })).toThrow(InvalidInputError);
    expect(() => fitDrift('psi', numRef, { binning: 'evidently', keepValues: false })).toThrow(InvalidInputError);
    const profile = profileFeature(numRef) as NumericProfile;
    const sketch = { kind: 'numeric' as const, binCounts: binCounts(numCur, profile.edges) };
    expect(() => fitDrift('psi', profile, { binning: 'evidently' }).calculate({ sketch })).toThrow(
      /needs raw current rows/
    );
  });

  test('a sketch of the wrong kind or shape is refused', () => {
    const fitted = fitDrift('psi', numRef);
    expect(() => fitted.calculate({ sketch: { kind: 'categorical', categoryCounts: new Map() } })).toThrow(
      InvalidInputError
    );
    expect(() =>
      fitted.calculate({ sketch: { kind: 'numeric', binCounts: { below: 0, bins: [1, 2], above: 0 } } })
    ).toThrow(/binCounts must have 100 bins/);
  });

  test('auto on a numeric feature with ≤ 5 reference values needs value counts in a sketch', () => {
    const ref = numRef.map((v) => Math.min(4, Math.max(0, Math.round(v + 2))));
    const profile = profileFeature(ref, { kind: 'numeric' }) as NumericProfile;
    const fitted = fitDrift('auto', profile);
    const binned = binCounts([1, 2, 3], profile.edges);
    expect(() => fitted.calculate({ sketch: { kind: 'numeric', binCounts: binned } })).toThrow(/needs valueCounts/);
    const withValues = fitted.calculate({
      sketch: {
        kind: 'numeric',
        binCounts: binned,
        valueCounts: new Map([
          [1, 1],
          [2, 1],
          [3, 1],
        ]),
      },
    });
    expect(withValues.method).toBe('chisquare');
  });
});

describe('constant features', () => {
  test.each(NUMERIC_METHODS)('numeric %s gives finite scores, no NaN, for a constant reference', (method) => {
    const ref = Array.from({ length: 100 }, () => 5);
    const same = fitDrift(method, ref, { kind: 'numeric' }).calculate({ values: ref.slice(0, 60) });
    const moved = fitDrift(method, ref, { kind: 'numeric' }).calculate({ values: ref.slice(0, 60).map((v) => v + 1) });
    for (const r of [same, moved]) {
      expect(Number.isFinite(r.score)).toBe(true);
      expect(Number.isFinite(r.effectSize)).toBe(true);
    }
    expect(same.drifted).toBe(false);
    expect(moved.drifted).toBe(true);
  });

  test.each(CATEGORICAL_METHODS)('categorical %s with a single category on both sides does not drift', (method) => {
    const r = fitDrift(
      method,
      Array.from({ length: 50 }, () => 'x')
    ).calculate({ values: Array.from({ length: 40 }, () => 'x') });
    expect(r.drifted).toBe(false);
    expect(r.effectSize).toBe(0);
  });
});

describe('rows and sketches', () => {
  test.each(CATEGORICAL_METHODS)('categorical %s: a category-count sketch gives the same result as rows', (method) => {
    const fitted = fitDrift(method, catRef);
    const fromRows = fitted.calculate({ values: catCur });
    const fromSketch = fitted.calculate({
      sketch: { kind: 'categorical', categoryCounts: categoryCounts(catCur).counts },
    });
    expect(fromSketch).toEqual(fromRows);
  });

  test('KS from a sketch is flagged as a lower bound; from rows it is scipy-exact', () => {
    const profile = profileFeature(numRef) as NumericProfile;
    const fitted = fitDrift('ks', profile);
    const rows = fitted.calculate({ values: numCur });
    const sketch = fitted.calculate({ sketch: { kind: 'numeric', binCounts: binCounts(numCur, profile.edges) } });
    expect(rows.statistic).toBe(ksTwoSample(numRef, numCur).statistic);
    expect(rows.notice).toBeNull();
    expect(sketch.statistic).toBeLessThanOrEqual(rows.statistic ?? 0);
    expect(sketch.notice).toMatch(/lower bound/);
  });

  test('missing values in the window are not counted', () => {
    const r = fitDrift('psi', numRef).calculate({ values: [...numCur, null, NaN, Infinity] });
    expect(r.currentN).toBe(numCur.length);
  });
});

describe('immutability', () => {
  test('the fitted method, its profile and its results are frozen; inputs can change afterwards', () => {
    const ref = numRef.slice();
    const fitted = fitDrift('wasserstein', ref);
    const before: DriftResult = fitted.calculate({ values: numCur });
    ref.fill(100);
    expect(Object.isFrozen(fitted)).toBe(true);
    expect(Object.isFrozen(fitted.profile)).toBe(true);
    expect(Object.isFrozen(before)).toBe(true);
    expect(fitted.calculate({ values: numCur })).toEqual(before);
  });
});

describe('fitDrift with a shared null-quantile cache', () => {
  it('draws each calibrated quantile once for fits that differ only in the minimum sample size', () => {
    const cache = new Map<string, number>();
    const profile = profileFeature(numRef, { keepValues: false });
    const sketch = {
      kind: 'numeric' as const,
      binCounts: binCounts(numCur.slice(0, 200), (profile as NumericProfile).edges),
    };
    const first = fitDrift('psi', profile, { nullQuantileCache: cache, minSampleSize: 30 }).calculate({ sketch });
    const entries = cache.size;
    expect(entries).toBeGreaterThan(0);
    const second = fitDrift('psi', profile, { nullQuantileCache: cache, minSampleSize: 50 }).calculate({ sketch });
    const alone = fitDrift('psi', profile, { minSampleSize: 50 }).calculate({ sketch });
    expect(cache.size).toBe(entries);
    expect(second.threshold).toBe(alone.threshold);
    expect(second.threshold).toBe(first.threshold);
  });
});
