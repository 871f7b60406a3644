/** @jest-environment jsdom */
import { toDataFrame } from '@grafana/data';
import { readExplanation } from './explanationModel';
import { globalFrame, LOCAL_ROWS, localFrame } from './testing/frames';

describe('readExplanation', () => {
  it('reads global importances with signed values', () => {
    const e = readExplanation([globalFrame(5)], 'auto');
    expect(e?.kind).toBe('global');
    expect(e?.items).toHaveLength(5);
    expect(e?.kind === 'global' && e.hasReference).toBe(false);
    expect(e?.items.every((i) => i.signed !== null)).toBe(true);
  });

  it('reads the reference column of explanation_drift frames', () => {
    const e = readExplanation([globalFrame(5, true)], 'global');
    expect(e?.kind === 'global' && e.hasReference).toBe(true);
    expect(e?.items.every((i) => i.reference !== null)).toBe(true);
  });

  it('reads a local explanation with base value, prediction and input values', () => {
    const e = readExplanation([localFrame(0.4)], 'auto');
    expect(e?.kind).toBe('local');
    if (e?.kind !== 'local') return;
    expect(e.baseValue).toBe(0.4);
    expect(e.prediction).toBeCloseTo(
      LOCAL_ROWS.reduce((s, r) => s + r.attribution, 0.4),
      12
    );
    expect(e.predictionId).toBe('p-17');
    expect(e.items.map((i) => i.featureValue)).toEqual(['52000', '41', null, 'basic']);
  });

  it('prefers the local frame in auto mode and follows the view option otherwise', () => {
    const frames = [globalFrame(3), localFrame()];
    expect(readExplanation(frames, 'auto')?.kind).toBe('local');
    expect(readExplanation(frames, 'global')?.kind).toBe('global');
    expect(readExplanation([globalFrame(3)], 'local')).toBeUndefined();
  });

  it('skips NaN values and gives undefined for empty or foreign frames', () => {
    const frame = toDataFrame({
      name: 'explanations',
      fields: [
        { name: 'feature', values: ['a', 'b'] },
        { name: 'value', type: 'number', values: [Number.NaN, 0.3] },
      ],
    });
    expect(readExplanation([frame], 'auto')?.items.map((i) => i.feature)).toEqual(['b']);
    expect(readExplanation([], 'auto')).toBeUndefined();
    expect(readExplanation([globalFrame(0)], 'auto')).toBeUndefined();
    expect(readExplanation([toDataFrame({ fields: [{ name: 'x', values: [1] }] })], 'auto')).toBeUndefined();
  });
});
