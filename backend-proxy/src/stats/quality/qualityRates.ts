import { InvalidInputError } from '../errors';
import { assertCounts } from '../validate';

/** The data-quality counters of one feature over one window, as the drift store's sketches keep them. */
export interface QualityCounters {
  /** Accepted rows with a valid, non-missing value. */
  readonly count: number;
  /** Accepted rows where the value was null or absent. */
  readonly missing: number;
  /** Rows refused because this feature's value had the wrong type for its kind (not in count or missing). */
  readonly typeErrors: number;
  /** Numeric values below the reference minimum or above its maximum (a subset of count). */
  readonly outOfRange: number;
  /** Categorical values outside the reference category set (a subset of count). */
  readonly unseen: number;
}

/** Quality rates of one feature over one window; a rate whose denominator is 0 is null, never NaN. */
export interface QualityRates {
  /** Accepted rows: count + missing (the row volume). */
  readonly rows: number;
  /** missing / (count + missing). */
  readonly missingRate: number | null;
  /** typeErrors / (count + missing + typeErrors): refused rows among every row offered for this feature. */
  readonly typeErrorRate: number | null;
  /** outOfRange / count (numeric features; null for categorical ones). */
  readonly outOfRangeRate: number | null;
  /** unseen / count (categorical features; null for numeric ones). */
  readonly unseenRate: number | null;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null;

/**
 * Data-quality rates from a feature's counters. Each rate names its own denominator, chosen so that the rate is
 * the share of the rows it can happen to: a value can be missing in any accepted row; a type error refuses the row,
 * so it is counted among all rows offered; only present values can be out of range or unseen.
 *
 * Reference: the pandas definitions `s.isna().mean()` (missing), `((s < min) | (s > max)).mean()` over
 * `s.dropna()` (out of range) and `(~s.dropna().isin(categories)).mean()` (unseen).
 *
 * @param counters the window's counters of one feature
 * @param kind the feature's kind; decides which of out-of-range and unseen applies
 * @returns the rates (null where the denominator is 0 or the rate does not apply to the kind)
 * @throws InvalidInputError on a negative or non-finite counter, or a subset counter larger than count
 * @example qualityRates({ count: 8, missing: 2, typeErrors: 0, outOfRange: 2, unseen: 0 }, 'numeric').missingRate // 0.2
 */
export function qualityRates(counters: QualityCounters, kind: 'numeric' | 'categorical'): QualityRates {
  const fn = 'qualityRates';
  const { count, missing, typeErrors, outOfRange, unseen } = counters;
  assertCounts(fn, 'counters', [count, missing, typeErrors, outOfRange, unseen]);
  if (outOfRange > count) throw new InvalidInputError(fn, `outOfRange (${outOfRange}) exceeds count (${count})`);
  if (unseen > count) throw new InvalidInputError(fn, `unseen (${unseen}) exceeds count (${count})`);
  const rows = count + missing;
  return {
    rows,
    missingRate: ratio(missing, rows),
    typeErrorRate: ratio(typeErrors, rows + typeErrors),
    outOfRangeRate: kind === 'numeric' ? ratio(outOfRange, count) : null,
    unseenRate: kind === 'categorical' ? ratio(unseen, count) : null,
  };
}

/**
 * Seconds from the last accepted row to `nowMs`, never negative (a clock a little behind the store's is 0).
 *
 * @param lastRowMs epoch ms of the last accepted row, or null when nothing was ever ingested
 * @param nowMs the clock to measure against
 * @returns seconds since the last row, or null without one
 * @throws InvalidInputError when a time is not finite
 * @example freshnessSeconds(1_000, 61_000) // 60
 */
export function freshnessSeconds(lastRowMs: number | null, nowMs: number): number | null {
  const fn = 'freshnessSeconds';
  if (!Number.isFinite(nowMs)) throw new InvalidInputError(fn, `nowMs must be finite, got ${String(nowMs)}`);
  if (lastRowMs === null) return null;
  if (!Number.isFinite(lastRowMs)) throw new InvalidInputError(fn, `lastRowMs must be finite, got ${lastRowMs}`);
  return Math.max(0, nowMs - lastRowMs) / 1000;
}
