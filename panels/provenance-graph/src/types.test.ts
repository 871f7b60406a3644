import { DEFAULT_OPTIONS, migrateOptions } from './types';

describe('migrateOptions', () => {
  it('gives the defaults for options saved by no version', () => {
    expect(migrateOptions(undefined)).toEqual(DEFAULT_OPTIONS);
  });
  it('keeps valid values and drops unknown kinds', () => {
    expect(migrateOptions({ direction: 'TB', collapseKinds: ['step', 'nope'], autoCollapseAbove: -1 })).toEqual({
      ...DEFAULT_OPTIONS,
      direction: 'TB',
      collapseKinds: ['step'],
    });
  });
});
