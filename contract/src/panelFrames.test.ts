import { fieldValues } from './frameBuilder';
import {
  buildCategoryDriftFrame,
  buildDriftHeatmapFrame,
  buildExplanationFrame,
  buildLocalExplanationFrame,
  CATEGORY_DRIFT_FRAME,
  DRIFT_HEATMAP_FRAME,
  EXPLANATION_FRAME,
} from './panelFrames';

describe('panel frames', () => {
  it('builds a wide drift-heatmap frame: time + one labelled score field per feature', () => {
    const frame = buildDriftHeatmapFrame(
      [0, 3_600_000],
      [
        { feature: 'age', method: 'psi', threshold: 0.2, direction: 'above', scores: [0.1, 0.3], rows: [500, 20] },
        { feature: 'income', method: 'ks', threshold: 0.05, direction: 'below', scores: [0.5, 0.01] },
      ],
      { bucketMs: 3_600_000, minSampleSize: 30 },
      'A'
    );
    expect(frame.schema.meta).toEqual({ type: 'timeseries-wide', custom: { bucketMs: 3_600_000, minSampleSize: 30 } });
    expect(frame.schema.fields.map((f) => [f.name, f.type, f.labels])).toEqual([
      [DRIFT_HEATMAP_FRAME.time, 'time', undefined],
      ['score', 'number', { feature: 'age' }],
      ['score', 'number', { feature: 'income' }],
    ]);
    expect(frame.schema.fields[2]?.config?.custom).toEqual({
      method: 'ks',
      threshold: 0.05,
      direction: 'below',
      thresholdMode: 'fixed',
      thresholds: [0.05, 0.05],
      drifted: [false, true],
      pValues: [null, null],
      rows: [0, 0],
    });
    expect(frame.schema.fields[1]?.config?.displayNameFromDS).toBe('age');
  });

  it('carries per-bucket calibrated thresholds and verdicts as given (null where a bucket has too few rows)', () => {
    const frame = buildDriftHeatmapFrame(
      [0, 3_600_000],
      [
        {
          feature: 'age',
          method: 'wasserstein',
          threshold: 0.21,
          direction: 'above',
          thresholdMode: 'calibrated',
          scores: [0.25, 0.3],
          thresholds: [0.21, 0.5],
          drifted: [true, null],
        },
      ],
      { bucketMs: 3_600_000, minSampleSize: 30 }
    );
    expect(frame.schema.fields[1]?.config?.custom).toMatchObject({
      thresholdMode: 'calibrated',
      thresholds: [0.21, 0.5],
      drifted: [true, null],
    });
  });

  it('builds a category-drift frame with status labels and reference shares', () => {
    const frame = buildCategoryDriftFrame(
      'plan',
      [0],
      [{ category: 'trial', status: 'new', referenceShare: 0, shares: [0.2], rows: [100] }],
      { bucketMs: 60_000, minSampleSize: 10 }
    );
    const field = frame.schema.fields[1];
    expect(field?.name).toBe(CATEGORY_DRIFT_FRAME.share);
    expect(field?.labels).toEqual({ feature: 'plan', category: 'trial', status: 'new' });
    expect(field?.config).toMatchObject({ unit: 'percentunit', custom: { referenceShare: 0, rows: [100] } });
  });

  it('adds the reference and signed columns only when every row has them', () => {
    const both = buildExplanationFrame([
      { feature: 'a', value: 0.3, signedValue: -0.1, reference: 0.2 },
      { feature: 'b', value: 0.1, signedValue: 0.1, reference: 0.1 },
    ]);
    expect(fieldValues(both, EXPLANATION_FRAME.reference)).toEqual([0.2, 0.1]);
    const partial = buildExplanationFrame([
      { feature: 'a', value: 0.3, reference: 0.2 },
      { feature: 'b', value: 0.1 },
    ]);
    expect(fieldValues(partial, EXPLANATION_FRAME.reference)).toBeUndefined();
    expect(fieldValues(partial, EXPLANATION_FRAME.signedValue)).toBeUndefined();
  });

  it('keeps base value and prediction of a local explanation in meta.custom', () => {
    const frame = buildLocalExplanationFrame([{ feature: 'a', attribution: 0.2 }], {
      predictionId: 'p1',
      baseValue: 0.4,
      prediction: 0.6,
    });
    expect(frame.schema.meta?.custom).toEqual({ predictionId: 'p1', baseValue: 0.4, prediction: 0.6 });
    expect(fieldValues(frame, 'feature_value')).toEqual(['']);
  });
});
