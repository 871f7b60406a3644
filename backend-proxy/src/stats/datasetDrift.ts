import { DRIFTED_NULL, type DriftColumns } from './driftColumns';
import type { DriftResult } from './driftMethod';
import { InvalidInputError } from './errors';
import { benjaminiHochberg } from './multipleTesting';
import { DEFAULT_THRESHOLDS, exceedsThreshold, isPValueMethod } from './thresholds';

/** Dataset drift when at least this share of features drifts (Evidently's default). */
export const DEFAULT_DRIFT_SHARE = 0.5;

export type MultipleTesting = 'bh' | 'none';

export interface DatasetDriftOptions {
  /** Share of drifted features that makes the dataset drifted, in (0, 1] (default 0.5). */
  readonly driftShare?: number;
  /**
   * Benjamini–Hochberg control across the features' p-values (default `bh`); `none` reproduces Evidently, which
   * has no multiple-testing control. Distance methods are not affected.
   */
  readonly multipleTesting?: MultipleTesting;
}

/** One feature's verdict inside a dataset verdict. */
export interface FeatureVerdict {
  readonly feature: string;
  readonly result: DriftResult;
  /** BH-adjusted p-value when the method has a p-value and control is on; else null. */
  readonly adjustedPValue: number | null;
  /** The verdict after adjustment; null when the feature is insufficient. */
  readonly drifted: boolean | null;
}

export interface DatasetDriftResult {
  readonly features: readonly FeatureVerdict[];
  readonly numberOfFeatures: number;
  /** Features with a verdict (not insufficient): the denominator of the share. */
  readonly evaluatedFeatures: number;
  readonly driftedFeatures: number;
  readonly insufficientFeatures: number;
  /** driftedFeatures / evaluatedFeatures; null when no feature could be evaluated. */
  readonly share: number | null;
  readonly driftShare: number;
  /** share ≥ driftShare; null when no feature could be evaluated. */
  readonly drifted: boolean | null;
  readonly multipleTesting: MultipleTesting;
}

/**
 * Dataset drift: the share of drifted features and the verdict share ≥ driftShare, as Evidently's
 * DatasetDriftMetric, with two deliberate differences: insufficient features (below the minimum sample size) are
 * left out of the share instead of counting as "not drifted", and by default the p-values of test methods are
 * adjusted with Benjamini–Hochberg across the features before their verdicts (each against its own threshold).
 * With all features sufficient and `multipleTesting: 'none'` the result equals Evidently's.
 *
 * Reference: Evidently `get_dataset_drift`; Benjamini & Hochberg (1995).
 *
 * @param features per-feature results of one window
 * @param options drift share and multiple-testing control
 * @returns per-feature verdicts and the dataset verdict
 * @throws InvalidInputError on a drift share outside (0, 1] or duplicate feature names
 * @example datasetDrift([{ feature: 'age', result }], { multipleTesting: 'none' }).drifted
 */
export function datasetDrift(
  features: ReadonlyArray<{ readonly feature: string; readonly result: DriftResult }>,
  options: DatasetDriftOptions = {}
): DatasetDriftResult {
  const fn = 'datasetDrift';
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  if (!(driftShare > 0 && driftShare <= 1)) {
    throw new InvalidInputError(fn, `driftShare must be in (0, 1], got ${driftShare}`);
  }
  const multipleTesting = options.multipleTesting ?? 'bh';
  const names = new Set<string>();
  for (const f of features) {
    if (names.has(f.feature)) throw new InvalidInputError(fn, `feature ${f.feature} appears twice`);
    names.add(f.feature);
  }

  const tested: Array<{ i: number; p: number }> = [];
  features.forEach((f, i) => {
    const r = f.result;
    if (r.pValue !== null && !r.insufficient && isPValueMethod(r.method)) tested.push({ i, p: r.pValue });
  });
  const adjusted = new Map<number, number>();
  if (multipleTesting === 'bh') {
    const q = benjaminiHochberg(tested.map((t) => t.p));
    tested.forEach((t, k) => adjusted.set(t.i, q[k] ?? 1));
  }

  const verdicts: FeatureVerdict[] = features.map((f, i) => {
    const r = f.result;
    const adjustedPValue = adjusted.get(i) ?? null;
    let drifted = r.drifted;
    if (adjustedPValue !== null && !r.insufficient) {
      drifted = exceedsThreshold(DEFAULT_THRESHOLDS[r.method].rule, adjustedPValue, r.threshold);
    }
    return Object.freeze({ feature: f.feature, result: r, adjustedPValue, drifted });
  });
  const evaluated = verdicts.filter((v) => v.drifted !== null);
  const driftedFeatures = evaluated.filter((v) => v.drifted === true).length;
  const share = evaluated.length > 0 ? driftedFeatures / evaluated.length : null;
  return Object.freeze({
    features: Object.freeze(verdicts),
    numberOfFeatures: features.length,
    evaluatedFeatures: evaluated.length,
    driftedFeatures,
    insufficientFeatures: features.length - evaluated.length,
    share,
    driftShare,
    drifted: share === null ? null : share >= driftShare,
    multipleTesting,
  });
}

/**
 * The share of drifted features of one window whose per-feature verdicts are cells of typed columns (one
 * {@link DriftColumns} per feature and the window's cell in it): {@link datasetDrift}'s `share` — the same
 * Benjamini–Hochberg adjustment and rules — without a result object per feature and window.
 *
 * @param cells per feature: its columns and the window's cell
 * @param multipleTesting `bh` (default) or `none`
 * @returns driftedFeatures / evaluatedFeatures, null when no feature could be evaluated
 * @example driftedShareOfCells([{ columns, cell: 3 }]) // 0 or 1
 */
export function driftedShareOfCells(
  cells: ReadonlyArray<{ readonly columns: DriftColumns; readonly cell: number }>,
  multipleTesting: MultipleTesting = 'bh'
): number | null {
  const tested: number[] = [];
  const testedAt: number[] = [];
  cells.forEach(({ columns, cell }, i) => {
    const p = columns.pValue[cell] as number;
    if (!Number.isNaN(p) && columns.drifted[cell] !== DRIFTED_NULL && isPValueMethod(columns.method(cell))) {
      tested.push(p);
      testedAt.push(i);
    }
  });
  const adjusted = multipleTesting === 'bh' ? benjaminiHochberg(tested) : [];
  let evaluated = 0;
  let drifted = 0;
  let t = 0;
  cells.forEach(({ columns, cell }, i) => {
    const own = columns.drifted[cell] as number;
    if (own === DRIFTED_NULL) return;
    let verdict = own === 1;
    if (testedAt[t] === i) {
      if (multipleTesting === 'bh') {
        const method = columns.method(cell);
        const threshold = columns.threshold[cell] as number;
        verdict = exceedsThreshold(DEFAULT_THRESHOLDS[method].rule, adjusted[t] ?? 1, threshold);
      }
      t++;
    }
    evaluated++;
    if (verdict) drifted++;
  });
  return evaluated > 0 ? drifted / evaluated : null;
}
