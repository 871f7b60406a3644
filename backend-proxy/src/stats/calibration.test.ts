import {
  binCounts,
  DEFAULT_FALSE_ALARM_RATE,
  discreteSampler,
  fitDrift,
  sampleSizeClass,
  seededUniform,
  TRAILING_CELLS,
  upperQuantile,
  withTrailingEvidence,
  type DriftSample,
  type FittedDriftMethod,
  type NumericProfile,
} from './index';
import { categoricalSample, normalSample, seededRandom } from './testRandom';

const CELLS = 720; // 30 days of hourly cells
const PER_CELL = 150;
const rate = DEFAULT_FALSE_ALARM_RATE;

/** Healthy cells may be flagged at most at the target rate plus three binomial standard deviations of the count. */
const allowedFlags = (cells: number) => cells * rate + 3 * Math.sqrt(cells * rate * (1 - rate));

/** Flags among healthy cells under the default verdict: the cell alone and pooled with the two before, α/2 each. */
function flaggedCells(fitted: FittedDriftMethod, cells: ReadonlyArray<DriftSample>, pool: (i: number) => DriftSample) {
  let flagged = 0;
  cells.forEach((cell, i) => {
    const own = fitted.calculate(cell);
    const trailing = i >= TRAILING_CELLS - 1 ? fitted.calculate(pool(i)) : null;
    if (withTrailingEvidence(own, trailing).drifted) flagged++;
  });
  return flagged;
}

describe('calibrated thresholds: healthy cells are flagged at the chosen rate', () => {
  const rand = seededRandom(2026);
  const reference = normalSample(rand, 5000);
  const values = Array.from({ length: CELLS }, () => normalSample(rand, PER_CELL));
  const pooledValues = (i: number) => values.slice(i - TRAILING_CELLS + 1, i + 1).flat();

  test('numeric feature from stored bins (the heatmap path), Wasserstein', () => {
    const fitted = fitDrift('wasserstein', reference, { keepValues: false, falseAlarmRate: rate / 2 });
    const edges = (fitted.profile as NumericProfile).edges;
    const sketch = (v: number[]): DriftSample => ({ sketch: { kind: 'numeric', binCounts: binCounts(v, edges) } });
    const flagged = flaggedCells(
      fitted,
      values.map((v) => sketch(v)),
      (i) => sketch(pooledValues(i))
    );
    expect(flagged).toBeLessThanOrEqual(allowedFlags(CELLS));
  });

  test('numeric feature from raw rows (the monitor path), Wasserstein', () => {
    // A smaller reference keeps the exact-row calibration quick under jest; the rate does not depend on it.
    const fitted = fitDrift('wasserstein', reference.slice(0, 2000), { falseAlarmRate: rate / 2 });
    const flagged = flaggedCells(
      fitted,
      values.map((v) => ({ values: v })),
      (i) => ({ values: pooledValues(i) })
    );
    expect(flagged).toBeLessThanOrEqual(allowedFlags(CELLS));
  });

  test('categorical feature, Jensen-Shannon', () => {
    const categories = ['a', 'b', 'c', 'd'];
    const weights = [0.4, 0.3, 0.2, 0.1];
    // Its own stream: every cell is compared with this one reference, so the reference is drawn like any sample.
    const fitted = fitDrift('jensenshannon', categoricalSample(seededRandom(77), 5000, categories, weights), {
      falseAlarmRate: rate / 2,
    });
    const cells = Array.from({ length: CELLS }, () => categoricalSample(rand, PER_CELL, categories, weights));
    const flagged = flaggedCells(
      fitted,
      cells.map((v) => ({ values: v })),
      (i) => ({ values: cells.slice(i - TRAILING_CELLS + 1, i + 1).flat() })
    );
    expect(flagged).toBeLessThanOrEqual(allowedFlags(CELLS));
  });

  test("Evidently's fixed rule flags most healthy hourly cells of the same data (why it is not the default)", () => {
    const fitted = fitDrift('wasserstein', reference, { keepValues: false, thresholdMode: 'fixed' });
    const edges = (fitted.profile as NumericProfile).edges;
    const flagged = values.filter(
      (v) => fitted.calculate({ sketch: { kind: 'numeric', binCounts: binCounts(v, edges) } }).drifted
    ).length;
    expect(flagged).toBeGreaterThan(allowedFlags(CELLS) * 10);
  });

  test('a threshold shrinks with the sample size; the same seed gives the same threshold', () => {
    const fitted = fitDrift('wasserstein', reference, { keepValues: false });
    const at = (n: number) => fitted.calculate({ values: normalSample(seededRandom(n), n) }).threshold;
    expect(at(150)).toBeGreaterThan(at(600));
    expect(at(600)).toBeGreaterThan(at(3600));
    const again = fitDrift('wasserstein', reference, { keepValues: false });
    expect(again.calculate({ values: normalSample(seededRandom(150), 150) }).threshold).toBe(at(150));
  });

  test('p-value methods use the rate as their significance level', () => {
    const r = fitDrift('ks', reference).calculate({ values: values[0] ?? [] });
    expect(r.threshold).toBe(rate);
    expect(r.thresholdMode).toBe('calibrated');
  });

  test('a fixed threshold is a fixed rule; calibrated with a threshold is refused', () => {
    expect(fitDrift('psi', reference, { threshold: 0.2 }).calculate({ values: values[0] ?? [] }).thresholdMode).toBe(
      'fixed'
    );
    expect(() => fitDrift('psi', reference, { threshold: 0.2, thresholdMode: 'calibrated' })).toThrow(/calibrated/);
    expect(() => fitDrift('psi', reference, { falseAlarmRate: 0.6 })).toThrow(/falseAlarmRate/);
  });
});

describe('calibration building blocks', () => {
  test('sample-size classes are log-spaced floors', () => {
    expect(sampleSizeClass(150)).toBe(128);
    expect(sampleSizeClass(128)).toBe(128);
    expect(sampleSizeClass(3600)).toBeLessThanOrEqual(3600);
    expect(sampleSizeClass(3600) / 3600).toBeGreaterThan(2 ** -0.25);
    expect(() => sampleSizeClass(0)).toThrow(/n must be/);
  });

  test('the alias sampler draws each index at its weight', () => {
    const draw = discreteSampler([1, 0, 3, 6], seededUniform(3));
    const counts = [0, 0, 0, 0];
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const k = draw();
      counts[k] = (counts[k] ?? 0) + 1;
    }
    [0.1, 0, 0.3, 0.6].forEach((p, k) => {
      const sd = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs((counts[k] ?? 0) / n - p)).toBeLessThanOrEqual(4 * sd + 1e-12);
    });
  });

  test('the upper quantile is the order statistic with coverage ≤ rate', () => {
    const draws = Float64Array.from({ length: 99 }, (_, i) => i + 1);
    expect(upperQuantile(draws, 0.05)).toBe(95);
  });
});
