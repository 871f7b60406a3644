export interface LayoutInput {
  width: number;
  height: number;
  rowCount: number;
  colCount: number;
  /** Width of the widest row label, measured by the caller. */
  rowLabelWidth: number;
  /** Width of one time-axis label, measured by the caller. */
  timeLabelWidth: number;
  fontSize: number;
  cellGap: number;
}

export interface HeatmapLayout {
  left: number;
  top: number;
  cellWidth: number;
  cellHeight: number;
  /** Gap actually drawn (0 once cells are too small for one). */
  gap: number;
  /** Label every n-th row / column so labels never overlap. */
  rowLabelStride: number;
  colLabelStride: number;
  rowCount: number;
  colCount: number;
}

const PAD = 4;
const MAX_LABEL_SHARE = 0.35;

/**
 * Smallest stride n such that labels of size `labelSize`, one every n cells of size `cellSize`, do not overlap
 * (with 4 px between them).
 */
export function labelStride(cellSize: number, labelSize: number): number {
  if (cellSize <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil((labelSize + PAD) / cellSize));
}

/** Places the cell grid: row labels on the left (at most 35% of the width), time labels below. */
export function computeLayout(input: LayoutInput): HeatmapLayout {
  const left = Math.min(Math.ceil(input.rowLabelWidth) + PAD * 2, Math.floor(input.width * MAX_LABEL_SHARE));
  const axisHeight = input.fontSize + PAD * 2;
  const top = PAD;
  const cols = Math.max(1, input.colCount);
  const rows = Math.max(1, input.rowCount);
  const cellWidth = Math.max(0, (input.width - left - PAD) / cols);
  const cellHeight = Math.max(0, (input.height - top - axisHeight) / rows);
  const gap = Math.min(cellWidth, cellHeight) >= 4 * Math.max(1, input.cellGap) ? input.cellGap : 0;
  return {
    left,
    top,
    cellWidth,
    cellHeight,
    gap,
    rowLabelStride: labelStride(cellHeight, input.fontSize),
    colLabelStride: labelStride(cellWidth, input.timeLabelWidth),
    rowCount: input.rowCount,
    colCount: input.colCount,
  };
}

/** The cell under a point (CSS pixels relative to the canvas), or null outside the grid. */
export function cellAt(layout: HeatmapLayout, x: number, y: number): { row: number; col: number } | null {
  if (layout.cellWidth <= 0 || layout.cellHeight <= 0) return null;
  const col = Math.floor((x - layout.left) / layout.cellWidth);
  const row = Math.floor((y - layout.top) / layout.cellHeight);
  if (col < 0 || row < 0 || col >= layout.colCount || row >= layout.rowCount) return null;
  return { row, col };
}

/** The column under an x position, clamped to the grid (for brushing past its edges). */
export function columnAt(layout: HeatmapLayout, x: number): number {
  if (layout.cellWidth <= 0) return 0;
  const col = Math.floor((x - layout.left) / layout.cellWidth);
  return Math.min(layout.colCount - 1, Math.max(0, col));
}
