import { LabelRowSchema, PredictionRowSchema, ReferenceRowSchema } from '@mlsight/contract';
import { profileFeature } from '../stats';
import { inferKind } from './profile';
import {
  checkLabelRow,
  checkPredictionRow,
  checkReferenceRow,
  InvalidRow,
  isRowError,
  parseTimestamp,
} from './validate';

/** A valid ingestion time (2023-11-14). */
const T = 1_700_000_000_000;

describe('parseTimestamp', () => {
  it('takes epoch ms (number or digits) and ISO-8601 with a zone', () => {
    expect(parseTimestamp(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(parseTimestamp('1700000000123')).toBe(1_700_000_000_123);
    expect(parseTimestamp('2026-11-25T10:00:00Z')).toBe(Date.UTC(2026, 10, 25, 10));
    expect(parseTimestamp('2026-11-25T10:00:00.250+01:00')).toBe(Date.UTC(2026, 10, 25, 9, 0, 0, 250));
    expect(parseTimestamp('2026-11-25')).toBe(Date.UTC(2026, 10, 25));
  });

  it('refuses local times, nonsense and out-of-range numbers with a reason', () => {
    expect(parseTimestamp('2026-11-25T10:00:00')).toContain('time zone');
    expect(parseTimestamp('yesterday')).toContain('not ISO-8601');
    expect(parseTimestamp('2026-13-45T00:00:00Z')).toContain('not a valid date');
    expect(parseTimestamp(-1)).toContain('outside the accepted range');
    expect(parseTimestamp(Number.POSITIVE_INFINITY)).toContain('epoch');
    expect(parseTimestamp(true)).toContain('got boolean');
  });

  it('refuses 2026-02-30 instead of reading it as 2026-03-02 (issue 14)', () => {
    expect(parseTimestamp('2026-02-30T00:00:00Z')).toBe('timestamp: "2026-02-30T00:00:00Z" is not a valid date');
    expect(parseTimestamp('2026-02-29')).toContain('not a valid date');
    expect(parseTimestamp('2028-02-29T12:00:00Z')).toBe(Date.UTC(2028, 1, 29, 12));
    expect(parseTimestamp('2026-04-31T00:00:00+02:00')).toContain('not a valid date');
  });

  it('refuses timestamps 0 and 9999-12-31 silently accepted before (issue 14), naming the accepted range', () => {
    const range = '2000-01-01T00:00:00.000Z … 2100-01-01T00:00:00.000Z';
    expect(parseTimestamp(0)).toBe(`timestamp: 1970-01-01T00:00:00.000Z is outside the accepted range ${range}`);
    expect(parseTimestamp('0')).toContain('outside the accepted range');
    expect(parseTimestamp('9999-12-31T00:00:00Z')).toContain('9999-12-31T00:00:00.000Z is outside');
    expect(parseTimestamp(Date.UTC(2100, 0, 1))).toContain('outside');
    expect(parseTimestamp(Date.UTC(2099, 11, 31, 23, 59))).toBe(Date.UTC(2099, 11, 31, 23, 59));
    expect(parseTimestamp(Date.UTC(2000, 0, 1))).toBe(Date.UTC(2000, 0, 1));
  });
});

describe('row checks', () => {
  it('explain what is wrong with a prediction row', () => {
    const reason = (row: unknown) => {
      const r = checkPredictionRow(row, 7);
      return isRowError(r) ? r.reason : 'ok';
    };
    const ok = { prediction_id: 'a', timestamp: T, features: { x: 1 } };
    expect(reason(ok)).toBe('ok');
    expect(reason({ ...ok, prediction_id: undefined })).toBe('missing prediction_id');
    expect(reason({ ...ok, prediction_id: { id: 1 } })).toContain('prediction_id');
    expect(reason({ ...ok, timestamp: undefined })).toBe('missing timestamp');
    expect(reason({ ...ok, features: undefined })).toBe('missing features');
    expect(reason({ ...ok, features: [1] })).toContain('features: expected an object');
    expect(reason({ ...ok, score: 'high' })).toContain('score');
    expect(reason({ ...ok, segment: { region: { a: 1 } } })).toContain('segment.region');
    expect(reason({ ...ok, attributions: { x: 'big' } })).toContain('attributions.x');
    expect(reason({ ...ok, version: { v: 1 } })).toContain('version');
    expect(reason(new InvalidRow('line 3: invalid JSON'))).toBe('line 3: invalid JSON');
    expect(reason(null)).toContain('expected an object');
  });

  it('normalise ids, versions and segments', () => {
    const r = checkPredictionRow(
      { prediction_id: 12, timestamp: String(T), version: 3, features: {}, segment: { a: 1, b: null } },
      0
    );
    expect(r).toMatchObject({ id: '12', ts: T, version: '3', segment: { a: '1' } });
    const label = checkLabelRow({ prediction_id: 'x', label: 0 }, 0, 99);
    expect(label).toMatchObject({ id: 'x', label: 0, ts: 99 });
    expect(checkLabelRow({ prediction_id: 'x' }, 2, 0)).toEqual({ index: 2, reason: 'missing label' });
  });

  // The hand-written checks must accept what the contract's schemas document, and refuse what they refuse.
  const predictionCases: unknown[] = [
    { prediction_id: 'a', timestamp: T, features: { x: 1, c: 'u', b: true, n: null } },
    { prediction_id: 'a', timestamp: '2026-11-25T10:00:00Z', features: {}, score: [0.2, 0.8], prediction: 'yes' },
    { prediction_id: 'a', timestamp: T, features: {}, segment: { r: 'eu' }, attributions: { x: -0.5 }, version: '2' },
    { prediction_id: '', timestamp: T, features: {} },
    { prediction_id: 'a', features: {} },
    { prediction_id: 'a', timestamp: T },
    { prediction_id: 'a', timestamp: T, features: [] },
    { prediction_id: 'a', timestamp: T, features: {}, score: 'x' },
    { prediction_id: 'a', timestamp: T, features: {}, score: 1.5 },
    { prediction_id: 'a', timestamp: T, features: {}, score: [-0.5, 1] },
    { prediction_id: 'a', timestamp: 0, features: {} },
    { prediction_id: 'a', timestamp: T, features: {}, prediction: { p: 1 } },
    { prediction_id: 'a', timestamp: T, features: {}, attributions: { x: 'y' } },
    'row',
  ];
  it.each(predictionCases.map((c, i) => [i, c]))('agree with PredictionRowSchema on case %i', (_, row) => {
    expect(isRowError(checkPredictionRow(row, 0))).toBe(!PredictionRowSchema.safeParse(row).success);
  });

  const labelCases: unknown[] = [
    { prediction_id: 'a', label: 1 },
    { prediction_id: 'a', label: 'yes', timestamp: T },
    { prediction_id: 'a' },
    { label: 1 },
    { prediction_id: 'a', label: [1] },
  ];
  it.each(labelCases.map((c, i) => [i, c]))('agree with LabelRowSchema on case %i', (_, row) => {
    expect(isRowError(checkLabelRow(row, 0, 0))).toBe(!LabelRowSchema.safeParse(row).success);
  });

  const referenceCases: unknown[] = [
    { features: { x: 1 }, prediction: 1, label: 'a' },
    { features: { x: null } },
    { features: { x: { y: 1 } } },
    { prediction: 1 },
    { features: {}, label: [1] },
  ];
  it.each(referenceCases.map((c, i) => [i, c]))('agree with ReferenceRowSchema on case %i', (_, row) => {
    expect(isRowError(checkReferenceRow(row, 0))).toBe(!ReferenceRowSchema.safeParse(row).success);
  });
});

describe('inferKind', () => {
  it('follows Evidently: floats numeric, few distinct integers categorical unless a value is missing', () => {
    expect(inferKind([0.5, 1, 2])).toBe('numeric');
    expect(inferKind([0, 1, 1, 0, 2])).toBe('categorical');
    expect(inferKind([0, 1, null])).toBe('numeric');
    expect(inferKind(Array.from({ length: 50 }, (_, i) => i))).toBe('numeric');
    expect(inferKind(['a', 1])).toBe('categorical');
    expect(inferKind([true, false])).toBe('categorical');
    expect(inferKind([null, undefined])).toBeUndefined();
  });

  it('regression: the stored profile and the drift statistics disagreed on an integer column with a gap', () => {
    // stats/profile.ts called [0, 1, null, 2] categorical, the store numeric: a sketch and a raw-row verdict of
    // the same column were computed as different kinds. One rule now (stats/featureKind.ts).
    for (const column of [
      [0, 1, null, 2],
      [0, 1, 1, 2],
      [0.5, 1],
      ['a', null],
    ]) {
      expect(inferKind(column)).toBe(profileFeature(column).kind);
    }
  });
});
