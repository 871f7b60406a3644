import type { HeatRow } from './heatmapModel';
import type { RowOrder } from './types';

const strength = (v: number | null): number => (v === null ? Number.NEGATIVE_INFINITY : Math.abs(v));

/** Largest |intensity| of a row (−∞ when it has no scores, so empty rows sort last). */
export function maxIntensity(row: HeatRow): number {
  return row.cells.reduce((m, c) => Math.max(m, strength(c.intensity)), Number.NEGATIVE_INFINITY);
}

/** |intensity| of the row's latest bucket that has a score. */
export function latestIntensity(row: HeatRow): number {
  for (let i = row.cells.length - 1; i >= 0; i--) {
    const v = row.cells[i]?.intensity ?? null;
    if (v !== null) return Math.abs(v);
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
