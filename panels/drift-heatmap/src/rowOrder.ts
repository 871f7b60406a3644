import type { HeatRow } from './heatmapModel';
import type { RowOrder } from './types';

const strength = (v: number): number => (Number.isNaN(v) ? Number.NEGATIVE_INFINITY : Math.abs(v));

/** Largest |intensity| of a row (−∞ when it has no scores, so empty rows sort last). */
export function maxIntensity(row: HeatRow): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of row.cells.intensity) max = Math.max(max, strength(v));
  return max;
}

/** |intensity| of the row's latest bucket that has a score. */
export function latestIntensity(row: HeatRow): number {
  for (let i = row.cells.length - 1; i >= 0; i--) {
    const v = row.cells.intensity[i] ?? Number.NaN;
    if (!Number.isNaN(v)) return Math.abs(v);
  }
  return Number.NEGATIVE_INFINITY;
}

/** Rows ordered by name, by worst drift over the range, or by the latest bucket's drift; ties by name. */
export function orderRows(rows: readonly HeatRow[], order: RowOrder): HeatRow[] {
  const byName = (a: HeatRow, b: HeatRow) => a.label.localeCompare(b.label);
  if (order === 'name') return [...rows].sort(byName);
  const key = order === 'max' ? maxIntensity : latestIntensity;
  const keyed = rows.map((row) => ({ row, k: key(row) }));
  keyed.sort((a, b) => b.k - a.k || byName(a.row, b.row));
  return keyed.map((x) => x.row);
}
