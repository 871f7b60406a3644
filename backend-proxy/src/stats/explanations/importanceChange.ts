import { assertFinite } from '../validate';

/** How one feature's mean |attribution| moved from the reference to the analysed window. */
export interface ImportanceChange {
  readonly feature: string;
  /** Mean |attribution| in the reference; null when the reference does not have the feature. */
  readonly reference: number | null;
  /** Mean |attribution| in the window; null when the window has no attributions for the feature. */
  readonly current: number | null;
  /** current − reference; null when either is. */
  readonly change: number | null;
  /** (current − reference) / reference; null when either is null or the reference is 0. */
  readonly relativeChange: number | null;
}

/**
 * Per-feature change of mean |attribution| between the reference and a window, features sorted by name.
 *
 * @param reference mean |attribution| per feature in the reference
 * @param current mean |attribution| per feature in the window
 * @returns one entry per feature of either side
 * @throws InvalidInputError on a non-finite importance
 * @example importanceChange({ a: 2 }, { a: 3 })[0].relativeChange // 0.5
 */
export function importanceChange(
  reference: Readonly<Record<string, number>>,
  current: Readonly<Record<string, number>>
): ImportanceChange[] {
  const fn = 'importanceChange';
  assertFinite(fn, 'reference', Object.values(reference));
  assertFinite(fn, 'current', Object.values(current));
  const features = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  return features.map((feature) => {
    const r = reference[feature] ?? null;
    const c = current[feature] ?? null;
    const change = r !== null && c !== null ? c - r : null;
    return {
      feature,
      reference: r,
      current: c,
      change,
      relativeChange: change !== null && r !== null && r !== 0 ? change / r : null,
    };
  });
}
