import type { FeatureKind } from './featureKind';
import type { ConcreteDriftMethod } from './thresholds';

/** References with at most this many rows get statistical tests; larger ones get distances (Evidently). */
export const AUTO_REFERENCE_LIMIT = 1000;

/** Numeric features with at most this many distinct values are compared as categories of their values. */
export const AUTO_DISCRETE_LIMIT = 5;

/** The method `auto` resolves to, and whether it compares category cells (categorical, or numeric with few values). */
export interface AutoSelection {
  readonly method: ConcreteDriftMethod;
  readonly discrete: boolean;
}

/**
 * Evidently's default drift method (`_get_default_stattest`): with a reference of ≤ 1000 non-missing rows,
 * KS for numeric features, chi-square for categorical ones with more than 2 values and the Z-test for binary ones
 * (numeric features with ≤ 5 distinct values count as categorical); with a larger reference, normalised
 * Wasserstein for numeric features and Jensen-Shannon for categorical ones (and for numeric with ≤ 5 values).
 * Distinct values are counted over reference and current together.
 *
 * Reference: evidently/legacy/calculations/stattests/registry.py `_get_default_stattest`.
 *
 * @param kind the feature kind
 * @param referenceN non-missing reference rows
 * @param distinctValues distinct non-missing values in reference ∪ current
 * @returns the method and whether it compares category cells
 * @example selectAutoMethod('numeric', 500, 100) // { method: 'ks', discrete: false }
 */
export function selectAutoMethod(kind: FeatureKind, referenceN: number, distinctValues: number): AutoSelection {
  const discrete = kind === 'categorical' || distinctValues <= AUTO_DISCRETE_LIMIT;
  if (referenceN <= AUTO_REFERENCE_LIMIT) {
    if (!discrete) return { method: 'ks', discrete };
    return { method: distinctValues > 2 ? 'chisquare' : 'ztest', discrete };
  }
  if (!discrete) return { method: 'wasserstein', discrete };
  return { method: 'jensenshannon', discrete };
}
