/** @jest-environment jsdom */
import { drawHeatmap, type Canvas2D, type DrawColors } from './drawHeatmap';
import { computeLayout } from './heatmapLayout';
import { readHeatmap } from './heatmapModel';
import { categoryFrame, driftFrame, psiSeries } from './testing/frames';
import { fakeContext } from './testing/fakeCanvas';

const colors: DrawColors = {
  empty: 'empty',
  text: 'text',
  outline: 'outline',
  hatch: 'hatch',
  focus: 'focus',
  markerNew: 'new',
  markerVanished: 'vanished',
};

function draw(
  frames = [driftFrame([psiSeries('a', [0.01, 0.3, null], [500, 500, 5]), psiSeries('b', [0.1, 0.1, 0.1])], 3)]
) {
  const model = readHeatmap(frames, 'auto');
  if (!model) throw new Error('no model');
  const layout = computeLayout({
    width: 600,
    height: 200,
    rowCount: model.rows.length,
    colCount: model.times.length,
    rowLabelWidth: 40,
    timeLabelWidth: 60,
    fontSize: 12,
    cellGap: 1,
  });
  const fake = fakeContext();
  drawHeatmap(fake.ctx as unknown as Canvas2D, 600, 200, {
    rows: model.rows,
    timeLabels: model.times.map(String),
    layout,
    scale: (v) => `scale(${v.toFixed(2)})`,
    colors,
    font: '12px sans-serif',
    focus: null,
    brush: null,
  });
  return fake.calls;
}

describe('drawHeatmap', () => {
  it('fills one rect per cell, empty colour for missing scores', () => {
    const fills = draw().filter((c) => c.op === 'fillRect');
    expect(fills).toHaveLength(6);
    expect(fills[2]?.fillStyle).toBe('empty');
    expect(fills[1]?.fillStyle).toBe(`scale(${Math.min(1, 0.3 / 0.2 / 2).toFixed(2)})`);
  });
  it('outlines drifted cells only and hatches low-sample cells', () => {
    const calls = draw();
    expect(calls.filter((c) => c.op === 'strokeRect')).toHaveLength(1);
    expect(calls.filter((c) => c.op === 'clip')).toHaveLength(1);
  });
  it('labels every row and bucket when they fit', () => {
    const texts = draw()
      .filter((c) => c.op === 'fillText')
      .map((c) => c.args[0]);
    expect(texts).toEqual(expect.arrayContaining(['a', 'b']));
    expect(texts).toHaveLength(2 + 3);
  });
  it('marks new and vanished categories next to their labels', () => {
    const fills = draw([categoryFrame()]).filter((c) => c.op === 'fillRect');
    const markers = fills.map((c) => c.fillStyle).filter((s) => s === 'new' || s === 'vanished');
    expect(markers.sort()).toEqual(['new', 'vanished']);
  });
});
