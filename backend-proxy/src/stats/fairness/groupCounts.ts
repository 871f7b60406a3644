import { InvalidInputError } from '../errors';

/** One scored row as fairness sees it: its group, whether it was selected, and its outcome once labelled. */
export interface FairnessObservation {
  readonly group: string;
  /** The prediction is the positive (favourable) outcome. */
  readonly selected: boolean;
  /** The label is the positive outcome; null while the row has no label. */
  readonly actualPositive: boolean | null;
}

/** Counts of one group, the sufficient statistics of every fairness measure here. */
export interface GroupCounts {
  readonly group: string;
  /** Rows of the group (labelled or not). */
  readonly n: number;
  /** Rows predicted positive. */
  readonly selected: number;
  /** Rows with a label. */
  readonly labelled: number;
  /** Labelled rows whose label is positive. */
  readonly actualPositives: number;
  /** Labelled positive rows that were also predicted positive. */
  readonly truePositives: number;
}

/**
 * Tallies observations per group. Selection counts every row; the label counts only labelled rows, so a selection
 * rate does not wait for delayed labels while a true-positive rate rests on the rows that have them.
 *
 * @param observations rows with a group, a selection and an optional outcome
 * @returns one entry per group, sorted by group name (code units)
 * @throws InvalidInputError on an empty group name
 * @example groupCounts([{ group: 'a', selected: true, actualPositive: true }])[0].truePositives // 1
 */
export function groupCounts(observations: Iterable<FairnessObservation>): GroupCounts[] {
  const byGroup = new Map<string, { n: number; selected: number; labelled: number; pos: number; tp: number }>();
  for (const o of observations) {
    if (o.group === '') throw new InvalidInputError('groupCounts', 'group names must not be empty');
    let c = byGroup.get(o.group);
    if (!c) byGroup.set(o.group, (c = { n: 0, selected: 0, labelled: 0, pos: 0, tp: 0 }));
    c.n++;
    if (o.selected) c.selected++;
    if (o.actualPositive === null) continue;
    c.labelled++;
    if (o.actualPositive) {
      c.pos++;
      if (o.selected) c.tp++;
    }
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, c]) => ({
      group,
      n: c.n,
      selected: c.selected,
      labelled: c.labelled,
      actualPositives: c.pos,
      truePositives: c.tp,
    }));
}
