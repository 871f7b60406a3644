import { InvalidInputError } from '../errors';
import { logGamma } from '../gamma';

export interface McNemarResult {
  /** Rows only the first model got right. */
  readonly onlyFirst: number;
  /** Rows only the second model got right. */
  readonly onlySecond: number;
  readonly pValue: number;
}

/**
 * Exact McNemar test on paired outcomes (both models scored the same rows): under H₀ the discordant pairs split
 * 50/50, so p = min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b + c, ½) — scipy's `binomtest(b, b + c).pvalue`.
 *
 * Reference: McNemar (1947) Psychometrika 12; Fagerland, Lydersen & Laake (2013) "The McNemar test for binary
 * matched-pairs data: mid-p and asymptotic are better than exact conditional", BMC Med Res Methodol 13:91.
 *
 * @param onlyFirst discordant pairs where only the first model was right (b)
 * @param onlySecond discordant pairs where only the second model was right (c)
 * @example mcNemarExact(0, 0) // { pValue: 1, … }
 */
export function mcNemarExact(onlyFirst: number, onlySecond: number): McNemarResult {
  if (!Number.isInteger(onlyFirst) || !Number.isInteger(onlySecond) || onlyFirst < 0 || onlySecond < 0) {
    throw new InvalidInputError('mcNemarExact', 'discordant counts must be non-negative integers');
  }
  const n = onlyFirst + onlySecond;
  const k = Math.min(onlyFirst, onlySecond);
  if (n === 0 || onlyFirst === onlySecond) return { onlyFirst, onlySecond, pValue: 1 };
  const logChoose = (i: number) => logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(i) - n * Math.LN2);
  return { onlyFirst, onlySecond, pValue: Math.min(1, 2 * tail) };
}
