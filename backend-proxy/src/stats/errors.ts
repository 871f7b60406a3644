/**
 * Errors of the pure statistics. Each names the function that refused its input, so a route can map it to a
 * clear message ("ksTwoSample: current sample is empty") instead of returning NaN.
 */
export abstract class MetricsError extends Error {
  /** Name of the public function that refused its input, e.g. `ksTwoSample`. */
  readonly fn: string;

  protected constructor(name: string, fn: string, message: string) {
    super(`${fn}: ${message}`);
    this.name = name;
    this.fn = fn;
  }
}

/** Input that no statistic can be computed from: NaN, wrong type, mismatched lengths, bad options. */
export class InvalidInputError extends MetricsError {
  constructor(fn: string, message: string) {
    super('InvalidInputError', fn, message);
  }
}

/** Too little data for the statistic to exist: an empty sample, a single cell, zero total count. */
export class InsufficientDataError extends MetricsError {
  constructor(fn: string, message: string) {
    super('InsufficientDataError', fn, message);
  }
}
