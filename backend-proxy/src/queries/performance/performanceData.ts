import {
  CLASSIFICATION_METRICS,
  type PerformanceMetric,
  type QueryResultMetaNotice,
  REGRESSION_METRICS,
  UNITS,
} from '@mlsight/contract';
import {
  type ClassLabel,
  type ClassSetup,
  type LabelledRow,
  type MetricValue,
  type ReliabilityBin,
  positiveClassOf,
  sortClasses,
  toClassLabel,
} from '../../stats';
import {
  bucketStart,
  type DriftStore,
  type LabeledPrediction,
  type PredictionRecord,
  type SegmentFilter,
  type StoredValue,
} from '../../store';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';

/** Rows a performance query reads at most (labelled rows or predictions); more are reported, not silently cut. */
export const MAX_ROWS = 5_000_000;

export type Problem = 'classification' | 'regression';

/** Realised metrics per bucket of a window, from its rows or its summaries: what the `performance` frames show. */
export interface PerformanceTable {
  problem: Problem;
  metrics: PerformanceMetric[];
  setup: ClassSetup;
  bucketStarts: number[];
  results: Array<{ metrics: Partial<Record<PerformanceMetric, MetricValue>>; labelledRows: number }>;
  /** Binary classification: the reliability curve of the whole window. */
  curve: ReliabilityBin[] | null;
  notices: QueryResultMetaNotice[];
  source: 'rows' | 'summaries';
}

const RATIO_METRICS = new Set<PerformanceMetric>(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'ece', 'mape']);

export const METRIC_TITLES: Record<PerformanceMetric, string> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  roc_auc: 'ROC AUC',
  log_loss: 'Log loss',
  ece: 'Expected calibration error',
  mae: 'MAE',
  rmse: 'RMSE',
  mape: 'MAPE',
  r2: 'R²',
};

/** Ratios in [0, 1] show as percentages; losses, errors in label units and R² as plain numbers. */
export const unitOf = (metric: PerformanceMetric): string => (RATIO_METRICS.has(metric) ? UNITS.ratio : UNITS.none);

// One definition for every store-backed query type.
export { bucketSizeOf, requireStore } from '../drift/driftWindows';

/** A model unknown to the drift store is a 404 naming the field. */
export async function requireModel(store: DriftStore, model: string): Promise<void> {
  if (!(await store.getReference(model))) {
    throw new QueryError(`model: "${model}" is not in the drift store (no reference or predictions were sent)`, 404);
  }
}

/** The version a query pins: `version` as is, `alias` through the MLflow registry, else all versions. */
export async function versionOf(
  query: { model: string; version?: string | undefined; alias?: string | undefined },
  ctx: QueryContext
): Promise<string | undefined> {
  if (query.version !== undefined) return query.version;
  if (query.alias === undefined) return undefined;
  const version = await ctx.mlflow.getModelVersionByAlias(query.model, query.alias, ctx.mlflowCall);
  if (!version.version) throw new QueryError(`alias: "${query.alias}" of "${query.model}" names no version`, 404);
  return version.version;
}

/**
 * How much later than a version's own prediction another version's shadow prediction of the same id may be scored
 * and still lend it its label (see `labelledRows`).
 */
export const SHADOW_LABEL_SLACK_MS = 24 * 3_600_000;

/**
 * Predictions joined with their labels, by prediction time. Unpinned: the store's label rows as they are. Pinned to
 * a version: the store links a label to one row — the newest prediction with that id — so when a challenger
 * shadow-scored a champion's request later, the label row carries the challenger's version and the champion's own
 * prediction would go unlabelled. The version's predictions are therefore joined by id with the labels of every
 * version whose prediction lies up to `SHADOW_LABEL_SLACK_MS` after the version's last one.
 */
export async function labelledRows(
  store: DriftStore,
  q: {
    model: string;
    version?: string | undefined;
    fromMs: number;
    toMs: number;
    segment?: SegmentFilter | undefined;
    limit?: number;
  }
): Promise<LabeledPrediction[]> {
  const limit = q.limit ?? MAX_ROWS;
  const segment = q.segment ? { segment: q.segment } : {};
  if (q.version === undefined) {
    return store.getLabeledPredictions({ model: q.model, fromMs: q.fromMs, toMs: q.toMs, limit, ...segment });
  }
  const predictions = await store.getPredictions({
    model: q.model,
    version: q.version,
    fromMs: q.fromMs,
    toMs: q.toMs,
    limit: MAX_ROWS,
    columns: 'outputs',
    ...segment,
  });
  const first = predictions[0];
  const last = predictions[predictions.length - 1];
  if (!first || !last) return [];
  const labels = new Map<string, { label: StoredValue; labelTimestampMs: number }>();
  const labelRows = await store.getLabeledPredictions({
    model: q.model,
    fromMs: first.timestampMs,
    toMs: last.timestampMs + SHADOW_LABEL_SLACK_MS,
    limit: MAX_ROWS,
  });
  for (const row of labelRows) labels.set(row.predictionId, row);
  const out: LabeledPrediction[] = [];
  for (const p of predictions) {
    const label = labels.get(p.predictionId);
    if (!label) continue;
    out.push({
      predictionId: p.predictionId,
      timestampMs: p.timestampMs,
      version: p.version,
      prediction: p.prediction,
      score: p.score,
      segment: p.segment,
      label: label.label,
      labelTimestampMs: label.labelTimestampMs,
    });
    if (out.length >= limit) break;
  }
  return out;
}

export async function predictionRows(
  store: DriftStore,
  q: { model: string; version?: string | undefined; fromMs: number; toMs: number }
): Promise<PredictionRecord[]> {
  return store.getPredictions({
    model: q.model,
    ...(q.version !== undefined ? { version: q.version } : {}),
    fromMs: q.fromMs,
    toMs: q.toMs,
    limit: MAX_ROWS,
    columns: 'outputs',
  });
}

/**
 * Classification or regression. Metrics asked for decide when they are all of one kind; otherwise text or boolean
 * labels mean classification, and numeric labels too when they are integers with at most 20 distinct values
 * that the predictions draw from (0/1, class ids); anything else is regression.
 */
export function problemOf(rows: readonly LabelledRow[], metrics: readonly PerformanceMetric[] | undefined): Problem {
  const asked = metrics ?? [];
  const classification = new Set<string>(CLASSIFICATION_METRICS);
  const regression = new Set<string>(REGRESSION_METRICS);
  if (asked.length > 0 && asked.every((m) => classification.has(m))) return 'classification';
  if (asked.length > 0 && asked.every((m) => regression.has(m))) return 'regression';
  const labels = new Set<number>();
  for (const row of rows) {
    if (row.label === null || row.label === undefined) continue;
    if (typeof row.label !== 'number') return 'classification';
    if (!Number.isInteger(row.label)) return 'regression';
    labels.add(row.label);
    if (labels.size > 20) return 'regression';
  }
  for (const row of rows) {
    if (typeof row.prediction === 'number' && !labels.has(row.prediction)) return 'regression';
  }
  return 'classification';
}

/** The class set over the window (labels and predictions), so a single-class bucket still knows the other class. */
export function classSetupOf(
  rows: ReadonlyArray<{ label?: unknown; prediction: unknown; score: unknown }>
): ClassSetup {
  const seen: ClassLabel[] = [];
  let widest = 0;
  for (const row of rows) {
    const label = toClassLabel(row.label);
    const prediction = toClassLabel(row.prediction);
    if (label !== null) seen.push(label);
    if (prediction !== null) seen.push(prediction);
    if (Array.isArray(row.score)) widest = Math.max(widest, row.score.length);
  }
  const classes = sortClasses(seen);
  const binary = classes.length <= 2 && widest <= 2;
  return { classes, positive: binary ? positiveClassOf(classes) : null };
}

/** The metrics to report: the query's, else every metric of the problem. */
export function metricsOf(problem: Problem, asked: readonly PerformanceMetric[] | undefined): PerformanceMetric[] {
  const all: readonly PerformanceMetric[] = problem === 'classification' ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
  if (!asked || asked.length === 0) return [...all];
  const wrong = asked.filter((m) => !all.includes(m));
  if (wrong.length > 0) {
    throw new QueryError(`metrics: ${wrong.join(', ')} do not apply to a ${problem} model (labels say it is one)`);
  }
  return [...asked];
}

/** Groups rows by bucket start, in time order. */
export function byBucket<T extends { timestampMs: number }>(rows: readonly T[], bucketMs: number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const b = bucketStart(row.timestampMs, bucketMs);
    const list = out.get(b);
    if (list) list.push(row);
    else out.set(b, [row]);
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

export const rangeText = (fromMs: number, toMs: number) =>
  `between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`;
