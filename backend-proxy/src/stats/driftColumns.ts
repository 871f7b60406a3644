import type { ThresholdMode } from '@mlsight/contract';
import type { DriftResult, EffectSizeMeasure } from './driftMethod';
import { DEFAULT_THRESHOLDS, type ConcreteDriftMethod } from './thresholds';

/** The concrete methods in a fixed order: a cell's method is stored as its index here. */
export const CONCRETE_DRIFT_METHODS = Object.freeze(Object.keys(DEFAULT_THRESHOLDS) as ConcreteDriftMethod[]);

const METHOD_CODE: Readonly<Record<ConcreteDriftMethod, number>> = Object.freeze(
  Object.fromEntries(CONCRETE_DRIFT_METHODS.map((m, i) => [m, i])) as Record<ConcreteDriftMethod, number>
);

/** The code of a method in {@link DriftColumns.methodCode}. */
export function methodCode(method: ConcreteDriftMethod): number {
  return METHOD_CODE[method];
}

/** `drifted` as stored: null (insufficient data), false, true. */
export const DRIFTED_NULL = -1;

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
const orNaN = (v: number | null): number => (v === null ? Number.NaN : v);

/**
 * The drift verdicts of one series of windows (a heatmap row: one cell per bucket) as typed columns, one entry per
 * cell: the fields of {@link DriftResult} that vary per cell, with NaN standing for null and `drifted` as Int8
 * (−1 null, 0, 1). Fields that are the same for every cell of a fitted method (threshold mode, reference size, the
 * effect size's measure) are kept once, and so are the notices: each distinct text once for the series rather than a
 * string per cell. A cell is insufficient exactly when its `drifted` is null.
 */
export class DriftColumns {
  readonly length: number;
  readonly methodCode: Uint8Array;
  readonly score: Float64Array;
  readonly pValue: Float64Array;
  readonly statistic: Float64Array;
  readonly threshold: Float64Array;
  readonly drifted: Int8Array;
  readonly effectSize: Float64Array;
  readonly currentN: Float64Array;
  readonly errorBound: Float64Array;
  /** Set by the first cell written; null while no cell is. */
  thresholdMode: ThresholdMode | null = null;
  referenceN = 0;
  effectSizeMeasure: EffectSizeMeasure = 'wasserstein_normed';
  /** The series' notices, each once (approximations, stand-in methods, pooled verdicts…). */
  readonly notices = new Set<string>();

  constructor(length: number) {
    this.length = length;
    this.methodCode = new Uint8Array(length);
    this.score = new Float64Array(length).fill(Number.NaN);
    this.pValue = new Float64Array(length).fill(Number.NaN);
    this.statistic = new Float64Array(length).fill(Number.NaN);
    this.threshold = new Float64Array(length).fill(Number.NaN);
    this.drifted = new Int8Array(length).fill(DRIFTED_NULL);
    this.effectSize = new Float64Array(length).fill(Number.NaN);
    this.currentN = new Float64Array(length);
    this.errorBound = new Float64Array(length).fill(Number.NaN);
  }

  /** Columns holding the given results (raw-row windows, tests). */
  static of(results: readonly DriftResult[]): DriftColumns {
    const out = new DriftColumns(results.length);
    results.forEach((r, i) => out.set(i, r));
    return out;
  }

  /** Writes one result into cell i; its notice joins the series' notices. */
  set(i: number, r: DriftResult): void {
    this.methodCode[i] = METHOD_CODE[r.method];
    this.score[i] = orNaN(r.score);
    this.pValue[i] = orNaN(r.pValue);
    this.statistic[i] = orNaN(r.statistic);
    this.threshold[i] = r.threshold;
    this.drifted[i] = r.drifted === null ? DRIFTED_NULL : r.drifted ? 1 : 0;
    this.effectSize[i] = orNaN(r.effectSize);
    this.currentN[i] = r.currentN;
    this.errorBound[i] = orNaN(r.errorBound);
    this.thresholdMode = r.thresholdMode;
    this.referenceN = r.referenceN;
    this.effectSizeMeasure = r.effectSizeMeasure;
    if (r.notice !== null) this.notices.add(r.notice);
  }

  method(i: number): ConcreteDriftMethod {
    return CONCRETE_DRIFT_METHODS[this.methodCode[i] ?? 0] ?? 'psi';
  }

  scoreAt(i: number): number | null {
    return orNull(this.score[i] ?? Number.NaN);
  }

  pValueAt(i: number): number | null {
    return orNull(this.pValue[i] ?? Number.NaN);
  }

  errorBoundAt(i: number): number | null {
    return orNull(this.errorBound[i] ?? Number.NaN);
  }

  driftedAt(i: number): boolean | null {
    const d = this.drifted[i] ?? DRIFTED_NULL;
    return d === DRIFTED_NULL ? null : d === 1;
  }

  /**
   * Cell i as a result object (for callers that want one, e.g. tests); `notice` is null: notices are the series'.
   */
  resultAt(i: number): DriftResult {
    const drifted = this.driftedAt(i);
    return {
      method: this.method(i),
      score: this.scoreAt(i),
      pValue: this.pValueAt(i),
      statistic: orNull(this.statistic[i] ?? Number.NaN),
      effectSize: orNull(this.effectSize[i] ?? Number.NaN),
      effectSizeMeasure: this.effectSizeMeasure,
      threshold: this.threshold[i] ?? Number.NaN,
      thresholdMode: this.thresholdMode ?? 'calibrated',
      drifted,
      referenceN: this.referenceN,
      currentN: this.currentN[i] ?? 0,
      insufficient: drifted === null,
      errorBound: this.errorBoundAt(i),
      notice: null,
    };
  }
}
