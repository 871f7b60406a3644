import { InsufficientDataError, InvalidInputError } from '../errors';

/** ROC AUC from score histograms and how far it can be from the AUC of the rows themselves. */
export interface BinnedRocAuc {
  readonly auc: number;
  /** |auc − exact AUC| ≤ bound: half the share of (positive, negative) pairs that share a bin. */
  readonly bound: number;
}

/**
 * Area under the ROC curve from histograms of the positives' and negatives' scores on the same ordered bins
 * (Mann–Whitney form: AUC = P(s⁺ > s⁻) + ½ P(s⁺ = s⁻), which equals `rocAuc`'s trapezoids on the rows). Every pair of
 * a positive and a negative in different bins is ordered as its scores are; a pair in one bin counts ½, where the
 * rows would count 0, ½ or 1. Hence |binned − exact| ≤ Σ_b P_b·N_b / (2·P·N), returned as `bound` — computable
 * from the histograms alone, and 0 when no bin holds both classes.
 *
 * Reference: Hanley & McNeil (1982) "The meaning and use of the area under a ROC curve", Radiology 143.
 *
 * @param positives rows of the positive class per bin, bins in ascending score order
 * @param negatives rows of the other classes per bin, same bins
 * @throws InsufficientDataError when one of the classes is absent (the curve does not exist)
 * @example binnedRocAuc(new Float64Array([0, 1]), new Float64Array([1, 0])) // { auc: 1, bound: 0 }
 */
export function binnedRocAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): BinnedRocAuc {
  const fn = 'binnedRocAuc';
  if (positives.length !== negatives.length) throw new InvalidInputError(fn, 'histograms differ in length');
  let totalPositive = 0;
  let below = 0;
  let wins = 0;
  let ties = 0;
  // One pass, ascending: `below` is the negatives in lower bins, and at the end all of them.
  for (let b = 0; b < positives.length; b++) {
    const p = positives[b] as number;
    const n = negatives[b] as number;
    wins += p * below;
    ties += p * n;
    below += n;
    totalPositive += p;
  }
  const totalNegative = below;
  if (totalPositive === 0 || totalNegative === 0) {
    throw new InsufficientDataError(fn, 'only one class is present in the labels, so ROC AUC is not defined');
  }
  const pairs = totalPositive * totalNegative;
  return { auc: (wins + ties / 2) / pairs, bound: ties / (2 * pairs) };
}
