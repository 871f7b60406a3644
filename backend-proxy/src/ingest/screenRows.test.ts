import { StoreRequestError } from '../store/profile';
import { InvalidRow } from '../store/validate';
import { screenRows } from './screenRows';

const LIMITS = { maxFeatures: 4, maxStringLength: 8, maxBatchRows: 10 };
const row = (...names: string[]) => ({ prediction_id: 'p', features: Object.fromEntries(names.map((n) => [n, 1])) });

describe('screenRows', () => {
  it('keeps rows within the limits as they are (the same objects)', () => {
    const rows = [row('a', 'b'), row('b', 'c'), 'not an object', new InvalidRow('line 3: invalid JSON')];
    const out = screenRows(rows, 'batch', LIMITS);
    expect(out).toEqual(rows);
    expect(out[0]).toBe(rows[0]);
  });

  it('refuses the row that takes a batch past MLSIGHT_MAX_FEATURES distinct features, keeping the others', () => {
    const out = screenRows([row('a', 'b'), row('c', 'd'), row('e'), row('a', 'd')], 'batch', LIMITS);
    expect(out[2]).toEqual(
      new InvalidRow(
        'features: the batch would have 5 distinct features, more than the limit of 4 (MLSIGHT_MAX_FEATURES)'
      )
    );
    expect(out.filter((r) => r instanceof InvalidRow)).toHaveLength(1);
  });

  it('refuses a reference over the limit whole, and a batch over MLSIGHT_MAX_BATCH_ROWS whole', () => {
    expect(() => screenRows([row('a', 'b'), row('c', 'd', 'e')], 'reference', LIMITS)).toThrow(StoreRequestError);
    expect(() => screenRows([row('a', 'b', 'c', 'd', 'e')], 'reference', LIMITS)).toThrow(
      /more than 4 distinct features, the limit \(MLSIGHT_MAX_FEATURES\)/
    );
    expect(() =>
      screenRows(
        Array.from({ length: 11 }, () => row('a')),
        'batch',
        LIMITS
      )
    ).toThrow('the batch has 11 rows, more than the limit of 10 (MLSIGHT_MAX_BATCH_ROWS); send smaller batches');
  });

  it('limits segment and attribution names per row too, and strings anywhere in the row', () => {
    const segment = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, 'x']));
    const [wide, long, nul] = screenRows(
      [
        { ...row('a'), segment },
        { ...row('a'), label: 'x'.repeat(9) },
        { ...row('a'), segment: { 'r\u0000': 'eu' } },
      ],
      'batch',
      LIMITS
    );
    expect(wide).toEqual(new InvalidRow('segment: more than the limit of 4 names per row (MLSIGHT_MAX_FEATURES)'));
    expect(long).toEqual(
      new InvalidRow('label: has 9 characters, more than the limit of 8 (MLSIGHT_MAX_STRING_LENGTH)')
    );
    expect(nul).toEqual(new InvalidRow('segment: a name contains the NUL character (U+0000)'));
  });
});
