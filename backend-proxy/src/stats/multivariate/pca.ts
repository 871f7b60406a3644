import { InsufficientDataError, InvalidInputError } from '../errors';
import { symmetricEigen } from './symmetricEigen';

/** A dense row-major `rows × columns` matrix. */
export interface Matrix {
  rows: number;
  columns: number;
  data: Float64Array;
}

/** A principal component analysis fitted on a matrix: what projection and reconstruction need. */
export interface FittedPca {
  /** Column means of the fitted matrix (the centre of the projection). */
  mean: Float64Array;
  /** Components kept, each a unit row of length `columns` (row-major `components × columns`). */
  components: Float64Array;
  componentCount: number;
  columns: number;
  /** Share of the total variance each kept component explains, descending. */
  explainedVarianceRatio: Float64Array;
}

/**
 * How many components to keep: an integer count, or a fraction in (0, 1) of the variance to explain — then the
 * fewest components whose cumulative share exceeds it (scikit-learn's rule for a float `n_components`).
 */
export type ComponentChoice = number;

/**
 * The number of components a choice keeps, from the explained-variance shares in descending order. A fraction
 * keeps `1 + #{k : cumulative share of the first k ≤ fraction}` components, exactly as scikit-learn's
 * `np.searchsorted(cumsum, fraction, side="right") + 1`.
 * @throws InvalidInputError on a choice that is neither a positive integer nor a fraction in (0, 1)
 */
export function componentsToKeep(ratios: Float64Array, choice: ComponentChoice): number {
  const available = ratios.length;
  if (Number.isInteger(choice) && choice >= 1) return Math.min(choice, available);
  if (!(choice > 0 && choice < 1)) {
    throw new InvalidInputError(
      'componentsToKeep',
      `needs a component count ≥ 1 or a fraction in (0, 1), got ${choice}`
    );
  }
  let cumulative = 0;
  let within = 0;
  for (const r of ratios) {
    cumulative += r;
    if (cumulative <= choice) within++;
    else break;
  }
  return Math.min(within + 1, available);
}

/**
 * Fits PCA on the rows of a matrix: the eigenvectors of its sample covariance (divisor n − 1), components kept
 * as `choice` says. Equal to scikit-learn's `PCA(n_components).fit` up to rounding: the kept subspace is the same,
 * and reconstruction (`reconstructionErrors`) does not depend on the components' signs.
 *
 * Reference: I. T. Jolliffe, Principal Component Analysis, 2nd ed. (2002), ch. 1–3; scikit-learn's
 * `sklearn.decomposition.PCA` (covariance eigen-decomposition solver).
 *
 * @param matrix rows are observations
 * @param choice a component count, or the fraction of variance to explain (e.g. 0.65)
 * @throws InsufficientDataError with fewer than two rows, or when every column is constant
 * @throws InvalidInputError on a bad choice
 * @example fitPca({ rows: 3, columns: 2, data: Float64Array.of(0, 0, 1, 1, 2, 2) }, 1).componentCount // 1
 */
export function fitPca(matrix: Matrix, choice: ComponentChoice): FittedPca {
  const { rows: n, columns: d, data } = matrix;
  if (n < 2) throw new InsufficientDataError('fitPca', `needs at least 2 rows, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (data[i * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  // Upper triangle of the centred cross-product, one row at a time (two-pass: centred before multiplying).
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = (data[i * d + j] as number) - (mean[j] as number);
    for (let j = 0; j < d; j++) {
      const cj = centred[j] as number;
      if (cj === 0) continue;
      const row = j * d;
      for (let k = j; k < d; k++) covariance[row + k] = (covariance[row + k] as number) + cj * (centred[k] as number);
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const c = (covariance[j * d + k] as number) / (n - 1);
      covariance[j * d + k] = c;
      covariance[k * d + j] = c;
    }
  }
  const eigen = symmetricEigen(covariance, d);
  // Rounding can leave tiny negative eigenvalues of a singular covariance; a variance is never negative.
  const variances = eigen.values.map((x) => Math.max(x, 0));
  let total = 0;
  for (const x of variances) total += x;
  if (!(total > 0)) throw new InsufficientDataError('fitPca', 'every column is constant: there is no variance');
  const ratios = variances.map((x) => x / total);
  const k = componentsToKeep(ratios, choice);
  return {
    mean,
    components: eigen.vectors.slice(0, k * d),
    componentCount: k,
    columns: d,
    explainedVarianceRatio: ratios.slice(0, k),
  };
}

/**
 * Per row, the Euclidean distance between the row and its reconstruction from the kept components:
 * ‖x − (μ + Vᵀ V (x − μ))‖. This is NannyML's data reconstruction error before the per-chunk mean.
 * @throws InvalidInputError when the matrix has another number of columns than the fit
 */
export function reconstructionErrors(pca: FittedPca, matrix: Matrix): Float64Array {
  const { rows: n, columns: d, data } = matrix;
  if (d !== pca.columns) {
    throw new InvalidInputError('reconstructionErrors', `the PCA was fitted on ${pca.columns} columns, got ${d}`);
  }
  const k = pca.componentCount;
  const { mean, components } = pca;
  const out = new Float64Array(n);
  const centred = new Float64Array(d);
  const scores = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = (data[i * d + j] as number) - (mean[j] as number);
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (components[c * d + j] as number) * (centred[j] as number);
      scores[c] = dot;
    }
    let squared = 0;
    for (let j = 0; j < d; j++) {
      let projected = 0;
      for (let c = 0; c < k; c++) projected += (scores[c] as number) * (components[c * d + j] as number);
      const r = (centred[j] as number) - projected;
      squared += r * r;
    }
    out[i] = Math.sqrt(squared);
  }
  return out;
}
