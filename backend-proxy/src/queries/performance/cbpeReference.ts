import {
  type CbpeMetric,
  CBPE_METRICS,
  type ClassLabel,
  type ClassSetup,
  evaluateClassification,
  fitCbpe,
  type FittedCbpe,
  positiveScore,
  toClassLabel,
} from '../../stats';
import { AnswerCache } from '../../cache/answerCache';
import type { DriftStore, LabeledPrediction } from '../../store';
import { QueryError } from '../errors';
import { classSetupOf, labelledRows } from './performanceData';

/** Labelled rows CBPE is fitted on: the earliest this many before the analysis window. */
export const REFERENCE_ROWS = 50_000;
/** Fewer labelled rows than this before the window: the reference is taken from the earliest labels anywhere. */
export const MIN_REFERENCE_ROWS = 100;

/** Whose labelled predictions the reference is read from. */
export interface ReferenceTarget {
  model: string;
  /** One version's predictions; undefined: all versions. */
  version: string | undefined;
}

/** A reference as read from the store, with the analysis-window starts that would read exactly the same rows. */
interface ReadReference {
  rows: LabeledPrediction[];
  overlapsWindow: boolean;
  /** Windows starting in [validFromMs, validToMs) (at the same data generation) have this reference. */
  validFromMs: number;
  validToMs: number;
}

/** The reference CBPE calibrated on, fitted for one positive class; what the cache keeps (not the rows). */
export interface FittedReference {
  rows: number;
  firstMs: number;
  lastMs: number;
  overlapsWindow: boolean;
  /** The class set of the window's predictions and the reference together. */
  setup: ClassSetup & { positive: ClassLabel };
  cbpe: FittedCbpe;
  /** Each metric realised on the reference's own labels: what an estimate is compared against to call a drop. */
  realised: Readonly<Record<CbpeMetric, number | null>>;
}

function realisedOn(rows: readonly LabeledPrediction[], setup: ClassSetup): Record<CbpeMetric, number | null> {
  const { metrics } = evaluateClassification(rows, setup);
  return Object.fromEntries(CBPE_METRICS.map((m) => [m, metrics[m].value])) as Record<CbpeMetric, number | null>;
}

interface CachedReference {
  fitted: FittedReference;
  /** The reference's rows that bring a new class or a wider score: all `classSetupOf` needs of them. */
  classRows: LabeledPrediction[];
  validFromMs: number;
  validToMs: number;
}

const usable = (rows: readonly LabeledPrediction[]) =>
  rows.length >= MIN_REFERENCE_ROWS && new Set(rows.map((r) => toClassLabel(r.label))).size >= 2;

/**
 * The earliest analysis-window start whose rows before it — a prefix of `rows`, sorted by time — would be a usable
 * reference; Infinity when no prefix is.
 */
function firstUsableStart(rows: readonly LabeledPrediction[]): number {
  const classes = new Set<ClassLabel | null>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as LabeledPrediction;
    classes.add(toClassLabel(row.label));
    if (i + 1 >= MIN_REFERENCE_ROWS && classes.size >= 2) return row.timestampMs + 1;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The labelled reference CBPE calibrates on: the earliest `REFERENCE_ROWS` labelled predictions before the
 * analysis window starting at `fromMs` (of the same version), or — when fewer than `MIN_REFERENCE_ROWS` or a single
 * class lie there — the earliest labelled predictions at all, with a notice that the reference overlaps the window.
 *
 * Which other window starts read the same rows (store reads are by prediction time, `< fromMs`, in time order):
 * - a full reference before the window: every start after its last row (the earliest rows do not change);
 * - a partial one: starts between its last row and `fromMs` (later labels are not known without reading them);
 * - the fallback: every start whose rows before it are still unusable — a prefix of the fallback rows themselves.
 * A version's labelled rows borrow labels from predictions up to a day after the version's last one before the
 * window, so a pinned version's reference is only known to hold for this start (and, for the fallback, below it).
 */
async function readReference(store: DriftStore, target: ReferenceTarget, fromMs: number): Promise<ReadReference> {
  const pinned = target.version !== undefined;
  const before = await labelledRows(store, { ...target, fromMs: 0, toMs: fromMs, limit: REFERENCE_ROWS });
  const last = before[before.length - 1];
  if (last && usable(before)) {
    const exact = { validFromMs: fromMs, validToMs: fromMs + 1 };
    if (pinned) return { rows: before, overlapsWindow: false, ...exact };
    const validToMs = before.length >= REFERENCE_ROWS ? Number.POSITIVE_INFINITY : fromMs + 1;
    return { rows: before, overlapsWindow: false, validFromMs: last.timestampMs + 1, validToMs };
  }
  const any = await labelledRows(store, { ...target, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, limit: REFERENCE_ROWS });
  const lastAny = any[any.length - 1];
  if (!lastAny) {
    throw new QueryError(
      `model: no labels yet for "${target.model}", so CBPE has no reference to calibrate on; send labels for some predictions with POST /api/v1/models/${target.model}/labels`,
      404
    );
  }
  let validToMs = firstUsableStart(any);
  if (pinned && any.length >= REFERENCE_ROWS) validToMs = Math.min(validToMs, lastAny.timestampMs + 1);
  // A pinned version's rows before the window may differ from the fallback's prefix; then only this start is known.
  if (validToMs <= fromMs) return { rows: any, overlapsWindow: true, validFromMs: fromMs, validToMs: fromMs + 1 };
  return { rows: any, overlapsWindow: true, validFromMs: Number.NEGATIVE_INFINITY, validToMs };
}

function fit(reference: readonly LabeledPrediction[], positive: ClassLabel): FittedCbpe {
  const scores: number[] = [];
  const predicted: boolean[] = [];
  const actual: boolean[] = [];
  for (const row of reference) {
    const p = positiveScore(row.score);
    const prediction = toClassLabel(row.prediction);
    const label = toClassLabel(row.label);
    if (p === null || prediction === null || label === null) continue;
    scores.push(p);
    predicted.push(prediction === positive);
    actual.push(label === positive);
  }
  if (scores.length === 0) {
    throw new QueryError(
      'model: the labelled reference has no rows with both a score and a prediction; CBPE needs both',
      422
    );
  }
  try {
    return fitCbpe({ scores, predicted, actual });
  } catch (err) {
    if (err instanceof Error) throw new QueryError(`model: CBPE cannot use the reference: ${err.message}`, 422);
    throw err;
  }
}

/** The rows that first bring each label, each prediction and each wider score: `classSetupOf` of them is the same. */
function classRowsOf(rows: readonly LabeledPrediction[]): LabeledPrediction[] {
  const labels = new Set<ClassLabel | null>();
  const predictions = new Set<ClassLabel | null>();
  let widest = 0;
  const out: LabeledPrediction[] = [];
  for (const row of rows) {
    const label = toClassLabel(row.label);
    const prediction = toClassLabel(row.prediction);
    const width = Array.isArray(row.score) ? row.score.length : 0;
    if (labels.has(label) && predictions.has(prediction) && width <= widest) continue;
    labels.add(label);
    predictions.add(prediction);
    widest = Math.max(widest, width);
    out.push(row);
  }
  return out;
}

function binarySetup(
  target: ReferenceTarget,
  rows: ReadonlyArray<{ label?: unknown; prediction: unknown; score: unknown }>
): ClassSetup & { positive: ClassLabel } {
  const setup = classSetupOf(rows);
  if (setup.positive === null) {
    throw new QueryError(
      `model: CBPE here covers binary classification; "${target.model}" has ${setup.classes.length} classes`,
      422
    );
  }
  return { classes: setup.classes, positive: setup.positive };
}

/** References of a few window starts per (model, version filter, data generation). */
const REFERENCES_PER_KEY = 4;
/**
 * Fitted references kept per store (least recently used dropped first): a fit holds an isotonic calibration of at
 * most `REFERENCE_ROWS` points and a few class rows, so 16 stay well under a few MB.
 */
const KEYS_KEPT = 16;
const referencesByStore = new WeakMap<DriftStore, AnswerCache<CachedReference[]>>();

function cacheOf(store: DriftStore): AnswerCache<CachedReference[]> {
  let cache = referencesByStore.get(store);
  if (!cache) {
    cache = new AnswerCache<CachedReference[]>({ maxEntries: KEYS_KEPT });
    referencesByStore.set(store, cache);
  }
  return cache;
}

/**
 * CBPE's reference for an analysis window starting at `fromMs` over `predictions`, fitted. A dashboard refresh
 * asks again with a window a few seconds later: while the model's data generation is unchanged (every committed
 * write bumps it) and the start still reads the same reference rows (see `readReference`), the earlier fit is
 * reused instead of reading up to `REFERENCE_ROWS` rows and refitting. The reference is read before the window's
 * predictions are looked at, so a model without labels is told so first.
 *
 * @param loadPredictions the window's predictions (read after the reference, as the handler reports them)
 * @throws QueryError 404 without labels, 422 when the model is not a binary classifier or the reference unusable
 */
export async function fittedReference<P extends { prediction: unknown; score: unknown }>(
  store: DriftStore,
  target: ReferenceTarget,
  fromMs: number,
  loadPredictions: () => Promise<P[]>
): Promise<{ reference: FittedReference; predictions: P[] }> {
  const generation = await store.dataGeneration(target.model);
  const key = generation === undefined ? undefined : JSON.stringify([target.model, target.version ?? null, generation]);
  const cache = cacheOf(store);
  const kept = key === undefined ? [] : (cache.get(key) ?? []);
  const hit = kept.find((c) => c.validFromMs <= fromMs && fromMs < c.validToMs);
  let predictions: P[] | undefined;
  if (hit) {
    predictions = await loadPredictions();
    const setup = binarySetup(target, [...hit.classRows, ...predictions]);
    // The fit depends on the positive class, which the window's predictions can change (a class only they have).
    if (setup.positive === hit.fitted.setup.positive) return { reference: { ...hit.fitted, setup }, predictions };
  }
  const read = await readReference(store, target, fromMs);
  predictions ??= await loadPredictions();
  const setup = binarySetup(target, [...read.rows, ...predictions]);
  const reference: FittedReference = {
    rows: read.rows.length,
    firstMs: read.rows[0]?.timestampMs ?? 0,
    lastMs: read.rows[read.rows.length - 1]?.timestampMs ?? 0,
    overlapsWindow: read.overlapsWindow,
    setup,
    cbpe: fit(read.rows, setup.positive),
    realised: realisedOn(read.rows, setup),
  };
  if (key !== undefined) {
    const entry: CachedReference = {
      fitted: reference,
      classRows: classRowsOf(read.rows),
      validFromMs: read.validFromMs,
      validToMs: read.validToMs,
    };
    const others = kept.filter((c) => c !== hit).slice(0, REFERENCES_PER_KEY - 1);
    cache.set(key, [entry, ...others]);
  }
  return { reference, predictions };
}
