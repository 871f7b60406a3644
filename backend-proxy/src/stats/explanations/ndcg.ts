import { InsufficientDataError, InvalidInputError } from '../errors';
import { assertFinite, assertInteger, assertSameLength } from '../validate';

/** Discount of rank i (0-based): 1 / log2(i + 2), 0 from rank k on. */
function discounts(n: number, k: number | undefined): number[] {
  return Array.from({ length: n }, (_, i) => (k !== undefined && i >= k ? 0 : 1 / (Math.log(i + 2) / Math.log(2))));
}

/** DCG with tied scores averaged over their permutations (McSherry & Najork 2008), as scikit-learn does. */
function tieAveragedDcg(relevance: readonly number[], scores: readonly number[], discount: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const cumulative: number[] = [];
  let running = 0;
  for (const d of discount) cumulative.push((running += d));
  let dcg = 0;
  let start = 0;
  let previousCumulative = 0;
  while (start < order.length) {
    let end = start;
    const score = scores[order[start] ?? 0];
    let gain = 0;
    while (end < order.length && scores[order[end] ?? 0] === score) gain += relevance[order[end++] ?? 0] ?? 0;
    const groupCumulative = cumulative[end - 1] ?? 0;
    dcg += (gain / (end - start)) * (groupCumulative - previousCumulative);
    previousCumulative = groupCumulative;
    start = end;
  }
  return dcg;
}

/**
 * Normalised discounted cumulative gain of a ranking: how well `scores` order the items by their `relevance`.
 * Gain is the relevance itself (linear, not 2^rel − 1), the discount of rank r (1-based) is 1 / log2(r + 1), ties in
 * `scores` are averaged over their orderings, and the ideal DCG orders by relevance. With every relevance 0 the
 * result is 0. This is `sklearn.metrics.ndcg_score([relevance], [scores], k=k)` for one sample.
 *
 * Reference: Järvelin & Kekäläinen (2002) "Cumulated gain-based evaluation of IR techniques", ACM TOIS 20(4);
 * scikit-learn `ndcg_score`.
 *
 * @param relevance non-negative true relevance of each item
 * @param scores the ranking's score of each item (higher ranks first)
 * @param k only the first k ranks count (default all)
 * @returns nDCG in [0, 1]
 * @throws InsufficientDataError with fewer than 2 items; InvalidInputError on negative relevance, non-finite
 *   values, different lengths or k < 1
 * @example ndcg([3, 2, 1], [0.9, 0.5, 0.1]) // 1
 */
export function ndcg(relevance: readonly number[], scores: readonly number[], k?: number): number {
  const fn = 'ndcg';
  assertSameLength(fn, ['relevance', 'scores'], relevance, scores);
  if (relevance.length < 2) throw new InsufficientDataError(fn, 'a ranking needs at least 2 items');
  assertFinite(fn, 'relevance', relevance);
  assertFinite(fn, 'scores', scores);
  if (relevance.some((r) => r < 0)) throw new InvalidInputError(fn, 'relevance must not be negative');
  if (k !== undefined) assertInteger(fn, 'k', k, 1);
  const discount = discounts(relevance.length, k);
  const ideal = [...relevance].sort((a, b) => b - a).reduce((s, r, i) => s + r * (discount[i] ?? 0), 0);
  if (ideal === 0) return 0;
  return tieAveragedDcg(relevance, scores, discount) / ideal;
}

/**
 * nDCG of the current importance ranking against the reference importances: the reference's mean |attribution|
 * is each feature's relevance and the current mean |attribution| its score, so 1 means the current ranking puts
 * the features that mattered most in the reference first. A feature present on one side only counts 0 on the other.
 *
 * @param reference mean |attribution| per feature in the reference
 * @param current mean |attribution| per feature in the analysed window
 * @param k only the top k ranks count (default all)
 * @returns nDCG in [0, 1]
 * @throws as ndcg (fewer than 2 features in the union is insufficient)
 * @example importanceRankingNdcg({ a: 2, b: 1 }, { a: 0.1, b: 0.9 }) < 1 // true
 */
export function importanceRankingNdcg(
  reference: Readonly<Record<string, number>>,
  current: Readonly<Record<string, number>>,
  k?: number
): number {
  const features = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  return ndcg(
    features.map((f) => reference[f] ?? 0),
    features.map((f) => current[f] ?? 0),
    k
  );
}
