import { seededRandom } from '../testRandom';
import { binnedRocAuc } from './binnedRocAuc';
import { reliabilityCurve } from './calibration';
import { evaluateClassification, evaluateRegression, type ClassSetup, type LabelledRow } from './evaluate';
import {
  classSetupOfSummary,
  evaluateClassificationSummary,
  evaluateRegressionSummary,
  problemOfSummary,
  reliabilityCurveOfSummary,
  summaryLimitation,
} from './evaluateSummary';
import { positiveClassOf, sortClasses, toClassLabel, type ClassLabel } from './labels';
import { rocAuc } from './rocAuc';
import { PerformanceSummary } from './summary';

const CLASSIFICATION = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece'];
const REGRESSION = ['mae', 'rmse', 'mape', 'r2'];

function summaryOf(rows: readonly LabelledRow[]): PerformanceSummary {
  const s = new PerformanceSummary();
  for (const row of rows) s.add(row);
  return s;
}

/** The window's classes as `classSetupOf` finds them on rows (independent of the summary). */
function setupOfRows(rows: readonly LabelledRow[]): ClassSetup {
  const seen: ClassLabel[] = [];
  let widest = 0;
  for (const r of rows) {
    for (const v of [toClassLabel(r.label), toClassLabel(r.prediction)]) if (v !== null) seen.push(v);
    if (Array.isArray(r.score)) widest = Math.max(widest, r.score.length);
  }
  const classes = sortClasses(seen);
  return { classes, positive: classes.length <= 2 && widest <= 2 ? positiveClassOf(classes) : null };
}

function expectSameClassification(rows: readonly LabelledRow[], setup: ClassSetup): number | null {
  const exact = evaluateClassification(rows, setup);
  const summarised = evaluateClassificationSummary(summaryOf(rows), setup);
  expect(summarised.labelledRows).toBe(exact.labelledRows);
  for (const name of CLASSIFICATION) {
    const want = exact.metrics[name as keyof typeof exact.metrics];
    const got = summarised.metrics[name as keyof typeof summarised.metrics];
    if (want.value === null) {
      expect(got).toEqual(want);
    } else if (name === 'roc_auc') {
      expect(Math.abs((got.value as number) - want.value)).toBeLessThanOrEqual((summarised.aucBound as number) + 1e-12);
    } else {
      expect(Math.abs((got.value as number) - want.value)).toBeLessThanOrEqual(1e-9);
    }
  }
  return summarised.aucBound;
}

function binaryRows(n: number, seed: number, withArrays = false): LabelledRow[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const label = random() < 0.4 ? 1 : 0;
    const p = Math.min(1, Math.max(0, 0.5 + (label - 0.5) * 0.6 + (random() - 0.5) * 0.8));
    const score = Math.round(p * 1e4) / 1e4;
    return { label, prediction: score >= 0.5 ? 1 : 0, score: withArrays ? [1 - score, score] : score };
  });
}

describe('performance summaries', () => {
  test('binary metrics equal the row-level ones within 1e-9, ROC AUC within its own bound', () => {
    for (const seed of [1, 2, 3]) {
      const rows = binaryRows(3000, seed, seed === 3);
      const setup = setupOfRows(rows);
      const bound = expectSameClassification(rows, setup);
      expect(bound).toBeGreaterThan(0);
      expect(bound).toBeLessThan(1e-3);
      const curve = reliabilityCurveOfSummary(summaryOf(rows), setup.positive as ClassLabel);
      const exact = reliabilityCurve(
        rows.map((r) => r.label === 1),
        rows.map((r) => (Array.isArray(r.score) ? (r.score[1] as number) : (r.score as number)))
      );
      expect(curve.map((b) => b.count)).toEqual(exact.map((b) => b.count));
      curve.forEach((b, i) => {
        expect(Math.abs(b.meanPredicted - (exact[i]?.meanPredicted as number))).toBeLessThanOrEqual(1e-12);
        expect(b.fractionPositive).toBe(exact[i]?.fractionPositive);
      });
    }
  });

  test('text labels, a single-class bucket and rows without a prediction or score behave as on rows', () => {
    const random = seededRandom(9);
    const rows: LabelledRow[] = Array.from({ length: 500 }, (_, i) => ({
      label: random() < 0.5 ? 'yes' : 'no',
      prediction: i % 7 === 0 ? null : random() < 0.5 ? 'yes' : 'no',
      score: i % 11 === 0 ? null : random(),
    }));
    const setup = setupOfRows(rows);
    expectSameClassification(rows, setup);
    const single = rows.filter((r) => r.label === 'yes');
    expectSameClassification(single, setup);
    expect(evaluateClassificationSummary(summaryOf(single), setup).metrics.roc_auc.reason).toMatch(/only one class/);
    expectSameClassification(
      rows.map((r) => ({ ...r, score: null })),
      setup
    );
  });

  test('multiclass metrics (macro F1, one-vs-rest ROC AUC, log loss) equal the row-level ones', () => {
    const random = seededRandom(5);
    const classes = ['a', 'b', 'c'];
    const rows: LabelledRow[] = Array.from({ length: 2000 }, () => {
      const raw = classes.map(() => random());
      const total = raw.reduce((a, b) => a + b, 0);
      const probs = raw.map((v) => Math.round((v / total) * 1e5) / 1e5);
      const label = classes[Math.floor(random() * 3)] as string;
      const best = probs.indexOf(Math.max(...probs));
      return { label, prediction: classes[best] as string, score: probs };
    });
    const setup = setupOfRows(rows);
    expect(setup.positive).toBeNull();
    const summary = summaryOf(rows);
    expect(summaryLimitation(summary, classSetupOfSummary(summary))).toBeNull();
    expect(classSetupOfSummary(summary)).toEqual(setup);
    expectSameClassification(rows, setup);
  });

  test('regression metrics equal the row-level ones within 1e-9, a constant label included', () => {
    const random = seededRandom(4);
    const rows: LabelledRow[] = Array.from({ length: 1000 }, (_, i) => {
      const y = i % 50 === 0 ? 0 : 1e3 + random() * 10;
      return { label: y, prediction: y + (random() - 0.5) * 4, score: null };
    });
    const cases = [rows, rows.slice(0, 1), rows.map((r) => ({ ...r, label: 5 }))];
    for (const bucket of cases) {
      const exact = evaluateRegression(bucket);
      const summarised = evaluateRegressionSummary(summaryOf(bucket));
      expect(summarised.labelledRows).toBe(exact.labelledRows);
      for (const name of REGRESSION) {
        const want = exact.metrics[name as keyof typeof exact.metrics];
        const got = summarised.metrics[name as keyof typeof summarised.metrics];
        if (want.value === null) expect(got).toEqual(want);
        else
          expect(Math.abs((got.value as number) - want.value)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(want.value))
          );
      }
    }
    expect(problemOfSummary(summaryOf(rows), [], CLASSIFICATION, REGRESSION)).toBe('regression');
  });

  test('the problem is decided as on rows: integer class ids, text labels, numeric labels mixed with text', () => {
    const problem = (rows: LabelledRow[]) => problemOfSummary(summaryOf(rows), [], CLASSIFICATION, REGRESSION);
    expect(problem(binaryRows(100, 1))).toBe('classification');
    expect(problem([{ label: 1, prediction: 7, score: null }])).toBe('regression');
    expect(problem(Array.from({ length: 30 }, (_, i) => ({ label: i, prediction: i, score: null })))).toBe(
      'regression'
    );
    expect(problem([{ label: 'x', prediction: 'y', score: null }])).toBe('classification');
    expect(
      problem([
        { label: 'x', prediction: 'y', score: null },
        { label: 1.5, prediction: 1, score: null },
      ])
    ).toBeNull();
    expect(
      problemOfSummary(
        summaryOf([{ label: 1.5, prediction: 1, score: null }]),
        ['accuracy'],
        CLASSIFICATION,
        REGRESSION
      )
    ).toBe('classification');
  });

  test('merging buckets equals summarising their rows together; removing a row undoes adding it', () => {
    const a = binaryRows(700, 11);
    const b = binaryRows(900, 12);
    const merged = summaryOf(a);
    merged.merge(summaryOf(b));
    const setup = setupOfRows([...a, ...b]);
    const together = evaluateClassificationSummary(summaryOf([...a, ...b]), setup);
    const fromMerge = evaluateClassificationSummary(merged, setup);
    for (const name of CLASSIFICATION) {
      const key = name as keyof typeof together.metrics;
      expect(
        Math.abs((fromMerge.metrics[key].value as number) - (together.metrics[key].value as number))
      ).toBeLessThanOrEqual(1e-12);
    }
    const replaced = summaryOf(a);
    const flipped = a.slice(0, 100).map((r) => ({ ...r, label: 1 - (r.label as number) }));
    a.slice(0, 100).forEach((r) => replaced.add(r, -1));
    flipped.forEach((r) => replaced.add(r));
    const rows = [...flipped, ...a.slice(100)];
    expectSameClassification(rows, setupOfRows(rows));
    const direct = evaluateClassificationSummary(replaced, setupOfRows(rows));
    const fresh = evaluateClassificationSummary(summaryOf(rows), setupOfRows(rows));
    expect(direct.metrics.accuracy).toEqual(fresh.metrics.accuracy);
    expect(Math.abs((direct.metrics.log_loss.value as number) - (fresh.metrics.log_loss.value as number))).toBeLessThan(
      1e-12
    );
  });

  test('scores outside [0, 1] and scalar scores in a multiclass window send the query to the rows', () => {
    const bad = summaryOf([
      { label: 1, prediction: 1, score: 1.5 },
      { label: 0, prediction: 0, score: 0.2 },
    ]);
    expect(summaryLimitation(bad, classSetupOfSummary(bad))).toMatch(/outside \[0, 1\]/);
    const mixed = summaryOf([
      { label: 'a', prediction: 'b', score: [0.2, 0.3, 0.5] },
      { label: 'c', prediction: 'c', score: 0.4 },
    ]);
    expect(summaryLimitation(mixed, classSetupOfSummary(mixed))).toMatch(/scalar scores/);
  });
});

describe('binnedRocAuc', () => {
  test('is exact when no bin holds both classes, and within its bound of rocAuc otherwise', () => {
    expect(binnedRocAuc([0, 2, 0], [1, 0, 1])).toEqual({ auc: 0.5, bound: 0 });
    const random = seededRandom(3);
    const positives: boolean[] = [];
    const scores: number[] = [];
    const pos = new Float64Array(16);
    const neg = new Float64Array(16);
    for (let i = 0; i < 400; i++) {
      const positive = random() < 0.5;
      const s = Math.min(0.999, Math.max(0, (positive ? 0.6 : 0.4) + (random() - 0.5) * 0.6));
      positives.push(positive);
      scores.push(s);
      const bin = Math.floor(s * 16);
      if (positive) pos[bin] = (pos[bin] as number) + 1;
      else neg[bin] = (neg[bin] as number) + 1;
    }
    const binned = binnedRocAuc(pos, neg);
    expect(binned.bound).toBeGreaterThan(0);
    expect(Math.abs(binned.auc - rocAuc(positives, scores))).toBeLessThanOrEqual(binned.bound);
    expect(() => binnedRocAuc([1, 0], [0, 0])).toThrow(/only one class/);
  });
});
