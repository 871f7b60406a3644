import { InvalidInputError } from './errors';

/**
 * The finite-n Kolmogorov distribution of D_n = sup |F_n − F| (scipy.stats.kstwo) and the one-sided Smirnov
 * distribution of D_n⁺ (scipy.special.smirnov). ks_2samp's asymptotic p-value is kstwo.sf(d, round(mn/(m+n))).
 *
 * References: Simard, R. & L'Ecuyer, P. (2011) "Computing the two-sided Kolmogorov-Smirnov distribution",
 * J. Stat. Software 39(11) — the algorithm selection; Marsaglia, Tsang & Wang (2003) "Evaluating Kolmogorov's
 * distribution", JSS 8(18) — Durbin matrix; Pomeranz, J. (1974) "Exact cumulative distribution of the
 * Kolmogorov-Smirnov statistic for small samples", CACM 17(12); Pelz, W. & Good, I.J. (1976) "Approximating the
 * lower tail-areas of the Kolmogorov-Smirnov one-sample statistic", JRSS B 38(2); Birnbaum, Z.W. & Tingey, F.H.
 * (1951) "One-sided confidence contours for probability distribution functions", Ann. Math. Statist. 22(4).
 */

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const MIN_LOG = -708;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953,
  0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

const clip = (p: number): number => Math.min(1, Math.max(0, p));

/** x · 2^e without overflowing the intermediate power of two. */
function ldexp(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) {
    r *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    r *= 2 ** -1000;
    k += 1000;
  }
  return r * 2 ** k;
}

/** log(n! / n^n) by Stirling's series (n > 140). */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** Square matrix product of two row-major m×m matrices. */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] ?? 0;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = (out[i * m + j] ?? 0) + aik * (b[k * m + j] ?? 0);
    }
  }
  return out;
}

/** P(D_n ≤ d) by Durbin's matrix method in Marsaglia–Tsang–Wang form. */
function cdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let hm: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) hm[r * m + i] = w[r - i + 1] ?? 0;
  }
  for (let r = 0; r < m; r++) hm[r * m] = v[r] ?? 0;
  for (let c = 0; c < m; c++) hm[(m - 1) * m + c] = v[m - 1 - c] ?? 0;

  let pwr: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) pwr[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  const kk = (k - 1) * m + (k - 1);
  while (nn > 0) {
    if (nn % 2) {
      pwr = matmul(pwr, hm, m);
      expnt += hExpnt;
    }
    hm = matmul(hm, hm, m);
    hExpnt *= 2;
    if (Math.abs(hm[kk] ?? 0) > E128) {
      for (let i = 0; i < hm.length; i++) hm[i] = (hm[i] ?? 0) / E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = pwr[kk] ?? 0;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  return clip(expnt !== 0 ? ldexp(p, expnt) : p);
}

/** Python slice a[start:stop] (negative indices count from the end, bounds clamp). */
function pySlice(a: Float64Array, start: number, stop: number): Float64Array {
  const len = a.length;
  const s = start < 0 ? Math.max(len + start, 0) : Math.min(start, len);
  const e = stop < 0 ? Math.max(len + stop, 0) : Math.min(stop, len);
  return a.slice(s, Math.max(s, e));
}

/** Full discrete convolution (numpy.convolve mode 'full'). */
function convolve(a: Float64Array, b: Float64Array): Float64Array {
  if (a.length === 0 || b.length === 0) return new Float64Array(0);
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] ?? 0;
    for (let j = 0; j < b.length; j++) out[i + j] = (out[i + j] ?? 0) + ai * (b[j] ?? 0);
  }
  return out;
}

/** P(D_n ≤ x) by Pomeranz's recursion. */
function cdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1;
  twogpower[0] = 1;
  onem2gpower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = ((gpower[m - 1] ?? 0) * gOverN) / m;
    twogpower[m] = ((twogpower[m - 1] ?? 0) * twoGOverN) / m;
    onem2gpower[m] = ((onem2gpower[m - 1] ?? 0) * oneMinusTwoGOverN) / m;
  }
  const j1j2 = (i: number): [number, number] => {
    let j1: number;
    let j2: number;
    if (i === 0) {
      j1 = -ll - ceilf - 1;
      j2 = ll + ceilf - 1;
    } else {
      const ip1div2 = Math.floor((i + 1) / 2);
      const ip1mod2 = (i + 1) % 2;
      if (ip1mod2 === 0) {
        if (ip1div2 === n + 1) {
          j1 = n - ll - ceilf - 1;
          j2 = n + ll + ceilf - 1;
        } else {
          j1 = ip1div2 - 1 - ll - roundf - 1;
          j2 = ip1div2 + ll - 1 + ceilf - 1;
        }
      } else {
        j1 = ip1div2 - 1 - ll - 1;
        j2 = ip1div2 + ll + roundf - 1;
      }
    }
    return [Math.max(j1 + 2, 0), Math.min(j2, n)];
  };

  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let expnt = 0;
  let [j1, j2] = j1j2(0);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = j1j2(i);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const conv = convolve(pySlice(v0, k1 - v0s, k1 - v0s + ln2), pySlice(pwrs, 0, ln2));
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      const part = pySlice(conv, convStart, convStart + convLen);
      v1.set(part.subarray(0, Math.min(part.length, v1.length)), 0);
      let max = -Infinity;
      for (const val of v1) if (val > max) max = val;
      if (max > 0 && max < EM128) {
        for (let q = 0; q < v1.length; q++) v1[q] = (v1[q] ?? 0) * E128;
        expnt -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s] ?? 0;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  return clip(expnt !== 0 ? ldexp(ans, expnt) : ans);
}

/** P(D_n ≤ x) by the Pelz-Good asymptotic series. */
function cdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const kk = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) kk[i] = (kk[i] ?? 0) * qpower + (coeffs[i] ?? 0);
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) kk[i] = ((kk[i] ?? 0) * q * SQRT_2PI) / (div[i] ?? 1);
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qp;
  }
  kk[2] = (kk[2] ?? 0) + (k2extra * PI2 * SQRT_2PI) / (-36 * z3);
  kk[3] = (kk[3] ?? 0) + (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (kk[i] ?? 0) / n ** (i / 2);
  return sum;
}

/** Exact product a·b as hi + lo (Dekker/Veltkamp), to take floor(n·x) exactly. */
function twoProduct(a: number, b: number): [number, number] {
  const split = (v: number): [number, number] => {
    const c = 134217729 * v; // 2^27 + 1
    const hi = c - (c - v);
    return [hi, v - hi];
  };
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const err = al * bl - (p - ah * bh - al * bh - ah * bl);
  return [p, err];
}

/**
 * Survival function of the one-sided Smirnov statistic, P(D_n⁺ ≥ x) (scipy.special.smirnov(n, x)), by the
 * Birnbaum–Tingey sum x · Σ_{v < n(1−x)} C(n,v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v); every term is positive, so
 * summing in log space loses no accuracy.
 * @param n sample size (integer ≥ 1)
 * @param x statistic in [0, 1]
 * @returns the upper-tail probability
 * @throws InvalidInputError when n is not a positive integer or x is outside [0, 1]
 * @example smirnovSf(1, 0.3) // 0.7
 */
export function smirnovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError('smirnovSf', `n must be a positive integer, got ${n}`);
  if (!(x >= 0 && x <= 1)) throw new InvalidInputError('smirnovSf', `x must be in [0, 1], got ${x}`);
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const [hi, lo] = twoProduct(n, x);
  let nxfl = Math.floor(hi);
  if (hi === nxfl && lo < 0) nxfl -= 1;
  let alpha = hi - nxfl + lo;
  if (alpha >= 1) {
    nxfl += 1;
    alpha = 0;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return clip(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < -708.3964185322641) return 0;
  if (nxfl >= n - 1) return clip((1 - x) ** n);
  if (n > 1000000) {
    // scipy's approximation for very large n: P ≈ exp(−(6nx + 1)² / 18n)
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  const last = n - nxfl - 1;
  const logs: number[] = [];
  let logC = 0; // log C(n, 0)
  let maxLog = -Infinity;
  for (let v = 0; v <= last; v++) {
    const a = v / n + x;
    const b = (n - v) / n - x;
    if (b > 0) {
      const t = logC + (v - 1) * Math.log(a) + (n - v) * Math.log(b);
      logs.push(t);
      if (t > maxLog) maxLog = t;
    }
    logC += Math.log((n - v) / (v + 1));
  }
  let s = 0;
  for (const t of logs) s += Math.exp(t - maxLog);
  return clip(x * Math.exp(maxLog) * s);
}

/**
 * Survival function of the two-sided one-sample Kolmogorov statistic for sample size n, P(D_n ≥ x), as
 * scipy.stats.kstwo.sf(x, n): exact formulas near the ends, Durbin's matrix or Pomeranz's recursion for small
 * n·x², 2·smirnov for the upper tail, Pelz-Good for large n (Simard & L'Ecuyer's selection).
 * @param n sample size (integer ≥ 1)
 * @param x statistic
 * @returns the p-value P(D_n ≥ x)
 * @throws InvalidInputError when n is not a positive integer or x is NaN
 * @example kolmogorovSf(1, 0.75) // 0.5
 */
export function kolmogorovSf(n: number, x: number): number {
  const fn = 'kolmogorovSf';
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(fn, `n must be a positive integer, got ${n}`);
  if (Number.isNaN(x)) throw new InvalidInputError(fn, 'x is NaN');
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - cdfDurbin(n, x));
    if (nx2 <= 4) return clip(1 - cdfPomeranz(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? cdfDurbin(n, x) : cdfPelzGood(n, x);
  return clip(1 - cdf);
}
