import type { DriftMethod } from '@mlsight/contract';
import type { FeatureProfile } from './profile';

/** What a method becomes on a feature it does not apply to: a method of the same kind of score. */
const STAND_INS: Readonly<Partial<Record<DriftMethod, { categorical?: DriftMethod; numeric?: DriftMethod }>>> = {
  // Both tests: the significance level carries over.
  ks: { categorical: 'chisquare' },
  // Both distances of a comparable scale (Evidently's default threshold is 0.1 for both).
  wasserstein: { categorical: 'jensenshannon' },
  // Value-as-category tests on a numeric feature with too many distinct values for cells.
  chisquare: { numeric: 'ks' },
  ztest: { numeric: 'ks' },
};

/**
 * The method to fit on one feature when a query names one method for all of them: the requested one where it
 * applies, else a stand-in with the same kind of score — KS → chi-square and Wasserstein → Jensen-Shannon on a
 * categorical feature; chi-square and the Z-test → KS on a numeric feature with more than 20 distinct values. So
 * `method: "ks"` on a model with categorical features tests every feature instead of failing the query; pass the
 * requested method as `requestedMethod` to `fitDrift` and each result says which method stood in.
 *
 * @param method the requested method
 * @param profile the reference feature
 * @returns the method that applies
 * @example applicableMethod('ks', categoricalProfile) // 'chisquare'
 */
export function applicableMethod(method: DriftMethod, profile: FeatureProfile): DriftMethod {
  const standIn = STAND_INS[method];
  if (standIn === undefined) return method;
  if (profile.kind === 'categorical') return standIn.categorical ?? method;
  return profile.valueCounts === null ? (standIn.numeric ?? method) : method;
}
