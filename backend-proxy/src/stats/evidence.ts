import type { DriftResult } from './driftMethod';

/** Consecutive cells (the current one included) whose rows a trailing test pools. */
export const TRAILING_CELLS = 3;

/**
 * A cell's verdict from two calibrated tests, each at half the false-alarm rate: the cell alone, and the cell
 * pooled with the cells before it ({@link TRAILING_CELLS} in all). A sustained small shift that one cell's rows
 * cannot show (a category share .4 → .3 in 150 rows) shows in three cells' 450; by Bonferroni a healthy cell is
 * flagged with probability at most the two halves' sum, the rate asked for. The cell's own score, threshold and
 * sample size stay the result's; a verdict reached by the pooled test says so in the notice. A cell with too few
 * rows of its own keeps its null verdict.
 *
 * @param own the cell's result (fitted at half the false-alarm rate)
 * @param trailing the pooled result (same fit), or null where the cells before are missing
 * @returns the cell's result with the combined verdict
 */
export function withTrailingEvidence(own: DriftResult, trailing: DriftResult | null): DriftResult {
  if (own.drifted !== false || trailing?.drifted !== true) return own;
  const text =
    `drift over the last ${TRAILING_CELLS} buckets together (${trailing.currentN} rows: ` +
    `score ${trailing.score?.toPrecision(3) ?? '–'}, threshold ${trailing.threshold.toPrecision(3)})`;
  return Object.freeze({ ...own, drifted: true, notice: own.notice === null ? text : `${own.notice}; ${text}` });
}
