import { DEFAULT_OPTIONS, migrateOptions } from './types';

describe('migrateOptions', () => {
  it('gives the defaults for options saved by no version', () => {
    expect(migrateOptions(undefined)).toEqual(DEFAULT_OPTIONS);
  });
  it('keeps valid values and replaces invalid ones', () => {
    expect(migrateOptions({ topN: 0, sort: 'name', view: 'x', valueMode: 'signed', showValues: 'yes' })).toEqual({
      ...DEFAULT_OPTIONS,
      topN: 0,
      sort: 'name',
      valueMode: 'signed',
    });
    expect(migrateOptions({ topN: -3 }).topN).toBe(DEFAULT_OPTIONS.topN);
    expect(migrateOptions({ topN: 2.5 }).topN).toBe(DEFAULT_OPTIONS.topN);
  });
});
