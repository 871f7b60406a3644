import type { DriftStore, PruneResult } from './types';

/**
 * Runs `store.prune()` every `intervalMs` (first run after one interval) so retention is enforced without a cron
 * job. Safe on every replica at once. The timer does not keep the process alive.
 * @returns a function that stops the schedule
 */
export function schedulePrune(
  store: DriftStore,
  intervalMs: number,
  onResult: (result: PruneResult | Error) => void = () => undefined
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    store
      .prune()
      .then(onResult, (err: unknown) => onResult(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
