import { DEFAULT_OPTIONS, migrateOptions, OPTIONS_VERSION } from './types';

describe('migrateOptions', () => {
  it('gives the defaults for options saved by no version', () => {
    expect(migrateOptions(undefined)).toEqual(DEFAULT_OPTIONS);
    expect(migrateOptions({})).toEqual(DEFAULT_OPTIONS);
  });
  it('keeps valid values and replaces invalid ones', () => {
    const migrated = migrateOptions({ rowOrder: 'name', mode: 'bogus', cellGap: -1, showLegend: false });
    expect(migrated).toEqual({ ...DEFAULT_OPTIONS, rowOrder: 'name', showLegend: false });
    expect(migrated.optionsVersion).toBe(OPTIONS_VERSION);
  });
});
