import { datasetDrift, DriftColumns, driftedShareOfCells, InvalidInputError, type DriftResult } from './index';
import { seededRandom } from './testRandom';

function result(partial: Partial<DriftResult>): DriftResult {
  return {
    method: 'ks',
    score: 0.5,
    pValue: 0.5,
    statistic: 0.1,
    effectSize: 0.01,
    effectSizeMeasure: 'wasserstein_normed',
    threshold: 0.05,
    thresholdMode: 'fixed',
    errorBound: null,
    drifted: false,
    referenceN: 500,
    currentN: 500,
    insufficient: false,
    notice: null,
    ...partial,
  };
}

const pTest = (p: number): DriftResult => result({ score: p, pValue: p, drifted: p <= 0.05 });

describe('datasetDrift', () => {
  test('share of drifted features against the drift share (≥), without multiple-testing control', () => {
    const features = [pTest(0.01), pTest(0.02), pTest(0.5), pTest(0.9)].map((r, i) => ({
      feature: `f${i}`,
      result: r,
    }));
    const d = datasetDrift(features, { multipleTesting: 'none' });
    expect([d.driftedFeatures, d.share, d.drifted]).toEqual([2, 0.5, true]);
    expect(datasetDrift(features, { multipleTesting: 'none', driftShare: 0.75 }).drifted).toBe(false);
  });

  test('Benjamini-Hochberg (default) removes borderline verdicts among many tests', () => {
    const features = [pTest(0.04), ...Array.from({ length: 9 }, () => pTest(0.6))].map((r, i) => ({
      feature: `f${i}`,
      result: r,
    }));
    expect(datasetDrift(features, { multipleTesting: 'none' }).driftedFeatures).toBe(1);
    const bh = datasetDrift(features);
    expect(bh.multipleTesting).toBe('bh');
    expect(bh.driftedFeatures).toBe(0);
    expect(bh.features[0]?.adjustedPValue).toBeCloseTo(0.4, 14);
  });

  test('distance methods keep their own verdict under BH', () => {
    const features = [
      {
        feature: 'w',
        result: result({
          method: 'wasserstein',
          score: 0.3,
          pValue: null,
          statistic: null,
          threshold: 0.1,
          drifted: true,
        }),
      },
      { feature: 'k', result: pTest(0.01) },
    ];
    const d = datasetDrift(features);
    expect(d.features.map((f) => [f.feature, f.drifted, f.adjustedPValue])).toEqual([
      ['w', true, null],
      ['k', true, 0.01],
    ]);
  });

  test('insufficient features are left out of the share; none evaluated means no verdict', () => {
    const insufficient = result({ drifted: null, insufficient: true });
    const d = datasetDrift([
      { feature: 'a', result: pTest(0.01) },
      { feature: 'b', result: insufficient },
    ]);
    expect([d.evaluatedFeatures, d.insufficientFeatures, d.share]).toEqual([1, 1, 1]);
    const none = datasetDrift([{ feature: 'b', result: insufficient }]);
    expect([none.share, none.drifted]).toEqual([null, null]);
  });

  test('refuses a drift share outside (0, 1] and duplicate features', () => {
    expect(() => datasetDrift([], { driftShare: 0 })).toThrow(InvalidInputError);
    expect(() =>
      datasetDrift([
        { feature: 'a', result: pTest(0.1) },
        { feature: 'a', result: pTest(0.1) },
      ])
    ).toThrow(/twice/);
  });
});

describe('driftedShareOfCells', () => {
  it("equals datasetDrift's share over the same verdicts, with and without BH", () => {
    const rand = seededRandom(12);
    const methods = ['ks', 'chisquare', 'psi', 'wasserstein'] as const;
    for (let trial = 0; trial < 200; trial++) {
      const results = Array.from({ length: 1 + (trial % 7) }, (_, i) => {
        const method = methods[(trial + i) % methods.length] ?? 'ks';
        const insufficient = rand() < 0.15;
        const score = rand() < 0.5 ? rand() * 0.05 : rand();
        const pValue = method === 'ks' || method === 'chisquare' ? score : null;
        const threshold = pValue === null ? 0.2 : 0.01 + rand() * 0.05;
        const drifted = insufficient ? null : pValue === null ? score > threshold : score <= threshold;
        return result({ method, score, pValue, threshold, drifted, insufficient });
      });
      // Each feature's verdicts as one-cell columns, read at cell 0.
      const cells = results.map((r) => ({ columns: DriftColumns.of([r]), cell: 0 }));
      const features = results.map((r, i) => ({ feature: `f${i}`, result: r }));
      for (const multipleTesting of ['bh', 'none'] as const) {
        expect(driftedShareOfCells(cells, multipleTesting)).toBe(datasetDrift(features, { multipleTesting }).share);
      }
    }
  });
});
