import { InsufficientDataError, InvalidInputError } from './errors';

// Input checks shared by the statistics. Each takes the public function's name so the error names it.

/** Throws unless every value is a finite number. */
export function assertFinite(fn: string, name: string, values: ReadonlyArray<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(fn, `${name}[${i}] must be a finite number, got ${String(v)}`);
    }
  }
}

/** Throws InsufficientDataError when the sample is empty. */
export function assertNonEmpty(fn: string, name: string, values: { readonly length: number }): void {
  if (values.length === 0) throw new InsufficientDataError(fn, `${name} is empty`);
}

/** Throws unless every count is a finite, non-negative number. */
export function assertCounts(fn: string, name: string, counts: ReadonlyArray<number>): void {
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
      throw new InvalidInputError(fn, `${name}[${i}] must be a non-negative finite number, got ${String(c)}`);
    }
  }
}

/** Throws unless both arrays have the same length. */
export function assertSameLength(
  fn: string,
  names: readonly [string, string],
  a: { readonly length: number },
  b: { readonly length: number }
): void {
  if (a.length !== b.length) {
    throw new InvalidInputError(fn, `${names[0]} and ${names[1]} differ in length (${a.length} vs ${b.length})`);
  }
}

/** Throws unless `value` is an integer ≥ `min`. */
export function assertInteger(fn: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidInputError(fn, `${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
}

/** Sum of an array of non-negative counts (exact for integer counts below 2^53). */
export function total(values: ReadonlyArray<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
