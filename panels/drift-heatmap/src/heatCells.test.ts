import { cellOf, emptyCells } from './heatCells';

describe('cellOf', () => {
  it('reads missing numbers as null and flags as booleans', () => {
    const cells = emptyCells(2);
    cells.value[1] = 0.3;
    cells.intensity[1] = 0.75;
    cells.rows[1] = 12;
    cells.threshold[1] = 0.2;
    cells.drifted[1] = 1;
    cells.lowSample[1] = 1;
    expect(cellOf(cells, 0)).toEqual({
      value: null,
      intensity: null,
      drifted: false,
      lowSample: false,
      pValue: null,
      threshold: null,
      rows: null,
    });
    expect(cellOf(cells, 1)).toEqual({
      value: 0.3,
      intensity: 0.75,
      drifted: true,
      lowSample: true,
      pValue: null,
      threshold: 0.2,
      rows: 12,
    });
  });
  it('gives undefined outside the row', () => {
    const cells = emptyCells(2);
    expect(cellOf(cells, -1)).toBeUndefined();
    expect(cellOf(cells, 2)).toBeUndefined();
    expect(cellOf(cells, 0.5)).toBeUndefined();
  });
});
