import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A long computation written as a generator that yields at checkpoints (per row, per column). The same code runs
 * at once (`runSteps`, for pure callers and tests) or in slices that let the event loop answer other requests
 * (`runStepsInSlices`, for request handlers): a large reference no longer holds `/healthz` for seconds.
 */
export type Steps<T> = Generator<undefined, T, undefined>;

/** Runs every step at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Longest slice of work between two turns of the event loop. */
export const SLICE_MS = 10;

/** Runs the steps in slices of about `sliceMs`, giving the event loop a turn between slices. */
export async function runStepsInSlices<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
