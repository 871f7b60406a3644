/** One cell of the heatmap as the tooltip and tests read it (null where the frame has no number). */
export interface HeatCell {
  value: number | null;
  /** Position on the colour scale: 0..1 (drift, 0.5 = at threshold) or -1..1 (category share change). */
  intensity: number | null;
  drifted: boolean;
  lowSample: boolean;
  pValue: number | null;
  /** The cell's own threshold (calibrated frames give each bucket one). */
  threshold: number | null;
  rows: number | null;
}

/**
 * A row's buckets as columns, NaN where a number is missing, 1/0 for flags. Typed arrays rather than one object per
 * cell: 100 features × 720 buckets are 72,000 cells per render, and as objects (with their boxed numbers) they cost
 * more to allocate and collect than everything else the panel does.
 */
export interface HeatCells {
  readonly length: number;
  readonly value: Float64Array;
  readonly intensity: Float64Array;
  readonly pValue: Float64Array;
  readonly threshold: Float64Array;
  readonly rows: Float64Array;
  readonly drifted: Uint8Array;
  readonly lowSample: Uint8Array;
}

/** Columns for `length` buckets, every number missing and every flag off until the reader fills them. */
export function emptyCells(length: number): HeatCells {
  const missing = () => new Float64Array(length).fill(Number.NaN);
  return {
    length,
    value: missing(),
    intensity: missing(),
    pValue: missing(),
    threshold: missing(),
    rows: missing(),
    drifted: new Uint8Array(length),
    lowSample: new Uint8Array(length),
  };
}

const orNull = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

/** The cell in bucket `col`, or undefined outside the row. */
export function cellOf(cells: HeatCells, col: number): HeatCell | undefined {
  if (!Number.isInteger(col) || col < 0 || col >= cells.length) return undefined;
  return {
    value: orNull(cells.value[col]),
    intensity: orNull(cells.intensity[col]),
    drifted: cells.drifted[col] === 1,
    lowSample: cells.lowSample[col] === 1,
    pValue: orNull(cells.pValue[col]),
    threshold: orNull(cells.threshold[col]),
    rows: orNull(cells.rows[col]),
  };
}
