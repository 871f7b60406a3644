import {
  DriftColumns,
  type DriftResult,
  fitSketchKernel,
  type FittedDriftMethod,
  type SketchKernel,
  TRAILING_CELLS,
} from '../../stats';
import type { ColumnProfile, Sketch } from '../../store';
import { toMetricsSketch } from './adapters';
import { approximationNoticeTexts } from './approximation';
import { windowSketch } from './driftWindows';

/**
 * Whether the kernel reads a stored sketch as it is: counts in the column's layout, and for a categorical column no
 * unseen category (those cells are named, which `calculate` handles).
 */
function kernelReads(column: ColumnProfile, sketch: Sketch): boolean {
  return sketch.counts.length === column.counts.length && (column.kind !== 'categorical' || sketch.unseen === 0);
}

/** `calculate` on the merged sketch of some buckets: the path for what the kernel does not read. */
function calculateMerged(fitted: FittedDriftMethod, column: ColumnProfile, buckets: readonly Sketch[]): DriftResult {
  return fitted.calculate({ sketch: toMetricsSketch(column, windowSketch(column, buckets)) });
}

/** Scores one window into `out[cell]` by the kernel when it reads the window, else by `calculate`. */
function scoreWindow(
  kernel: SketchKernel,
  fitted: FittedDriftMethod,
  column: ColumnProfile,
  counts: Float64Array | null,
  buckets: readonly Sketch[],
  out: DriftColumns,
  cell: number
): void {
  if (counts !== null && kernel.score(counts, out, cell)) return;
  out.set(cell, calculateMerged(fitted, column, buckets));
}

/**
 * Drift of one column per stored bucket, from the buckets' sketches: one kernel fitted on the reference scores every
 * cell into typed columns (`calculate`'s numbers; `calculate` itself for the windows the kernel does not read).
 * With `trailingFrom`, a cell that does not drift alone is also tested pooled with the buckets before it — the
 * counts summed into one scratch array — and drifts when the pooled test does (`withTrailingEvidence`'s rule; the
 * pooled test is only run where it can change the verdict).
 *
 * @param fitted the column's fitted method
 * @param column the reference column (the layout of the buckets' counts)
 * @param buckets the column's buckets in time order
 * @param trailingFrom the first bucket of cell i's pooled window, or null where the buckets before are missing
 * @returns one cell per bucket; the series' notices once each
 */
export function sketchDriftPerBucket(
  fitted: FittedDriftMethod,
  column: ColumnProfile,
  buckets: readonly Sketch[],
  trailingFrom?: (i: number) => number | null
): DriftColumns {
  const kernel = fitSketchKernel(fitted);
  const out = new DriftColumns(buckets.length);
  const pooled = new DriftColumns(1);
  const summed = new Float64Array(column.counts.length);
  let pooledVerdicts = 0;
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i] as Sketch;
    scoreWindow(kernel, fitted, column, kernelReads(column, bucket) ? bucket.counts : null, [bucket], out, i);
    const j = trailingFrom?.(i) ?? null;
    if (j === null || out.drifted[i] !== 0) continue;
    let readable = kernel.covers;
    for (let k = j; k <= i && readable; k++) readable = kernelReads(column, buckets[k] as Sketch);
    if (readable) {
      summed.fill(0);
      for (let k = j; k <= i; k++) {
        const counts = (buckets[k] as Sketch).counts;
        for (let c = 0; c < summed.length; c++) summed[c] = (summed[c] as number) + (counts[c] as number);
      }
    }
    scoreWindow(kernel, fitted, column, readable ? summed : null, buckets.slice(j, i + 1), pooled, 0);
    if (pooled.drifted[0] === 1) {
      out.drifted[i] = 1;
      pooledVerdicts++;
    }
  }
  for (const text of approximationNoticeTexts([out])) out.notices.add(text);
  if (pooledVerdicts > 0) {
    out.notices.add(
      `${pooledVerdicts} bucket${pooledVerdicts === 1 ? '' : 's'} drifted over the last ${TRAILING_CELLS} buckets ` +
        'together, not alone'
    );
  }
  return out;
}
