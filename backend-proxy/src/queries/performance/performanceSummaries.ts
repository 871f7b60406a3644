import { CLASSIFICATION_METRICS, type PerformanceMetric, REGRESSION_METRICS } from '@mlsight/contract';
import {
  AUC_BINS,
  classSetupOfSummary,
  evaluateClassificationSummary,
  evaluateRegressionSummary,
  PerformanceSummary,
  problemOfSummary,
  reliabilityCurveOfSummary,
  summaryLimitation,
} from '../../stats';
import { bucketStart, type DriftStore, HOUR_MS, MINUTE_MS, type SegmentFilter } from '../../store';
import { MAX_ROWS, metricsOf, type PerformanceTable } from './performanceData';

/**
 * Below this many labelled rows in the window (and unless the query says `exact: false`), `performance` reads the
 * rows, so ROC AUC is exact where that costs little (~10 µs a row).
 */
export const ROW_PATH_MAX_ROWS = 10_000;

/** A bound shown with two significant digits, rounded up so that it still bounds. */
function roundedUp(x: number): string {
  if (!(x > 0)) return '0';
  const step = 10 ** (Math.floor(Math.log10(x)) - 1);
  return String(Number((Math.ceil(x / step) * step).toPrecision(2)));
}

/**
 * The stored granularity an answer's buckets are merged from: the coarsest that divides the bucket size; when the
 * whole window lies in one answer bucket (the monitor's and `kpis`' whole-window query), any — hours unless the
 * window is shorter than two.
 */
function granularityOf(q: { fromMs: number; toMs: number; bucketMs: number }): number | undefined {
  if (q.bucketMs % HOUR_MS === 0) return HOUR_MS;
  if (bucketStart(q.fromMs, q.bucketMs) === bucketStart(q.toMs - 1, q.bucketMs)) {
    return q.toMs - q.fromMs >= 2 * HOUR_MS ? HOUR_MS : MINUTE_MS;
  }
  return q.bucketMs % MINUTE_MS === 0 ? MINUTE_MS : undefined;
}

/**
 * The window's summaries, one per answer bucket: whole stored buckets (minute or hour, the coarsest that divides the
 * answer's bucket) from the store, the partial stored buckets at either end from the labelled rows there. Undefined
 * when the store does not keep a granularity that fits (an odd bucket size, minutes past their retention).
 */
async function windowSummaries(
  store: DriftStore,
  q: { model: string; fromMs: number; toMs: number; bucketMs: number; segment: SegmentFilter | undefined }
): Promise<Map<number, PerformanceSummary> | undefined> {
  const granularityMs = granularityOf(q);
  if (granularityMs === undefined) return undefined;
  const innerFrom = Math.ceil(q.fromMs / granularityMs) * granularityMs;
  const innerTo = Math.floor(q.toMs / granularityMs) * granularityMs;
  if (innerFrom >= innerTo) return undefined;
  const segment = q.segment ? { segment: q.segment } : {};
  const stored = await store.getPerformanceSummaries({
    model: q.model,
    fromMs: innerFrom,
    toMs: innerTo,
    granularityMs,
    ...segment,
  });
  if (!stored) return undefined;
  const out = new Map<number, PerformanceSummary>();
  const at = (ms: number) => {
    const start = bucketStart(ms, q.bucketMs);
    let s = out.get(start);
    if (!s) out.set(start, (s = new PerformanceSummary()));
    return s;
  };
  for (const b of stored.buckets) {
    const start = bucketStart(b.bucketMs, q.bucketMs);
    const mine = out.get(start);
    if (mine) mine.merge(b.summary);
    else out.set(start, b.summary);
  }
  const edges = [
    [q.fromMs, innerFrom],
    [innerTo, q.toMs],
  ] as const;
  for (const [fromMs, toMs] of edges) {
    if (fromMs >= toMs) continue;
    const rows = await store.getLabeledPredictions({ model: q.model, fromMs, toMs, limit: MAX_ROWS, ...segment });
    for (const row of rows) at(row.timestampMs).add(row);
  }
  return new Map([...out.entries()].filter(([, s]) => !s.empty).sort((a, b) => a[0] - b[0]));
}

/**
 * `performance` from the per-bucket summaries: cost grows with buckets, not rows; every metric equals the row-level
 * one (sums of the same terms) except ROC AUC, binned, whose bound goes into a notice. Undefined when the rows must
 * answer: no summaries fit, the window is small enough for rows (unless `exact: false`), or it holds what only the
 * rows can place (see `summaryLimitation`); the row path then also gives the 404 of an unlabelled window.
 */
export async function summaryPerformance(
  store: DriftStore,
  q: {
    model: string;
    fromMs: number;
    toMs: number;
    bucketMs: number;
    segment: SegmentFilter | undefined;
    metrics: readonly PerformanceMetric[] | undefined;
    exact: boolean | undefined;
  }
): Promise<PerformanceTable | undefined> {
  const buckets = await windowSummaries(store, q);
  if (!buckets || buckets.size === 0) return undefined;
  const window = new PerformanceSummary();
  for (const s of buckets.values()) window.merge(s, 1, { histograms: false });
  const problem = problemOfSummary(window, q.metrics ?? [], CLASSIFICATION_METRICS, REGRESSION_METRICS);
  if (problem === null) return undefined;
  const metrics = metricsOf(problem, q.metrics);
  const rows = problem === 'classification' ? window.labelled : window.numericLabelled;
  if (q.exact === undefined && metrics.includes('roc_auc') && rows <= ROW_PATH_MAX_ROWS) return undefined;
  const setup = classSetupOfSummary(window);
  if (problem === 'classification' && summaryLimitation(window, setup) !== null) return undefined;
  let bound = 0;
  let binned = false;
  const results = [...buckets.values()].map((s) => {
    if (problem === 'regression') return evaluateRegressionSummary(s);
    const r = evaluateClassificationSummary(s, setup);
    if (r.aucBound !== null) {
      binned = true;
      bound = Math.max(bound, r.aucBound);
    }
    return r;
  });
  const notices =
    binned && metrics.includes('roc_auc')
      ? [
          {
            severity: 'info' as const,
            text:
              `ROC AUC from ${AUC_BINS}-bin score histograms: within ±${roundedUp(bound)} of the exact value in every ` +
              `bucket (a positive and a negative in one bin count ½); ask exact: true for the row-level AUC`,
          },
        ]
      : [];
  const curve =
    problem === 'classification' && setup.positive !== null && [...window.binary.values()].some((b) => b.n > 0)
      ? reliabilityCurveOfSummary(window, setup.positive)
      : null;
  return { problem, metrics, setup, bucketStarts: [...buckets.keys()], results, curve, notices, source: 'summaries' };
}
