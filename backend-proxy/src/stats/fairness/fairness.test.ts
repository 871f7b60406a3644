import {
  fairness,
  type FairnessObservation,
  FOUR_FIFTHS,
  groupCounts,
  InsufficientDataError,
  InvalidInputError,
} from '../index';

/** n rows of a group: `selected` of them predicted positive, `positives` labelled positive, `tp` of those selected. */
function rows(group: string, n: number, selected: number, positives: number, tp: number): FairnessObservation[] {
  // Rows 0..tp-1: selected and positive; then selected negatives; then unselected positives; then the rest.
  return Array.from({ length: n }, (_, i) => {
    if (i < tp) return { group, selected: true, actualPositive: true };
    if (i < selected) return { group, selected: true, actualPositive: false };
    if (i < selected + positives - tp) return { group, selected: false, actualPositive: true };
    return { group, selected: false, actualPositive: false };
  });
}

describe('groupCounts', () => {
  test('tallies selection over all rows and outcomes over labelled rows, groups sorted by name', () => {
    const counts = groupCounts([
      ...rows('b', 4, 2, 2, 1),
      { group: 'a', selected: true, actualPositive: null },
      { group: 'a', selected: false, actualPositive: true },
    ]);
    expect(counts).toEqual([
      { group: 'a', n: 2, selected: 1, labelled: 1, actualPositives: 1, truePositives: 0 },
      { group: 'b', n: 4, selected: 2, labelled: 4, actualPositives: 2, truePositives: 1 },
    ]);
    expect(() => groupCounts([{ group: '', selected: true, actualPositive: null }])).toThrow(InvalidInputError);
  });
});

describe('fairness', () => {
  const counts = groupCounts([
    ...rows('north', 10, 6, 5, 4),
    ...rows('south', 20, 6, 10, 5),
    ...rows('east', 5, 4, 2, 2),
  ]);

  test('compares every group with the most favoured group by default', () => {
    const result = fairness(counts);
    expect(result.referenceGroup).toBe('east'); // 4/5 beats 6/10 and 6/20
    expect(result.referenceRule).toBe('most_favoured');
    const south = result.groups.find((g) => g.group === 'south');
    expect(south?.selectionRate).toBe(6 / 20);
    expect(south?.truePositiveRate).toBe(5 / 10);
    expect(south?.demographicParityDifference).toBe(6 / 20 - 4 / 5);
    expect(south?.equalOpportunityDifference).toBe(5 / 10 - 2 / 2);
    expect(south?.disparateImpactRatio).toBe(6 / 20 / (4 / 5));
    expect(south?.passes80Rule).toBe(false);
    const east = result.groups.find((g) => g.group === 'east');
    expect(east?.disparateImpactRatio).toBe(1);
    expect(east?.passes80Rule).toBe(true);
  });

  test('summarises as fairlearn: max − min differences and the min / max selection-rate ratio', () => {
    const result = fairness(counts);
    expect(result.demographicParityDifference).toBe(4 / 5 - 6 / 20);
    expect(result.equalOpportunityDifference).toBe(2 / 2 - 5 / 10);
    expect(result.disparateImpactRatio).toBe(6 / 20 / (4 / 5));
    expect(result.passes80Rule).toBe(6 / 20 / (4 / 5) >= FOUR_FIFTHS);
  });

  test('the four-fifths rule passes at exactly 0.8', () => {
    const result = fairness(groupCounts([...rows('a', 10, 5, 0, 0), ...rows('b', 10, 4, 0, 0)]));
    expect(result.disparateImpactRatio).toBe(0.8);
    expect(result.passes80Rule).toBe(true);
    expect(result.groups.find((g) => g.group === 'b')?.passes80Rule).toBe(true);
  });

  test('a given reference group changes the per-group comparisons, not the summary', () => {
    const byNorth = fairness(counts, { referenceGroup: 'north' });
    expect(byNorth.referenceRule).toBe('given');
    expect(byNorth.groups.find((g) => g.group === 'east')?.disparateImpactRatio).toBe(4 / 5 / (6 / 10));
    expect(byNorth.demographicParityDifference).toBe(fairness(counts).demographicParityDifference);
    expect(() => fairness(counts, { referenceGroup: 'west' })).toThrow(/fairness: reference group "west"/);
  });

  test('groups without labelled positives have no true-positive rate and stay out of equal opportunity', () => {
    const result = fairness(groupCounts([...rows('a', 10, 5, 4, 2), ...rows('b', 10, 5, 0, 0)]));
    expect(result.groups.find((g) => g.group === 'b')?.truePositiveRate).toBeNull();
    expect(result.groups.find((g) => g.group === 'b')?.equalOpportunityDifference).toBeNull();
    expect(result.equalOpportunityDifference).toBe(0);
  });

  test('nobody selected: ratios are null, not NaN; no rows at all is insufficient', () => {
    const none = fairness(groupCounts([...rows('a', 3, 0, 0, 0), ...rows('b', 3, 0, 0, 0)]));
    expect(none.disparateImpactRatio).toBeNull();
    expect(none.passes80Rule).toBeNull();
    expect(none.groups.every((g) => g.disparateImpactRatio === null)).toBe(true);
    expect(() => fairness([])).toThrow(InsufficientDataError);
  });

  test('refuses inconsistent counts and duplicate groups', () => {
    const bad = { group: 'a', n: 2, selected: 3, labelled: 0, actualPositives: 0, truePositives: 0 };
    expect(() => fairness([bad])).toThrow(/inconsistent/);
    const ok = { ...bad, selected: 1 };
    expect(() => fairness([ok, ok])).toThrow(/appears twice/);
  });
});
