/** @jest-environment jsdom */
import { readHeatmap, type HeatRow } from './heatmapModel';
import { orderRows } from './rowOrder';
import { driftFrame, psiSeries } from './testing/frames';

function rows(): HeatRow[] {
  const frame = driftFrame(
    [
      psiSeries('b_peak', [0.5, 0.01, 0.01]),
      psiSeries('a_recent', [0.01, 0.05, 0.3]),
      psiSeries('c_calm', [0.02, 0.02, 0.02]),
      psiSeries('d_empty', [null, null, null]),
    ],
    3
  );
  return readHeatmap([frame], 'drift')?.rows ?? [];
}

describe('orderRows', () => {
  it('orders by name', () => {
    expect(orderRows(rows(), 'name').map((r) => r.label)).toEqual(['a_recent', 'b_peak', 'c_calm', 'd_empty']);
  });
  it('orders by worst drift over the range, rows without scores last', () => {
    expect(orderRows(rows(), 'max').map((r) => r.label)).toEqual(['b_peak', 'a_recent', 'c_calm', 'd_empty']);
  });
  it('orders by the latest bucket', () => {
    expect(orderRows(rows(), 'latest').map((r) => r.label)).toEqual(['a_recent', 'c_calm', 'b_peak', 'd_empty']);
  });
  it('does not change its input', () => {
    const input = rows();
    const before = input.map((r) => r.label);
    orderRows(input, 'max');
    expect(input.map((r) => r.label)).toEqual(before);
  });
});
