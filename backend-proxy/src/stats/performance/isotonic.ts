import { InsufficientDataError, InvalidInputError } from '../errors';

/** A fitted increasing isotonic regression: thresholds to interpolate between, clipped outside them. */
export interface IsotonicFit {
  /** Ascending distinct x values kept by the fit. */
  readonly x: readonly number[];
  /** Fitted (non-decreasing) y at each x. */
  readonly y: readonly number[];
}

/** float64 resolution (1e-15): scikit-learn merges x values closer than this into one. */
const X_RESOLUTION = 1e-15;

/**
 * Pool-adjacent-violators on weighted values in place, as scikit-learn's `_inplace_contiguous_isotonic_regression`
 * (single pass with backtracking, O(n)), so results agree to the last bit on the same input order.
 */
function poolAdjacentViolators(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) target[i] = i;
  let i = 0;
  while (i < n) {
    let k = (target[i] as number) + 1;
    if (k === n) break;
    if ((y[i] as number) < (y[k] as number)) {
      i = k;
      continue;
    }
    let sumWy = (w[i] as number) * (y[i] as number);
    let sumW = w[i] as number;
    for (;;) {
      const prevY = y[k] as number;
      sumWy += (w[k] as number) * (y[k] as number);
      sumW += w[k] as number;
      k = (target[k] as number) + 1;
      if (k === n || prevY < (y[k] as number)) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1] as number;
        break;
      }
    }
  }
  i = 0;
  while (i < n) {
    const k = (target[i] as number) + 1;
    y.fill(y[i] as number, i + 1, k);
    i = k;
  }
}

/**
 * Fits an increasing isotonic regression of y on x, as scikit-learn's `IsotonicRegression(increasing=True)`:
 * rows sorted by x (then y), duplicate x merged into their mean y with the summed weight, pool-adjacent-violators,
 * and interior points equal to both neighbours dropped (they change no interpolated value).
 *
 * Reference: Barlow et al. (1972) "Statistical inference under order restrictions"; scikit-learn `isotonic.py`.
 *
 * @throws InsufficientDataError without rows; InvalidInputError for non-finite input or unequal lengths
 */
export function fitIsotonic(x: readonly number[], y: readonly number[]): IsotonicFit {
  const fn = 'fitIsotonic';
  if (x.length !== y.length) throw new InvalidInputError(fn, 'x and y differ in length');
  if (x.length === 0) throw new InsufficientDataError(fn, 'no rows to fit');
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new InvalidInputError(fn, `row ${i} is not finite`);
  }
  const order = x
    .map((_, i) => i)
    .sort((a, b) => (x[a] as number) - (x[b] as number) || (y[a] as number) - (y[b] as number));
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let currentX = x[order[0] as number] as number;
  let currentY = 0;
  let currentW = 0;
  for (const j of order) {
    const xj = x[j] as number;
    if (xj - currentX >= X_RESOLUTION) {
      ux.push(currentX);
      uw.push(currentW);
      uy.push(currentY / currentW);
      currentX = xj;
      currentW = 1;
      currentY = y[j] as number;
    } else {
      currentW += 1;
      currentY += y[j] as number;
    }
  }
  ux.push(currentX);
  uw.push(currentW);
  uy.push(currentY / currentW);
  const fitted = Float64Array.from(uy);
  poolAdjacentViolators(fitted, Float64Array.from(uw));
  const keptX: number[] = [];
  const keptY: number[] = [];
  for (let i = 0; i < fitted.length; i++) {
    const v = fitted[i] as number;
    const interior = i > 0 && i < fitted.length - 1;
    if (interior && v === fitted[i - 1] && v === fitted[i + 1]) continue;
    keptX.push(ux[i] as number);
    keptY.push(v);
  }
  return { x: keptX, y: keptY };
}

/**
 * Predicts with a fitted isotonic regression: inputs clipped to the fitted x range (`out_of_bounds="clip"`), then
 * linear interpolation between thresholds, computed as scipy's `interp1d` does.
 */
export function predictIsotonic(fit: IsotonicFit, values: readonly number[]): number[] {
  const { x, y } = fit;
  const n = x.length;
  if (n === 1) return values.map(() => y[0] as number);
  const xMin = x[0] as number;
  const xMax = x[n - 1] as number;
  return values.map((raw) => {
    const v = Math.min(Math.max(raw, xMin), xMax);
    // searchsorted(x, v, 'left') clipped to [1, n − 1]: the segment [hi − 1, hi] holding v.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((x[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    const upper = Math.min(Math.max(lo, 1), n - 1);
    const xLo = x[upper - 1] as number;
    const yLo = y[upper - 1] as number;
    const slope = ((y[upper] as number) - yLo) / ((x[upper] as number) - xLo);
    return slope * (v - xLo) + yLo;
  });
}
