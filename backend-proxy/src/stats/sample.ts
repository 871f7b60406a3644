import { InvalidInputError } from './errors';
import type { FeatureValue } from './featureKind';
import { binCounts, binTotal, categoryCounts, type BinCounts } from './histogram';
import { numericSample, type FeatureProfile, type NumericProfile } from './profile';

/**
 * A numeric window as stored: counts on the profile's fine edges, optionally value counts (needed when the
 * reference has ≤ 5 distinct values, so `auto` can count distinct values as Evidently does).
 */
export interface NumericSketch {
  readonly kind: 'numeric';
  readonly binCounts: BinCounts;
  readonly valueCounts?: ReadonlyMap<number, number>;
  readonly missing?: number;
}

/** A categorical window as stored: category counts. */
export interface CategoricalSketch {
  readonly kind: 'categorical';
  readonly categoryCounts: ReadonlyMap<string, number>;
  readonly missing?: number;
}

export type FeatureSketch = NumericSketch | CategoricalSketch;

/**
 * The current window of one feature: raw rows (exact KS and Wasserstein) or a merged sketch (everything else
 * exact; KS and Wasserstein binned).
 */
export type DriftSample = { readonly values: ReadonlyArray<FeatureValue> } | { readonly sketch: FeatureSketch };

/** The current window normalised against a numeric profile. */
export interface NumericWindow {
  readonly kind: 'numeric';
  readonly n: number;
  readonly missing: number;
  /** Sorted raw values, when the window came as rows. */
  readonly sorted: readonly number[] | null;
  /** Counts on the profile's fine edges. */
  readonly fine: BinCounts;
  /** Counts per distinct value: from rows when the reference has few distinct values, or as the sketch gives them. */
  readonly valueCounts: ReadonlyMap<number, number> | null;
}

/** The current window normalised against a categorical profile. */
export interface CategoricalWindow {
  readonly kind: 'categorical';
  readonly n: number;
  readonly missing: number;
  readonly counts: ReadonlyMap<string, number>;
}

export type Window = NumericWindow | CategoricalWindow;

function checkCounts(fn: string, what: string, counts: Iterable<number>): number {
  let s = 0;
  for (const c of counts) {
    if (!(c >= 0) || !Number.isFinite(c)) throw new InvalidInputError(fn, `${what} must be non-negative counts`);
    s += c;
  }
  return s;
}

/**
 * Normalises a current window (rows or sketch) against a reference profile.
 * @throws InvalidInputError on type errors, a sketch of the wrong kind, or counts that do not match the edges
 */
export function toWindow(fn: string, profile: FeatureProfile, sample: DriftSample): Window {
  if ('values' in sample) {
    if (profile.kind === 'categorical') {
      const { counts, missing } = categoryCounts(sample.values);
      return { kind: 'categorical', n: sample.values.length - missing, missing, counts };
    }
    return numericRows(profile, fn, sample.values);
  }
  const sketch = sample.sketch;
  const missing = sketch.missing ?? 0;
  if (!(missing >= 0)) throw new InvalidInputError(fn, 'sketch.missing must be ≥ 0');
  if (sketch.kind !== profile.kind) {
    throw new InvalidInputError(fn, `a ${sketch.kind} sketch cannot be compared with a ${profile.kind} reference`);
  }
  if (sketch.kind === 'categorical') {
    const n = checkCounts(fn, 'categoryCounts', sketch.categoryCounts.values());
    return { kind: 'categorical', n, missing, counts: sketch.categoryCounts };
  }
  if (profile.kind !== 'numeric') throw new InvalidInputError(fn, 'unreachable: kind mismatch');
  if (sketch.binCounts.bins.length !== profile.edges.length - 1) {
    throw new InvalidInputError(fn, `binCounts must have ${profile.edges.length - 1} bins (the profile's fine edges)`);
  }
  const n = checkCounts(fn, 'binCounts', [sketch.binCounts.below, sketch.binCounts.above, ...sketch.binCounts.bins]);
  if (sketch.valueCounts !== undefined && checkCounts(fn, 'valueCounts', sketch.valueCounts.values()) !== n) {
    throw new InvalidInputError(fn, 'valueCounts and binCounts count different numbers of values');
  }
  return { kind: 'numeric', n, missing, sorted: null, fine: sketch.binCounts, valueCounts: sketch.valueCounts ?? null };
}

function numericRows(profile: NumericProfile, fn: string, values: ReadonlyArray<FeatureValue>): NumericWindow {
  const { sorted, missing } = numericSample(fn, values);
  const fine = binCounts(sorted, profile.edges);
  // value counts matter only when the reference itself has few distinct values
  const valueCounts = profile.valueCounts === null ? null : countValues(sorted);
  return { kind: 'numeric', n: binTotal(fine), missing, sorted, fine, valueCounts };
}

function countValues(sorted: ReadonlyArray<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of sorted) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
