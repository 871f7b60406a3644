/** @jest-environment jsdom */
import { toDataFrame } from '@grafana/data';
import { cellOf, type HeatCell } from './heatCells';
import { driftSeverity, isDrifted, readHeatmap, type HeatRow } from './heatmapModel';
import { categoryFrame, driftFrame, HOUR, psiSeries, T0 } from './testing/frames';

/** A row's cells as objects, as the tooltip reads them (none for a missing row). */
function cells(row: HeatRow | undefined): HeatCell[] {
  if (!row) return [];
  return Array.from({ length: row.cells.length }, (_, i) => cellOf(row.cells, i)).filter(
    (c): c is HeatCell => c !== undefined
  );
}

describe('driftSeverity', () => {
  it('is score/threshold for distances, so the threshold is 1', () => {
    expect(driftSeverity(0.1, 0.2, 'above')).toBeCloseTo(0.5, 12);
    expect(driftSeverity(0.2, 0.2, 'above')).toBe(1);
    expect(driftSeverity(-0.1, 0.2, 'above')).toBe(0);
  });
  it('puts p-values on a log scale: p = 1 is 0, p = threshold is 1, smaller p more', () => {
    expect(driftSeverity(1, 0.05, 'below')).toBe(0);
    expect(driftSeverity(0.05, 0.05, 'below')).toBeCloseTo(1, 12);
    expect(driftSeverity(0.0025, 0.05, 'below')).toBeCloseTo(2, 12);
    expect(driftSeverity(0, 0.05, 'below')).toBe(Number.POSITIVE_INFINITY);
  });
  it('has no severity without a score or a usable threshold', () => {
    expect(driftSeverity(null, 0.2, 'above')).toBeNull();
    expect(driftSeverity(0.3, null, 'above')).toBeNull();
    expect(driftSeverity(0.3, 0, 'above')).toBeNull();
    expect(driftSeverity(0.3, 1.5, 'below')).toBeNull();
  });
});

describe('isDrifted', () => {
  it('drifts at/above a distance threshold and strictly below a p-value threshold', () => {
    expect(isDrifted(0.2, 0.2, 'above')).toBe(true);
    expect(isDrifted(0.19, 0.2, 'above')).toBe(false);
    expect(isDrifted(0.05, 0.05, 'below')).toBe(false);
    expect(isDrifted(0.049, 0.05, 'below')).toBe(true);
    expect(isDrifted(null, 0.05, 'below')).toBe(false);
  });
});

describe('readHeatmap (drift)', () => {
  it('reads one row per feature with scores, p-values, rows and verdicts', () => {
    const frame = driftFrame(
      [
        psiSeries('age', [0.05, 0.3, 0.1], [500, 500, 10]),
        {
          ...psiSeries('income', [0.5, 0.01, 0.2]),
          method: 'ks',
          direction: 'below',
          threshold: 0.05,
          pValues: [0.5, 0.01, 0.2],
        },
      ],
      3
    );
    const model = readHeatmap([frame], 'auto');
    expect(model?.mode).toBe('drift');
    expect(model?.times).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(model?.bucketMs).toBe(HOUR);
    expect(model?.rows.map((r) => r.label)).toEqual(['age', 'income']);
    const [age, income] = model?.rows ?? [];
    expect(cells(age).map((c) => c.drifted)).toEqual([false, true, false]);
    expect(cells(age).map((c) => c.lowSample)).toEqual([false, false, true]);
    expect(cells(age).map((c) => c.rows)).toEqual([500, 500, 10]);
    expect(cells(age)[1]?.intensity).toBeCloseTo(Math.min(1, 0.3 / 0.2 / 2), 12);
    expect(income?.method).toBe('ks');
    expect(cells(income).map((c) => c.drifted)).toEqual([false, true, false]);
    expect(cells(income).map((c) => c.pValue)).toEqual([0.5, 0.01, 0.2]);
    expect(cells(age).map((c) => c.pValue)).toEqual([null, null, null]);
  });

  it("colours each cell by its own threshold and takes the frame's verdicts (calibrated thresholds)", () => {
    const frame = driftFrame(
      [
        {
          ...psiSeries('age', [0.3, 0.3, 0.3], [150, 3600, 10]),
          method: 'wasserstein',
          thresholdMode: 'calibrated',
          threshold: 0.2,
          thresholds: [0.2, 0.05, 0.6],
          drifted: [true, true, null],
        },
      ],
      3
    );
    const [age] = readHeatmap([frame], 'drift')?.rows ?? [];
    expect(cells(age).map((c) => c.threshold)).toEqual([0.2, 0.05, 0.6]);
    expect(cells(age).map((c) => c.drifted)).toEqual([true, true, false]);
    expect(cells(age).map((c) => c.intensity)).toEqual([0.3 / 0.2 / 2, 1, 0.3 / 0.6 / 2]);
  });

  it('turns NaN and null scores into empty cells, not NaN colours', () => {
    const model = readHeatmap([driftFrame([psiSeries('age', [Number.NaN, null, 0.1])], 3)], 'drift');
    expect(cells(model?.rows[0]).map((c) => c.intensity)).toEqual([null, null, expect.any(Number)]);
    expect(cells(model?.rows[0]).map((c) => c.value)).toEqual([null, null, 0.1]);
    expect(cells(model?.rows[0]).some((c) => Number.isNaN(c.intensity))).toBe(false);
  });

  it('works with a single bucket (width from the frame meta)', () => {
    const model = readHeatmap([driftFrame([psiSeries('age', [0.4])], 1)], 'auto');
    expect(model?.times).toHaveLength(1);
    expect(model?.bucketMs).toBe(HOUR);
    expect(cells(model?.rows[0])[0]?.drifted).toBe(true);
  });

  it('gives undefined for no frames, empty frames and frames without a time field', () => {
    expect(readHeatmap([], 'auto')).toBeUndefined();
    expect(readHeatmap([driftFrame([], 0)], 'auto')).toBeUndefined();
    expect(readHeatmap([toDataFrame({ fields: [{ name: 'x', values: [1] }] })], 'auto')).toBeUndefined();
  });

  it('infers the bucket width from the time steps when the meta has none', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'time', type: 'time', values: [0, 600_000, 1_200_000] },
        {
          name: 'score',
          type: 'number',
          values: [0.1, 0.2, 0.3],
          labels: { feature: 'a' },
          config: { custom: { threshold: 0.2 } },
        },
      ],
    });
    expect(readHeatmap([frame], 'auto')?.bucketMs).toBe(600_000);
  });
});

describe('readHeatmap (category)', () => {
  it('reads categories with markers for new and vanished ones, coloured by share change', () => {
    const model = readHeatmap([categoryFrame()], 'auto');
    expect(model?.mode).toBe('category');
    expect(model?.feature).toBe('plan');
    expect(model?.rows.map((r) => [r.label, r.marker])).toEqual([
      ['basic', null],
      ['premium', 'vanished'],
      ['trial', 'new'],
    ]);
    const trial = model?.rows[2];
    // the largest change (trial, +0.7) spans the scale
    expect(cells(trial)[2]?.intensity).toBeCloseTo(1, 12);
    expect(cells(model?.rows[0])[2]?.intensity).toBeCloseTo((0.3 - 0.6) / 0.7, 12);
    expect(cells(model?.rows[1])[2]?.lowSample).toBe(true);
    expect(cells(trial).map((c) => c.value)).toEqual([0, 0.2, 0.7]);
  });

  it('prefers the category frame in auto mode and the drift frame in drift mode', () => {
    const frames = [driftFrame([psiSeries('age', [0.1])], 1), categoryFrame()];
    expect(readHeatmap(frames, 'auto')?.mode).toBe('category');
    expect(readHeatmap(frames, 'drift')?.mode).toBe('drift');
    expect(readHeatmap([driftFrame([psiSeries('age', [0.1])], 1)], 'category')).toBeUndefined();
  });
});
