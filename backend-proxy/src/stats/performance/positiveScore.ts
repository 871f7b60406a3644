/** The probability of the positive class of a binary row: a scalar score, or column 1 of a 2-class array. */
export function positiveScore(score: number | readonly number[] | null): number | null {
  if (typeof score === 'number') return score;
  if (score && score.length === 2) return score[1] ?? null;
  return null;
}
