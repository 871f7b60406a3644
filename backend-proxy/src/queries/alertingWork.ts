import type { MLSightQuery, TimeWindow } from '@mlsight/contract';
import { AnswerCache } from '../cache/answerCache';

/**
 * A Grafana-managed rule asks for several numbers of one verdict (drifted, score, threshold, sample sizes …) as
 * separate queries that differ only in `alertValue` (`format: "alerting"` answers one number per label set), and
 * Grafana sends them together. Without sharing, each recomputed the same window: five raw-row reads and five
 * sets of drift tests for one rule evaluation.
 *
 * The key is the query's meaning without `alertValue` (and refId), and the exact window; only computations in
 * flight are shared (nothing is kept once they end), so an answer is never older than the request that waits
 * for it began.
 */
export function alertingWorkKey(query: MLSightQuery, window: TimeWindow): string {
  const {
    refId: _refId,
    hide: _hide,
    alertValue: _alertValue,
    ...meaning
  } = query as MLSightQuery & {
    alertValue?: unknown;
  };
  return JSON.stringify([window.fromMs, window.toMs, window.intervalMs, window.maxDataPoints, meaning]);
}

/** Computations in flight only (a TTL of 0 keeps nothing once they settle, a failure neither). */
const IN_FLIGHT = new AnswerCache<unknown>({ maxEntries: 64, ttlMs: 0 });

/**
 * The work behind an alerting-format answer, computed once for every query of the same rule asked meanwhile;
 * each caller then picks its own `alertValue` from the shared result. The result is shared read-only.
 */
export function sharedAlertingWork<T>(query: MLSightQuery, window: TimeWindow, compute: () => Promise<T>): Promise<T> {
  return IN_FLIGHT.getOrCompute(alertingWorkKey(query, window), compute) as Promise<T>;
}
