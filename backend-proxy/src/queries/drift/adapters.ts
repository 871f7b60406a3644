import type { FeatureProfile, FeatureSketch } from '../../stats';
import type { ColumnProfile, Sketch } from '../../store';

/**
 * The store keeps numeric counts as one array [below min, fine bins…, above max]; the statistics take the same
 * counts as {below, bins, above}. These adapters are the only place the two layouts meet.
 */
function splitTails(counts: ArrayLike<number>): { below: number; bins: number[]; above: number } {
  const last = counts.length - 1;
  // One copy, no intermediate array: this runs once per feature and bucket of a heatmap.
  const bins = new Array<number>(Math.max(0, last - 1));
  for (let i = 1; i < last; i++) bins[i - 1] = counts[i] ?? 0;
  return { below: counts[0] ?? 0, bins, above: last > 0 ? (counts[last] ?? 0) : 0 };
}

/**
 * A stored reference column as the statistics' reference profile; `sortedValues` (all the reference's values,
 * ascending) make KS and Wasserstein exact.
 */
export function toMetricsProfile(column: ColumnProfile, sortedValues?: readonly number[]): FeatureProfile {
  if (column.kind === 'categorical') {
    return {
      kind: 'categorical',
      n: column.count,
      missing: column.missing,
      categoryCounts: column.categories.map((c, i) => [c, column.counts[i] ?? 0] as const),
    };
  }
  return {
    kind: 'numeric',
    n: column.count,
    missing: column.missing,
    mean: column.mean,
    std: column.std,
    min: column.min,
    max: column.max,
    edges: column.edges,
    binCounts: splitTails(column.counts),
    valueCounts: column.valueCounts,
    values: sortedValues ?? null,
  };
}

/** Name under which unseen categories beyond the store's top-100 names are counted, so totals still add up. */
export const OTHER_UNSEEN = '(other unseen)';

/** A merged window sketch of one column as the statistics' current sample. */
export function toMetricsSketch(column: ColumnProfile, sketch: Sketch): FeatureSketch {
  if (column.kind === 'categorical') {
    const counts = new Map<string, number>();
    column.categories.forEach((c, i) => {
      const n = sketch.counts[i] ?? 0;
      if (n > 0) counts.set(c, n);
    });
    let named = 0;
    for (const [name, n] of Object.entries(sketch.unseenCategories)) {
      counts.set(name, (counts.get(name) ?? 0) + n);
      named += n;
    }
    if (sketch.unseen > named) counts.set(OTHER_UNSEEN, sketch.unseen - named);
    return { kind: 'categorical', categoryCounts: counts, missing: sketch.missing };
  }
  return { kind: 'numeric', binCounts: splitTails(sketch.counts), missing: sketch.missing };
}

/**
 * Features whose reference has only a handful of distinct numeric values need value counts that sketches do not
 * keep (Evidently counts distinct values to pick its test); their windows are read as raw rows instead.
 */
export function needsRawRows(column: ColumnProfile): boolean {
  return column.kind === 'numeric' && column.valueCounts !== null && column.valueCounts.length <= 5;
}
