import { type ColorScale, parseColor, type Rgb } from './colorScale';
import type { HeatmapLayout } from './heatmapLayout';
import type { HeatRow } from './heatmapModel';

/** The subset of CanvasRenderingContext2D the heatmap uses (tests pass a recording fake). */
export type Canvas2D = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
  | 'fillRect'
  | 'strokeRect'
  | 'clearRect'
  | 'fillText'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'stroke'
  | 'save'
  | 'restore'
  | 'rect'
  | 'clip'
  | 'drawImage'
  | 'imageSmoothingEnabled'
>;

/** Turns RGBA pixels (one per cell) into an image the context can draw; null when the browser cannot. */
export type CellBitmap = (cols: number, rows: number, rgba: Uint8ClampedArray<ArrayBuffer>) => CanvasImageSource | null;

export interface DrawColors {
  empty: string;
  text: string;
  outline: string;
  hatch: string;
  focus: string;
  markerNew: string;
  markerVanished: string;
}

export interface DrawInput {
  rows: readonly HeatRow[];
  /** Text of a column's time label; asked only for the columns labelled (every n-th as the layout says). */
  timeLabel: (col: number) => string;
  layout: HeatmapLayout;
  scale: ColorScale;
  colors: DrawColors;
  font: string;
  focus: { row: number; col: number } | null;
  brush: { from: number; to: number } | null;
  /** Draws dense grids (cells too small for gaps) as one scaled bitmap instead of a rect per cell. */
  bitmap?: CellBitmap;
}

function hatch(ctx: Canvas2D, x: number, y: number, w: number, h: number, color: string): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let d = -h; d < w; d += 5) {
    ctx.moveTo(x + d, y + h);
    ctx.lineTo(x + d + h, y);
  }
  ctx.stroke();
  ctx.restore();
}

/** `rgb(…)`/hex colours as numbers, `a` of the way towards `b` (low-sample cells fade towards the hatch colour). */
function mix(a: Rgb, b: Rgb, share: number): Rgb {
  return [a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share, a[2] + (b[2] - a[2]) * share];
}

/**
 * One pixel per cell: the grid of a dense heatmap (e.g. 100 features × 720 hours, cells under 4 px, so drawn without
 * gaps) scaled up in one `drawImage` — a rect and a colour change per cell cost ~2 µs each in Chromium's software
 * canvas, 140 ms for 72,000 cells. Outlines and hatching would cover such cells entirely; drifted cells show by their
 * colour and low-sample cells are faded towards the hatch colour instead. False when a colour cannot be parsed or
 * the browser gives no bitmap (the caller then draws rects).
 */
function drawCellsAsBitmap(ctx: Canvas2D, input: DrawInput, bitmap: CellBitmap): boolean {
  const { layout: l, rows, colors, scale } = input;
  const cols = rows[0]?.cells.length ?? 0;
  if (cols === 0) return false;
  let empty: Rgb;
  let hatch: Rgb;
  try {
    empty = parseColor(colors.empty);
    hatch = parseColor(colors.hatch);
  } catch {
    return false;
  }
  const rgba = new Uint8ClampedArray(cols * rows.length * 4);
  let at = 0;
  // Plain loops over 72,000 cells: colours come from the scale's table, no CSS strings are built or parsed.
  for (const { cells } of rows) {
    for (let c = 0; c < cells.length; c++) {
      const intensity = cells.intensity[c] ?? Number.NaN;
      const base = Number.isNaN(intensity) ? empty : scale.rgb(intensity);
      const rgb = cells.lowSample[c] === 1 ? mix(base, hatch, 0.5) : base;
      rgba[at] = rgb[0];
      rgba[at + 1] = rgb[1];
      rgba[at + 2] = rgb[2];
      rgba[at + 3] = 255;
      at += 4;
    }
  }
  const image = bitmap(cols, rows.length, rgba);
  if (!image) return false;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(image, l.left, l.top, cols * l.cellWidth, rows.length * l.cellHeight);
  return true;
}

/**
 * Draws the grid: one filled rect per cell (one bitmap for dense grids), hatching over low-sample cells, an
 * outline around drifted cells, category markers, non-overlapping row and time labels (every n-th as the layout
 * says), brush and focus.
 */
export function drawHeatmap(ctx: Canvas2D, width: number, height: number, input: DrawInput): void {
  const l = input.layout;
  ctx.clearRect(0, 0, width, height);
  ctx.font = input.font;
  const w = Math.max(0, l.cellWidth - l.gap);
  const h = Math.max(0, l.cellHeight - l.gap);
  // Cells under 4 px (drawn without gaps) are too small for outlines and hatching: draw them as a bitmap.
  const dense =
    l.gap === 0 &&
    Math.min(l.cellWidth, l.cellHeight) < 4 &&
    input.bitmap !== undefined &&
    drawCellsAsBitmap(ctx, input, input.bitmap);
  if (!dense) drawCellRects(ctx, input, w, h);
  drawLabelsAndMarks(ctx, input, w, h);
}

function drawCellRects(ctx: Canvas2D, input: DrawInput, w: number, h: number): void {
  const { layout: l, rows, colors } = input;
  rows.forEach(({ cells }, r) => {
    const y = l.top + r * l.cellHeight;
    for (let c = 0; c < cells.length; c++) {
      const x = l.left + c * l.cellWidth;
      const intensity = cells.intensity[c] ?? Number.NaN;
      ctx.fillStyle = Number.isNaN(intensity) ? colors.empty : input.scale.css(intensity);
      ctx.fillRect(x, y, w, h);
      if (cells.lowSample[c] === 1) hatch(ctx, x, y, w, h, colors.hatch);
      if (cells.drifted[c] === 1) {
        ctx.strokeStyle = colors.outline;
        ctx.lineWidth = Math.min(2, Math.max(1, Math.min(w, h) / 6));
        ctx.strokeRect(x + 0.5, y + 0.5, Math.max(0, w - 1), Math.max(0, h - 1));
      }
    }
  });
}

function drawLabelsAndMarks(ctx: Canvas2D, input: DrawInput, w: number, h: number): void {
  const { layout: l, rows, colors } = input;
  ctx.fillStyle = colors.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  rows.forEach((row, r) => {
    if (r % l.rowLabelStride !== 0) return;
    const y = l.top + r * l.cellHeight + l.cellHeight / 2;
    if (row.marker) {
      ctx.fillStyle = row.marker === 'new' ? colors.markerNew : colors.markerVanished;
      ctx.fillRect(l.left - 6, y - 3, 4, 6);
      ctx.fillStyle = colors.text;
    }
    ctx.fillText(row.label, l.left - 8, y);
  });
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const axisY = l.top + l.rowCount * l.cellHeight + 4;
  for (let c = 0; c < l.colCount; c += l.colLabelStride) {
    ctx.fillText(input.timeLabel(c), l.left + c * l.cellWidth + l.cellWidth / 2, axisY);
  }
  if (input.brush) {
    const from = Math.min(input.brush.from, input.brush.to);
    const to = Math.max(input.brush.from, input.brush.to);
    ctx.strokeStyle = colors.focus;
    ctx.lineWidth = 2;
    ctx.strokeRect(l.left + from * l.cellWidth, l.top, (to - from + 1) * l.cellWidth, l.rowCount * l.cellHeight);
  }
  if (input.focus) {
    ctx.strokeStyle = colors.focus;
    ctx.lineWidth = 2;
    ctx.strokeRect(l.left + input.focus.col * l.cellWidth, l.top + input.focus.row * l.cellHeight, w, h);
  }
}
