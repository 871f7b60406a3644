/**
 * Exact two-sided p-value of the two-sample Kolmogorov-Smirnov statistic by lattice-path counting, as
 * `scipy.stats.ks_2samp(method='exact')` computes it.
 *
 * References: Hodges, J.L. Jr. (1958) "The significance probability of the Smirnov two-sample test", Arkiv för
 * Matematik 3(43); Viehmann, T. (2021) "Numerically more stable computation of the p-values for the two-sample
 * Kolmogorov-Smirnov test", arXiv:2102.08037; scipy `_attempt_exact_2kssamp`.
 */

/** Result of an exact attempt: the statistic rounded to the lattice (h / lcm) and its p-value. */
export interface KsExactResult {
  readonly statistic: number;
  /** null when the computation left [0, 1] (numerical failure): fall back to the asymptotic p-value. */
  readonly pValue: number | null;
}

/** Greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** numpy.round: round half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Exact two-sided p-value P(D ≥ d) for sample sizes n1, n2 and observed statistic d.
 * @param n1 first sample size (≥ 1)
 * @param n2 second sample size (≥ 1)
 * @param d observed KS statistic in [0, 1]
 * @returns the lattice statistic h/lcm(n1, n2) and the p-value (null on numerical failure)
 * @example ksExactTwoSided(3, 3, 1).pValue // 0.1 (= 2 / C(6, 3))
 */
export function ksExactTwoSided(n1: number, n2: number, d: number): KsExactResult {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  return { statistic, pValue: p >= 0 && p <= 1 ? p : null };
}

/**
 * P(D_{n,n} ≥ h/n) for equal sample sizes: 2 Σ_k (−1)^k C(2n, n − (k+1)h) / C(2n, n), evaluated with
 * Horner-like nesting to avoid subtractive cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm(m,n), computed as
 * 1 − (inside paths) directly by Viehmann's recursion over one sliding column.
 */
function outerProbInside(mIn: number, nIn: number, g: number, h: number): number {
  const m = Math.max(mIn, nIn);
  const n = Math.min(mIn, nIn);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) a[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((a[jj + minj - lastminj] ?? 1) * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1] ?? NaN;
}
