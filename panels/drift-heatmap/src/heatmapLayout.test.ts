import { cellAt, columnAt, computeLayout, labelStride, type LayoutInput } from './heatmapLayout';

const base: LayoutInput = {
  width: 800,
  height: 400,
  rowCount: 10,
  colCount: 24,
  rowLabelWidth: 80,
  timeLabelWidth: 70,
  fontSize: 12,
  cellGap: 1,
};

describe('labelStride', () => {
  it('labels every cell when labels fit and every n-th otherwise, never overlapping', () => {
    expect(labelStride(30, 12)).toBe(1);
    for (const [cell, label] of [
      [3, 12],
      [7.5, 70],
      [1, 50],
    ] as const) {
      const n = labelStride(cell, label);
      expect(n * cell).toBeGreaterThanOrEqual(label + 4);
      expect((n - 1) * cell).toBeLessThan(label + 4);
    }
  });
});

describe('computeLayout', () => {
  it('fills the width after the row labels and the height above the time axis', () => {
    const l = computeLayout(base);
    expect(l.left).toBeGreaterThanOrEqual(80);
    expect(l.left + l.cellWidth * base.colCount).toBeLessThanOrEqual(base.width);
    expect(l.top + l.cellHeight * base.rowCount + base.fontSize).toBeLessThanOrEqual(base.height);
  });
  it('caps the label column at 35% of the width', () => {
    expect(computeLayout({ ...base, rowLabelWidth: 2000 }).left).toBeLessThanOrEqual(800 * 0.35);
  });
  it('drops the gap and thins labels for 100 features × 720 buckets', () => {
    const l = computeLayout({ ...base, rowCount: 100, colCount: 720 });
    expect(l.gap).toBe(0);
    expect(l.rowLabelStride * l.cellHeight).toBeGreaterThanOrEqual(base.fontSize);
    expect(l.colLabelStride * l.cellWidth).toBeGreaterThanOrEqual(base.timeLabelWidth);
  });
  it('handles a single bucket', () => {
    const l = computeLayout({ ...base, colCount: 1, rowCount: 1 });
    expect(l.cellWidth).toBeGreaterThan(0);
    expect(l.colLabelStride).toBe(1);
  });
});

describe('cellAt / columnAt', () => {
  const l = computeLayout(base);
  it('finds the cell under a point and nothing outside the grid', () => {
    expect(cellAt(l, l.left + l.cellWidth * 2.5, l.top + l.cellHeight * 3.5)).toEqual({ row: 3, col: 2 });
    expect(cellAt(l, l.left - 1, l.top + 1)).toBeNull();
    expect(cellAt(l, l.left + 1, l.top + l.cellHeight * base.rowCount + 1)).toBeNull();
  });
  it('clamps brushing to the grid', () => {
    expect(columnAt(l, -100)).toBe(0);
    expect(columnAt(l, 10_000)).toBe(base.colCount - 1);
  });
});
