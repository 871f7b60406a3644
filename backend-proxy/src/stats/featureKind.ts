import { InsufficientDataError } from './errors';
import { isMissing } from './histogram';

/** How a feature is compared: numeric (distances, KS, bins) or categorical (category shares). */
export type FeatureKind = 'numeric' | 'categorical';

/** A raw feature value as ingested; null, undefined and NaN are missing. */
export type FeatureValue = number | string | boolean | null | undefined;

/** Integer-valued features with at most this many distinct values are categorical (Evidently's limit). */
export const INTEGER_CARDINALITY_LIMIT = 10;

/**
 * Infers a feature's kind from its reference values the way Evidently's `infer_column_type` does for pandas
 * dtypes: strings and booleans are categorical; numbers are categorical when the column would be a pandas integer
 * column — all integers and no missing value (a missing value makes pandas use float) — with at most 10 distinct
 * values, numeric otherwise. The one rule: the drift store's reference profiler (store/profile.ts) uses it too.
 *
 * Difference, because JSON has no dtypes: Evidently calls a string column with more distinct values than half its
 * rows "text" — here it is categorical (text drift is out of scope). Override the kind when the default does not fit.
 *
 * Reference: evidently/core/datasets.py `infer_column_type`.
 *
 * @param values reference values (null, undefined and NaN are missing)
 * @returns the kind
 * @throws InsufficientDataError when every value is missing
 * @example inferFeatureKind([1, 2, 2, 3]) // 'categorical'
 * @example inferFeatureKind([1, 2, null]) // 'numeric'
 */
export function inferFeatureKind(values: ReadonlyArray<unknown>): FeatureKind {
  const distinct = new Set<number>();
  let allIntegers = true;
  let seen = 0;
  let missing = false;
  for (const v of values) {
    if (isMissing(v as FeatureValue)) {
      missing = true;
      continue;
    }
    seen++;
    if (typeof v !== 'number') return 'categorical';
    if (!Number.isInteger(v)) allIntegers = false;
    else if (distinct.size <= INTEGER_CARDINALITY_LIMIT) distinct.add(v);
  }
  if (seen === 0) throw new InsufficientDataError('inferFeatureKind', 'every value is missing');
  return allIntegers && !missing && distinct.size <= INTEGER_CARDINALITY_LIMIT ? 'categorical' : 'numeric';
}
