import { binCounts, type DriftResult, fitDrift, quantileEdges, withTrailingEvidence } from '../../stats';
import { categoricalSample, normalSample, seededRandom } from '../../stats/testRandom';
import { type ColumnProfile, mergeSketches, type Sketch } from '../../store';
import { toMetricsProfile, toMetricsSketch } from './adapters';
import { sketchDriftPerBucket } from './bucketDrift';

const rand = seededRandom(1204);
const BUCKETS = 40;

function sketch(counts: Float64Array, unseen: Record<string, number> = {}): Sketch {
  let count = 0;
  for (const c of counts) count += c;
  const unseenTotal = Object.values(unseen).reduce((a, b) => a + b, 0);
  return {
    count: count + unseenTotal,
    missing: 0,
    typeErrors: 0,
    outOfRange: 0,
    unseen: unseenTotal,
    sum: 0,
    sumSq: 0,
    absSum: 0,
    counts,
    unseenCategories: unseen,
  };
}

const referenceValues = normalSample(rand, 800);
const edges = quantileEdges(referenceValues, 100);
const referenceCounts = binCounts(referenceValues, edges);
const numeric: ColumnProfile = {
  kind: 'numeric',
  count: 800,
  missing: 0,
  min: edges[0] ?? 0,
  max: edges[100] ?? 0,
  edges,
  counts: [0, ...referenceCounts.bins, 0],
  sum: 0,
  sumSq: 0,
  mean: referenceValues.reduce((a, b) => a + b, 0) / 800,
  std: 1,
  valueCounts: null,
};
const CATEGORIES = ['a', 'b', 'c'];
const categorical: ColumnProfile = {
  kind: 'categorical',
  count: 900,
  missing: 0,
  categories: CATEGORIES,
  counts: [400, 300, 200],
};

/** Buckets drifting slowly (so pooled tests decide some cells), a few nearly empty. */
function numericBuckets(): Sketch[] {
  return Array.from({ length: BUCKETS }, (_, i) => {
    const n = i % 9 === 4 ? 10 : 60 + (i % 5) * 20;
    const c = binCounts(normalSample(rand, n, i * 0.01), edges);
    return sketch(Float64Array.from([c.below, ...c.bins, c.above]));
  });
}

/** Category buckets, some with categories the reference never had. */
function categoricalBuckets(): Sketch[] {
  return Array.from({ length: BUCKETS }, (_, i) => {
    const values = categoricalSample(rand, 80 + (i % 4) * 30, CATEGORIES, [4, 3, 2 + i * 0.05]);
    const counts = Float64Array.from(CATEGORIES, (c) => values.filter((v) => v === c).length);
    return sketch(counts, i % 6 === 5 ? { zulu: 3 + (i % 4) } : {});
  });
}

/** What driftPerBucket computed before the kernel: one calculate per cell and per pooled window. */
function perCell(column: ColumnProfile, method: 'auto' | 'psi', buckets: Sketch[], pooled: boolean): DriftResult[] {
  const fitted = fitDrift(method, toMetricsProfile(column), { falseAlarmRate: 0.005 });
  return buckets.map((b, i) => {
    const own = fitted.calculate({ sketch: toMetricsSketch(column, b) });
    const j = i - 2;
    const trailing =
      pooled && j >= 0
        ? fitted.calculate({ sketch: toMetricsSketch(column, mergeSketches(buckets.slice(j, i + 1), b.counts.length)) })
        : null;
    return withTrailingEvidence(own, trailing);
  });
}

describe('sketchDriftPerBucket', () => {
  const cases = [
    { name: 'numeric', column: numeric, buckets: numericBuckets() },
    { name: 'categorical with unseen categories', column: categorical, buckets: categoricalBuckets() },
  ];
  for (const { name, column, buckets } of cases) {
    for (const method of ['auto', 'psi'] as const) {
      it(`equals calculate with the trailing evidence per cell: ${name}, ${method}`, () => {
        const expected = perCell(column, method, buckets, true);
        const fitted = fitDrift(method, toMetricsProfile(column), { falseAlarmRate: 0.005 });
        const cells = sketchDriftPerBucket(fitted, column, buckets, (i) => (i >= 2 ? i - 2 : null));
        expect(Array.from({ length: BUCKETS }, (_, i) => cells.driftedAt(i))).toEqual(expected.map((r) => r.drifted));
        expected.forEach((r, i) => {
          expect(cells.method(i)).toBe(r.method);
          expect(cells.scoreAt(i)).toBeCloseTo(r.score ?? Number.NaN, 12);
          expect(cells.threshold[i]).toBeCloseTo(r.threshold, 12);
          expect(cells.currentN[i]).toBe(r.currentN);
          expect(cells.errorBoundAt(i)).toBe(r.errorBound);
        });
        // The pooled tests decided some cells (else this test would not cover them), and the series says so once.
        const pooledOnly = expected.filter((r) => r.notice?.includes('together') === true).length;
        expect(pooledOnly).toBeGreaterThan(0);
        expect([...cells.notices].some((t) => t.startsWith(`${pooledOnly} bucket`))).toBe(true);
      });
    }
  }

  it('without trailing cells, scores each bucket alone', () => {
    const buckets = numericBuckets();
    const expected = perCell(numeric, 'auto', buckets, false);
    const cells = sketchDriftPerBucket(
      fitDrift('auto', toMetricsProfile(numeric), { falseAlarmRate: 0.005 }),
      numeric,
      buckets
    );
    expect(Array.from({ length: BUCKETS }, (_, i) => cells.pValueAt(i))).toEqual(expected.map((r) => r.pValue));
  });
});
