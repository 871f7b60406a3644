/** @jest-environment jsdom */
import type { ColorScale } from './colorScale';
import { drawHeatmap, type Canvas2D, type CellBitmap, type DrawColors } from './drawHeatmap';
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

/** Black → red: intensity v is red Math.round(v * 255), in CSS and in pixels. */
const redScale: ColorScale = {
  css: (v) => `rgb(${Math.round(v * 255)}, 0, 0)`,
  rgb: (v) => [Math.round(v * 255), 0, 0],
};

function draw(
  frames = [driftFrame([psiSeries('a', [0.01, 0.3, null], [500, 500, 5]), psiSeries('b', [0.1, 0.1, 0.1])], 3)],
  dense?: { bitmap: CellBitmap; colors: DrawColors }
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
    cellGap: dense ? 0 : 1,
  });
  const fake = fakeContext();
  drawHeatmap(fake.ctx as unknown as Canvas2D, 600, 200, {
    rows: model.rows,
    timeLabel: (col) => String(model.times[col]),
    layout,
    scale: dense ? redScale : { css: (v) => `scale(${v.toFixed(2)})`, rgb: () => [0, 0, 0] },
    colors: dense?.colors ?? colors,
    ...(dense ? { bitmap: dense.bitmap } : {}),
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
  // 2 features × 400 hourly buckets on 600 px: cells under 2 px wide.
  const wide = () => {
    const a = Array.from({ length: 400 }, (_, i): number | null => (i === 1 ? 0.3 : i === 2 ? null : 0.01));
    const rowsA = a.map((_, i) => (i === 2 ? 5 : 500));
    return [
      driftFrame(
        [
          psiSeries('a', a, rowsA),
          psiSeries(
            'b',
            a.map(() => 0.1)
          ),
        ],
        400
      ),
    ];
  };

  it('draws a dense grid as one scaled bitmap, one pixel per cell, low-sample cells faded', () => {
    const cssColors = { ...colors, empty: '#101010', hatch: 'rgb(200, 200, 200)' };
    const images: Array<{ cols: number; rows: number; rgba: Uint8ClampedArray }> = [];
    const image = {} as CanvasImageSource;
    const calls = draw(wide(), {
      colors: cssColors,
      bitmap: (cols, rows, rgba) => {
        images.push({ cols, rows, rgba });
        return image;
      },
    });
    expect(images).toHaveLength(1);
    const { cols, rows, rgba } = images[0] ?? { cols: 0, rows: 0, rgba: new Uint8ClampedArray() };
    expect([cols, rows]).toEqual([400, 2]);
    const pixel = (r: number, c: number) => [...rgba.slice((r * cols + c) * 4, (r * cols + c) * 4 + 4)];
    // Row a: 0.01 → intensity 0.025, 0.3 → 0.75, missing (5 rows, low sample) → empty faded halfway to the hatch.
    expect(pixel(0, 1)).toEqual([Math.round(0.75 * 255), 0, 0, 255]);
    expect(pixel(0, 2)).toEqual([(16 + 200) / 2, (16 + 200) / 2, (16 + 200) / 2, 255]);
    expect(calls.filter((c) => c.op === 'drawImage')).toHaveLength(1);
    expect(calls.filter((c) => c.op === 'fillRect')).toHaveLength(0);
  });

  it('falls back to rects when the browser gives no bitmap', () => {
    const calls = draw(wide(), { colors: { ...colors, empty: '#101010', hatch: '#c8c8c8' }, bitmap: () => null });
    expect(calls.filter((c) => c.op === 'fillRect')).toHaveLength(800);
  });

  it('keeps rects, outlines and hatching for cells large enough to show them', () => {
    const calls = draw(undefined, {
      colors: { ...colors, empty: '#101010', hatch: '#c8c8c8' },
      bitmap: () => ({}) as CanvasImageSource,
    });
    expect(calls.filter((c) => c.op === 'drawImage')).toHaveLength(0);
    expect(calls.filter((c) => c.op === 'strokeRect')).toHaveLength(1);
  });
});
