import { InsufficientDataError, InvalidInputError } from '../errors';
import { assertFinite } from '../validate';

/** Global importance of one feature: the mean absolute attribution over the explained rows. */
export interface FeatureImportance {
  readonly feature: string;
  /** Mean |attribution| (the usual global SHAP importance). */
  readonly meanAbs: number;
  /** Mean signed attribution: the direction the feature pushes on average. */
  readonly meanSigned: number;
  /** Rows the means rest on. */
  readonly count: number;
}

/** Running sums of one feature's attributions, as the drift store's attribution sketches keep them. */
export interface AttributionSums {
  readonly feature: string;
  readonly count: number;
  readonly sum: number;
  readonly absSum: number;
}

/**
 * Global importance from an attribution matrix (rows × features, e.g. a SHAP values array): per feature the mean
 * of |φ| and the mean of φ over the rows.
 *
 * Reference: Lundberg et al. (2020) "From local explanations to global understanding with explainable AI for
 * trees", Nature Machine Intelligence 2 — global importance as mean |SHAP|.
 *
 * @param featureNames one name per column
 * @param values one row per explained prediction, one column per feature
 * @returns one entry per feature, in column order
 * @throws InsufficientDataError without rows; InvalidInputError on a ragged matrix, duplicate names or non-finite values
 * @example importanceFromMatrix(['a'], [[1], [-3]])[0].meanAbs // 2
 */
export function importanceFromMatrix(
  featureNames: readonly string[],
  values: ReadonlyArray<ReadonlyArray<number>>
): FeatureImportance[] {
  const fn = 'importanceFromMatrix';
  if (values.length === 0) throw new InsufficientDataError(fn, 'the attribution matrix has no rows');
  if (new Set(featureNames).size !== featureNames.length) throw new InvalidInputError(fn, 'feature names repeat');
  const abs = new Array<number>(featureNames.length).fill(0);
  const signed = new Array<number>(featureNames.length).fill(0);
  values.forEach((row, i) => {
    if (row.length !== featureNames.length) {
      throw new InvalidInputError(fn, `row ${i} has ${row.length} values for ${featureNames.length} features`);
    }
    assertFinite(fn, `values[${i}]`, row);
    for (let j = 0; j < row.length; j++) {
      const v = row[j] ?? 0;
      abs[j] = (abs[j] ?? 0) + Math.abs(v);
      signed[j] = (signed[j] ?? 0) + v;
    }
  });
  const n = values.length;
  return featureNames.map((feature, j) => ({
    feature,
    meanAbs: (abs[j] ?? 0) / n,
    meanSigned: (signed[j] ?? 0) / n,
    count: n,
  }));
}

/**
 * Global importance from running sums (mean |φ| = absSum / count), so importance over a window is a merge of
 * bucket sums rather than a pass over rows. Features without values are left out.
 *
 * @param sums per-feature counts, sums and sums of absolute values
 * @returns one entry per feature with count > 0, in input order
 * @throws InvalidInputError on a negative or non-finite count or sum
 * @example importanceFromSums([{ feature: 'a', count: 2, sum: -2, absSum: 4 }])[0].meanAbs // 2
 */
export function importanceFromSums(sums: readonly AttributionSums[]): FeatureImportance[] {
  const fn = 'importanceFromSums';
  const out: FeatureImportance[] = [];
  for (const s of sums) {
    assertFinite(fn, `sums of "${s.feature}"`, [s.count, s.sum, s.absSum]);
    if (s.count < 0 || s.absSum < 0) throw new InvalidInputError(fn, `"${s.feature}" has a negative count or absSum`);
    if (s.count === 0) continue;
    out.push({ feature: s.feature, meanAbs: s.absSum / s.count, meanSigned: s.sum / s.count, count: s.count });
  }
  return out;
}

/**
 * Orders importances for display: largest mean |attribution| first, ties by feature name so the order is stable.
 *
 * @param importances any order
 * @param topN keep at most this many (default all)
 * @returns a sorted copy
 * @example rankByImportance([{ feature: 'a', meanAbs: 1, meanSigned: 1, count: 1 },
 *   { feature: 'b', meanAbs: 2, meanSigned: 2, count: 1 }])[0].feature // 'b'
 */
export function rankByImportance<T extends { feature: string; meanAbs: number }>(
  importances: readonly T[],
  topN?: number
): T[] {
  const sorted = [...importances].sort(
    (a, b) => b.meanAbs - a.meanAbs || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0)
  );
  return topN === undefined ? sorted : sorted.slice(0, topN);
}
