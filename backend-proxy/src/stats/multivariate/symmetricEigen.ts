import { InvalidInputError } from '../errors';

/** Eigenvalues in descending order and their unit eigenvectors, one per row (the layout of sklearn's `components_`). */
export interface SymmetricEigen {
  /** Dimension of the matrix. */
  size: number;
  /** Descending. */
  values: Float64Array;
  /** Row-major `size × size`: row i is the eigenvector of `values[i]`. */
  vectors: Float64Array;
}

/** Sweeps after which the off-diagonal mass of any real symmetric matrix met in practice is zero. */
const MAX_SWEEPS = 100;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method: rotations zero each off-diagonal
 * element in turn until none is left. Slower than Householder + QL for large matrices (O(n³) per sweep, ~6–10
 * sweeps) but simple and accurate to a few ulps of the largest eigenvalue, which is what reproducing PCA to 1e-6
 * needs; the covariance matrices here are features × features.
 *
 * Reference: W. H. Press et al., Numerical Recipes, 3rd ed. (2007), §11.1 "Jacobi transformations of a symmetric
 * matrix"; G. H. Golub, C. F. Van Loan, Matrix Computations, 4th ed., §8.5.
 *
 * @param matrix row-major `size × size`; only the upper triangle is read
 * @param size the dimension
 * @returns eigenvalues (descending) and eigenvectors (rows)
 * @throws InvalidInputError when the matrix is not `size × size` or holds a non-finite number
 * @example symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values // Float64Array [3, 1]
 */
export function symmetricEigen(matrix: Float64Array, size: number): SymmetricEigen {
  if (!Number.isInteger(size) || size < 1 || matrix.length !== size * size) {
    throw new InvalidInputError('symmetricEigen', `needs a ${size} × ${size} matrix, got ${matrix.length} numbers`);
  }
  for (const x of matrix) {
    if (!Number.isFinite(x)) throw new InvalidInputError('symmetricEigen', 'the matrix holds a non-finite number');
  }
  const n = size;
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i] as number;
  const b = Float64Array.from(d);
  const z = new Float64Array(n);
  // One rotation of the pair (i, j), (k, l) of `m` by the current angle (Numerical Recipes' `rotate`).
  let s = 0;
  let tau = 0;
  const rotate = (m: Float64Array, ij: number, kl: number) => {
    const g = m[ij] as number;
    const h = m[kl] as number;
    m[ij] = g - s * (h + g * tau);
    m[kl] = h + s * (g - h * tau);
  };
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) offDiagonal += Math.abs(a[p * n + q] as number);
    if (offDiagonal === 0) break;
    // The first sweeps rotate only large elements; later ones every non-zero element.
    const threshold = sweep < 4 ? (0.2 * offDiagonal) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        const g = 100 * Math.abs(apq);
        const dp = d[p] as number;
        const dq = d[q] as number;
        // An element below the diagonal's rounding is set to zero instead of rotated.
        if (sweep > 4 && Math.abs(dp) + g === Math.abs(dp) && Math.abs(dq) + g === Math.abs(dq)) {
          a[p * n + q] = 0;
          continue;
        }
        if (Math.abs(apq) <= threshold) continue;
        let h = dq - dp;
        let t: number;
        if (Math.abs(h) + g === Math.abs(h)) {
          t = apq / h;
        } else {
          const theta = (0.5 * h) / apq;
          t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
          if (theta < 0) t = -t;
        }
        const c = 1 / Math.sqrt(1 + t * t);
        s = t * c;
        tau = s / (1 + c);
        h = t * apq;
        z[p] = (z[p] as number) - h;
        z[q] = (z[q] as number) + h;
        d[p] = dp - h;
        d[q] = dq + h;
        a[p * n + q] = 0;
        for (let j = 0; j < p; j++) rotate(a, j * n + p, j * n + q);
        for (let j = p + 1; j < q; j++) rotate(a, p * n + j, j * n + q);
        for (let j = q + 1; j < n; j++) rotate(a, p * n + j, q * n + j);
        for (let j = 0; j < n; j++) rotate(v, j * n + p, j * n + q);
      }
    }
    for (let i = 0; i < n; i++) {
      b[i] = (b[i] as number) + (z[i] as number);
      d[i] = b[i] as number;
      z[i] = 0;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (d[j] as number) - (d[i] as number));
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    values[row] = d[col] as number;
    for (let j = 0; j < n; j++) vectors[row * n + j] = v[j * n + col] as number;
  });
  return { size: n, values, vectors };
}
