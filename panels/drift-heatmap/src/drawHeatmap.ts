import type { ColorScale } from './colorScale';
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
>;

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
  timeLabels: readonly string[];
  layout: HeatmapLayout;
  scale: ColorScale;
  colors: DrawColors;
  font: string;
  focus: { row: number; col: number } | null;
  brush: { from: number; to: number } | null;
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

/**
 * Draws the grid: one filled rect per cell, hatching over low-sample cells, an outline around drifted cells,
 * category markers, non-overlapping row and time labels (every n-th as the layout says), brush and focus.
 */
export function drawHeatmap(ctx: Canvas2D, width: number, height: number, input: DrawInput): void {
  const { layout: l, rows, colors } = input;
  ctx.clearRect(0, 0, width, height);
  ctx.font = input.font;
  const w = Math.max(0, l.cellWidth - l.gap);
  const h = Math.max(0, l.cellHeight - l.gap);
  rows.forEach((row, r) => {
    const y = l.top + r * l.cellHeight;
    row.cells.forEach((cell, c) => {
      const x = l.left + c * l.cellWidth;
      ctx.fillStyle = cell.intensity === null ? colors.empty : input.scale(cell.intensity);
      ctx.fillRect(x, y, w, h);
      if (cell.lowSample) hatch(ctx, x, y, w, h, colors.hatch);
      if (cell.drifted) {
        ctx.strokeStyle = colors.outline;
        ctx.lineWidth = Math.min(2, Math.max(1, Math.min(w, h) / 6));
        ctx.strokeRect(x + 0.5, y + 0.5, Math.max(0, w - 1), Math.max(0, h - 1));
      }
    });
  });
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
  input.timeLabels.forEach((label, c) => {
    if (c % l.colLabelStride !== 0) return;
    ctx.fillText(label, l.left + c * l.cellWidth + l.cellWidth / 2, axisY);
  });
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
