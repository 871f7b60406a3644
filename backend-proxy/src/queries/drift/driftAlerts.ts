import type { AnnotationEvent } from '@mlsight/contract';
import { type DriftColumns, isPValueMethod } from '../../stats';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';
import { driftPerBucket, type FeatureSeriesResult } from './driftHandlers';
import { loadSketches, type Window } from './driftWindows';

/**
 * At most this many drift alerts per feature (the earliest) and per model and request: a feature flapping around
 * its threshold must neither flood the annotation layer nor crowd out the other features.
 */
export const MAX_DRIFT_ALERTS_PER_FEATURE = 10;
export const MAX_DRIFT_ALERTS_PER_MODEL = 100;
/** Buckets per range the alerts are computed on (30 days: 6-hour buckets); never finer than an hour. */
const ALERT_BUCKETS = 120;
const HOUR_MS = 3_600_000;

/** The bucket size the drift alerts of a range use: about `ALERT_BUCKETS` buckets, whole hours, at least one. */
export function alertBucketMs(window: Window): number {
  const span = Math.max(0, window.toMs - window.fromMs);
  return Math.max(HOUR_MS, Math.ceil(span / ALERT_BUCKETS / HOUR_MS) * HOUR_MS);
}

const formatScore = (v: number | null): string => (v === null ? 'n/a' : Number(v.toPrecision(4)).toString());

function describe(cells: DriftColumns, i: number): string {
  const method = cells.method(i);
  const side = isPValueMethod(method) ? 'p-value below' : 'above';
  return `${method} = ${formatScore(cells.scoreAt(i))} (${side} threshold ${formatScore(cells.threshold[i] ?? null)})`;
}

/**
 * One event per drifted run of each feature: the first bucket whose verdict is "drift" after a bucket that was not
 * (or the start of the range), spanning the run. A bucket without a verdict (too few rows) ends a run, as it does
 * in the heatmap. Events carry feature, method, score and threshold in their text and tags; the earliest
 * `MAX_DRIFT_ALERTS_PER_FEATURE` of each feature and `MAX_DRIFT_ALERTS_PER_MODEL` in all are kept.
 */
export function driftAlertEvents(
  model: string,
  version: string | undefined,
  series: readonly FeatureSeriesResult[],
  bucketMs: number
): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const s of series) {
    const before = events.length;
    let start = -1;
    const close = (end: number) => {
      if (events.length - before >= MAX_DRIFT_ALERTS_PER_FEATURE) return;
      const cells = s.cells;
      const time = s.times[start];
      const last = s.times[end];
      if (start >= cells.length || time === undefined || last === undefined) return;
      const method = cells.method(start);
      const buckets = end - start + 1;
      events.push({
        time,
        timeEnd: last + bucketMs,
        title: `${model}: ${s.feature} drifted (${method})`,
        text:
          `${s.feature}: ${describe(cells, start)} on ${s.rows[start] ?? 0} rows against ${cells.referenceN} reference ` +
          `rows; drifted for ${buckets} bucket${buckets === 1 ? '' : 's'} of ${Math.round(bucketMs / 60_000)} min`,
        tags: [
          'mlsight',
          'drift_alert',
          model,
          `feature:${s.feature}`,
          `method:${method}`,
          `score:${formatScore(cells.scoreAt(start))}`,
          `threshold:${formatScore(cells.threshold[start] ?? null)}`,
        ],
        kind: 'drift_alert',
        model,
        ...(version !== undefined ? { version } : {}),
      });
    };
    for (let i = 0; i < s.cells.length; i++) {
      if (s.cells.drifted[i] === 1) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) close(i - 1);
      start = -1;
    }
    if (start >= 0) close(s.cells.length - 1);
  }
  return events.sort((a, b) => a.time - b.time).slice(0, MAX_DRIFT_ALERTS_PER_MODEL);
}

/**
 * The drift alerts of one model over a range, from the same per-bucket verdicts the heatmap shows (reference fit
 * once per feature, its kernel scoring every bucket). A model without a reference in the drift store has none.
 */
export async function findDriftAlerts(
  model: string,
  window: Window,
  ctx: Omit<QueryContext, 'window'>
): Promise<AnnotationEvent[]> {
  const bucketMs = alertBucketMs(window);
  const query = { refId: 'drift_alert', queryType: 'drift_heatmap' as const, model };
  const queryCtx: QueryContext = { ...ctx, window: { ...window, intervalMs: bucketMs, maxDataPoints: ALERT_BUCKETS } };
  try {
    const store = ctx.store;
    if (!store) return [];
    const sketches = await loadSketches(store, query, queryCtx, bucketMs);
    return driftAlertEvents(model, undefined, await driftPerBucket(query, queryCtx, sketches), sketches.bucketMs);
  } catch (err) {
    // No reference (404): nothing drifts against nothing; any other error is the caller's.
    if (err instanceof QueryError && err.status === 404) return [];
    throw err;
  }
}
