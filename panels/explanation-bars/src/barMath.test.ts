import { extent, linear, shownValue, sortItems, topNWithOthers, waterfall } from './barMath';
import type { BarItem } from './explanationModel';

const item = (feature: string, value: number, extra: Partial<BarItem> = {}): BarItem => ({
  feature,
  value,
  signed: null,
  reference: null,
  featureValue: null,
  count: 1,
  ...extra,
});

const items = [item('b', -0.5), item('a', 0.2), item('c', 0.9), item('d', 0.05)];

describe('shownValue', () => {
  it('is |value| in absolute mode and the signed value (or value) in signed mode', () => {
    expect(shownValue(item('x', -0.5), 'absolute')).toBe(0.5);
    expect(shownValue(item('x', 0.5, { signed: -0.1 }), 'signed')).toBe(-0.1);
    expect(shownValue(item('x', -0.5), 'signed')).toBe(-0.5);
  });
});

describe('sortItems', () => {
  it('orders by magnitude, by name or keeps the input order', () => {
    expect(sortItems(items, 'magnitude', 'signed').map((i) => i.feature)).toEqual(['c', 'b', 'a', 'd']);
    expect(sortItems(items, 'name', 'signed').map((i) => i.feature)).toEqual(['a', 'b', 'c', 'd']);
    expect(sortItems(items, 'input', 'signed').map((i) => i.feature)).toEqual(['b', 'a', 'c', 'd']);
  });
});

describe('topNWithOthers', () => {
  it('keeps the n largest in the given order and sums the rest into one item', () => {
    const out = topNWithOthers(items, 2, 'absolute');
    expect(out.map((i) => i.feature)).toEqual(['b', 'c', '2 other features']);
    expect(out[2]?.value).toBeCloseTo(0.2 + 0.05, 12);
    expect(out[2]?.count).toBe(2);
  });
  it('preserves the total of the values', () => {
    const total = (xs: BarItem[]) => xs.reduce((s, x) => s + x.value, 0);
    for (const n of [1, 2, 3]) expect(total(topNWithOthers(items, n, 'signed'))).toBeCloseTo(total(items), 12);
  });
  it('keeps everything when n is 0 or not smaller than the list', () => {
    expect(topNWithOthers(items, 0, 'absolute')).toHaveLength(4);
    expect(topNWithOthers(items, 4, 'absolute')).toHaveLength(4);
  });
  it('sums references only where there are some', () => {
    const withRef = [
      item('a', 1, { reference: 0.5 }),
      item('b', 0.5, { reference: 0.25 }),
      item('c', 0.1, { reference: 0.2 }),
    ];
    expect(topNWithOthers(withRef, 1, 'absolute')[1]?.reference).toBeCloseTo(0.45, 12);
    expect(topNWithOthers(items, 1, 'absolute')[1]?.reference).toBeNull();
  });
});

describe('waterfall', () => {
  it('walks from the base value through each attribution', () => {
    const wf = waterfall(0.4, items, 0.4 + 0.65);
    expect(wf.steps[0]).toMatchObject({ start: 0.4, end: 0.4 - 0.5 });
    for (let i = 1; i < wf.steps.length; i++) expect(wf.steps[i]?.start).toBe(wf.steps[i - 1]?.end);
    expect(wf.end).toBeCloseTo(0.4 + items.reduce((s, i) => s + i.value, 0), 12);
    expect(wf.mismatch).toBeCloseTo(0, 12);
  });
  it('reports how much the attributions leave unexplained', () => {
    expect(waterfall(0, [item('a', 1)], 1.5).mismatch).toBeCloseTo(0.5, 12);
  });
  it('is just the base value with no attributions', () => {
    expect(waterfall(2, [], 2)).toEqual({ steps: [], end: 2, mismatch: 0 });
  });
});

describe('extent / linear', () => {
  it('spans the values, optionally including zero, and never has zero width', () => {
    expect(extent([0.2, 0.9], true)).toEqual([0, 0.9]);
    expect(extent([0.2, 0.9], false)).toEqual([0.2, 0.9]);
    expect(extent([0.3], false)).toEqual([-0.2, 0.8]);
    expect(extent([Number.NaN], false)).toEqual([0, 1]);
  });
  it('maps the domain onto the range', () => {
    const x = linear([-1, 1], [100, 300]);
    expect(x(-1)).toBe(100);
    expect(x(0)).toBe(200);
    expect(x(1)).toBe(300);
  });
});
