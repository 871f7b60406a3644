import { InsufficientDataError, InvalidInputError } from '../errors';
import { assertCounts } from '../validate';
import type { GroupCounts } from './groupCounts';

/**
 * The four-fifths rule: a group's selection rate below 80% of the most favoured group's is evidence of adverse
 * impact (US Uniform Guidelines on Employee Selection Procedures, 29 CFR 1607.4(D)).
 */
export const FOUR_FIFTHS = 0.8;

/** Per-group fairness, each comparison against the reference group. */
export interface GroupFairness {
  readonly group: string;
  readonly n: number;
  readonly labelled: number;
  /** selected / n (fairlearn `selection_rate`). */
  readonly selectionRate: number;
  /** truePositives / actualPositives (fairlearn `true_positive_rate`); null without labelled positives. */
  readonly truePositiveRate: number | null;
  /** selectionRate − the reference group's. */
  readonly demographicParityDifference: number;
  /** truePositiveRate − the reference group's; null when either has no labelled positives. */
  readonly equalOpportunityDifference: number | null;
  /** selectionRate / the reference group's (disparate impact); null when the reference selects nobody. */
  readonly disparateImpactRatio: number | null;
  /** disparateImpactRatio ≥ 0.8; null when the ratio is. */
  readonly passes80Rule: boolean | null;
}

export interface FairnessSummary {
  /** The group every per-group comparison is made against. */
  readonly referenceGroup: string;
  /** `most_favoured`: the group with the highest selection rate (ties: first by name); `given`: chosen by the caller. */
  readonly referenceRule: 'most_favoured' | 'given';
  /** max − min selection rate over groups (fairlearn `demographic_parity_difference`, method `between_groups`). */
  readonly demographicParityDifference: number;
  /**
   * max − min true-positive rate over groups with labelled positives (fairlearn `equal_opportunity_difference`,
   * `between_groups`); null when fewer than one group has them.
   */
  readonly equalOpportunityDifference: number | null;
  /** min / max selection rate (fairlearn `demographic_parity_ratio`); null when no group is selected at all. */
  readonly disparateImpactRatio: number | null;
  /** disparateImpactRatio ≥ 0.8 (every group within four fifths of the most favoured); null when the ratio is. */
  readonly passes80Rule: boolean | null;
  readonly groups: readonly GroupFairness[];
}

/**
 * Group fairness of a binary decision: demographic parity (selection rates), equal opportunity (true-positive
 * rates) and disparate impact (selection-rate ratios) with the four-fifths rule. The summary follows fairlearn's
 * definitions (fairlearn.metrics: `demographic_parity_difference` and `equal_opportunity_difference` as the
 * largest minus the smallest group rate, `demographic_parity_ratio` as the smallest over the largest); the
 * per-group rows compare each group with a reference group, by default the most favoured one, which is how the
 * four-fifths rule is stated. A group without labelled positives has no true-positive rate and is left out of
 * the equal-opportunity numbers (fairlearn would report 0 with a warning).
 *
 * Reference: Bird et al. (2020) "Fairlearn: A toolkit for assessing and improving fairness in AI"; Hardt, Price &
 * Srebro (2016) "Equality of Opportunity in Supervised Learning"; 29 CFR 1607.4(D).
 *
 * @param counts per-group counts (see groupCounts)
 * @param options referenceGroup: compare with this group instead of the most favoured one
 * @returns per-group rows and the summary
 * @throws InsufficientDataError when no group has rows; InvalidInputError on an unknown reference group, duplicate
 *   groups or inconsistent counts
 * @example fairness([{ group: 'a', n: 10, selected: 5, labelled: 0, actualPositives: 0, truePositives: 0 },
 *   { group: 'b', n: 10, selected: 3, labelled: 0, actualPositives: 0, truePositives: 0 }]).disparateImpactRatio // 0.6
 */
export function fairness(counts: readonly GroupCounts[], options: { referenceGroup?: string } = {}): FairnessSummary {
  const fn = 'fairness';
  const groups = counts.filter((c) => c.n > 0);
  if (groups.length === 0) throw new InsufficientDataError(fn, 'no group has rows');
  const names = new Set<string>();
  for (const c of counts) {
    assertCounts(fn, `counts of "${c.group}"`, [c.n, c.selected, c.labelled, c.actualPositives, c.truePositives]);
    if (names.has(c.group)) throw new InvalidInputError(fn, `group "${c.group}" appears twice`);
    names.add(c.group);
    if (c.selected > c.n || c.labelled > c.n || c.actualPositives > c.labelled || c.truePositives > c.actualPositives)
      throw new InvalidInputError(fn, `counts of group "${c.group}" are inconsistent`);
  }
  const selectionRate = (c: GroupCounts) => c.selected / c.n;
  const tpr = (c: GroupCounts) => (c.actualPositives > 0 ? c.truePositives / c.actualPositives : null);

  let reference: GroupCounts | undefined;
  if (options.referenceGroup !== undefined) {
    reference = groups.find((c) => c.group === options.referenceGroup);
    if (!reference) throw new InvalidInputError(fn, `reference group "${options.referenceGroup}" has no rows`);
  } else {
    for (const c of groups) if (!reference || selectionRate(c) > selectionRate(reference)) reference = c;
  }
  if (!reference) throw new InsufficientDataError(fn, 'no group has rows');
  const refRate = selectionRate(reference);
  const refTpr = tpr(reference);

  const rows: GroupFairness[] = groups.map((c) => {
    const rate = selectionRate(c);
    const t = tpr(c);
    const di = refRate > 0 ? rate / refRate : null;
    return {
      group: c.group,
      n: c.n,
      labelled: c.labelled,
      selectionRate: rate,
      truePositiveRate: t,
      demographicParityDifference: rate - refRate,
      equalOpportunityDifference: t !== null && refTpr !== null ? t - refTpr : null,
      disparateImpactRatio: di,
      passes80Rule: di === null ? null : di >= FOUR_FIFTHS,
    };
  });

  const rates = rows.map((r) => r.selectionRate);
  const maxRate = Math.max(...rates);
  const minRate = Math.min(...rates);
  const tprs = rows.map((r) => r.truePositiveRate).filter((t): t is number => t !== null);
  const ratio = maxRate > 0 ? minRate / maxRate : null;
  return {
    referenceGroup: reference.group,
    referenceRule: options.referenceGroup !== undefined ? 'given' : 'most_favoured',
    demographicParityDifference: maxRate - minRate,
    equalOpportunityDifference: tprs.length > 0 ? Math.max(...tprs) - Math.min(...tprs) : null,
    disparateImpactRatio: ratio,
    passes80Rule: ratio === null ? null : ratio >= FOUR_FIFTHS,
    groups: rows,
  };
}
