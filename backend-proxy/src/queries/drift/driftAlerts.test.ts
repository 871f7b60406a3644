import { DriftColumns, type DriftResult } from '../../stats';
import {
  alertBucketMs,
  driftAlertEvents,
  MAX_DRIFT_ALERTS_PER_FEATURE,
  MAX_DRIFT_ALERTS_PER_MODEL,
} from './driftAlerts';
import type { FeatureSeriesResult } from './driftHandlers';

const HOUR = 3_600_000;

/** A bucket's verdict as the fitted PSI method reports it: drifted above 0.1, no verdict below 30 rows. */
function psi(score: number, rows = 200): DriftResult {
  const insufficient = rows < 30;
  return {
    method: 'psi',
    score,
    pValue: null,
    statistic: null,
    effectSize: score,
    effectSizeMeasure: 'wasserstein_normed',
    threshold: 0.1,
    thresholdMode: 'fixed',
    drifted: insufficient ? null : score >= 0.1,
    referenceN: 4000,
    currentN: rows,
    insufficient,
    notice: null,
    errorBound: null,
  };
}

function series(feature: string, cells: ReadonlyArray<readonly [number, number?]>): FeatureSeriesResult {
  return {
    feature,
    role: 'feature',
    times: cells.map((_, i) => i * HOUR),
    cells: DriftColumns.of(cells.map(([score, rows]) => psi(score, rows))),
    rows: cells.map(([, rows]) => rows ?? 200),
  };
}

describe('driftAlertEvents', () => {
  it('marks the first bucket of each drifted run, spanning the run, with feature, method, score and threshold', () => {
    const events = driftAlertEvents(
      'credit-risk',
      undefined,
      [series('income', [[0.02], [0.31], [0.4], [0.05], [0.12], [0.2]])],
      HOUR
    );
    expect(events.map((e) => [e.time, e.timeEnd])).toEqual([
      [1 * HOUR, 3 * HOUR],
      [4 * HOUR, 6 * HOUR],
    ]);
    expect(events[0]).toMatchObject({
      kind: 'drift_alert',
      model: 'credit-risk',
      title: 'credit-risk: income drifted (psi)',
      tags: ['mlsight', 'drift_alert', 'credit-risk', 'feature:income', 'method:psi', 'score:0.31', 'threshold:0.1'],
    });
    expect(events[0]?.text).toBe(
      'income: psi = 0.31 (above threshold 0.1) on 200 rows against 4000 reference rows; drifted for 2 buckets of 60 min'
    );
  });

  it('ends a run at a bucket without a verdict (too few rows), as the heatmap hatches it', () => {
    const events = driftAlertEvents('m', undefined, [series('age', [[0.3], [0.5, 10], [0.3]])], HOUR);
    expect(events.map((e) => e.time)).toEqual([0, 2 * HOUR]);
  });

  it('orders the features by time and produces nothing for a feature that never drifts', () => {
    const events = driftAlertEvents(
      'm',
      '3',
      [series('late', [[0], [0], [0.5]]), series('early', [[0.5], [0]]), series('calm', [[0], [0.01]])],
      HOUR
    );
    expect(events.map((e) => [e.tags[3], e.time, e.version])).toEqual([
      ['feature:early', 0, '3'],
      ['feature:late', 2 * HOUR, '3'],
    ]);
  });

  it('keeps the earliest alerts of a flapping feature, and bounds the model', () => {
    const flapping = Array.from({ length: 60 }, (_, i): [number] => [i % 2 === 0 ? 0.5 : 0]);
    const events = driftAlertEvents('m', undefined, [series('x', flapping), series('y', [[0], [0.5]])], HOUR);
    expect(events.filter((e) => e.tags.includes('feature:x'))).toHaveLength(MAX_DRIFT_ALERTS_PER_FEATURE);
    expect(events.filter((e) => e.tags.includes('feature:x')).at(-1)?.time).toBe(18 * HOUR);
    expect(events.filter((e) => e.tags.includes('feature:y'))).toHaveLength(1);
    const many = Array.from({ length: 30 }, (_, i) => series(`f${i}`, flapping));
    expect(driftAlertEvents('m', undefined, many, HOUR)).toHaveLength(MAX_DRIFT_ALERTS_PER_MODEL);
  });
});

describe('alertBucketMs', () => {
  it('uses whole hours, about 120 buckets a range, never less than an hour', () => {
    expect(alertBucketMs({ fromMs: 0, toMs: 30 * 24 * HOUR })).toBe(6 * HOUR);
    expect(alertBucketMs({ fromMs: 0, toMs: 24 * HOUR })).toBe(HOUR);
    expect(alertBucketMs({ fromMs: 5, toMs: 5 })).toBe(HOUR);
  });
});
