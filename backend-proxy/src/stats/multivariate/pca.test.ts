import {
  componentsToKeep,
  fitPca,
  InsufficientDataError,
  InvalidInputError,
  type Matrix,
  reconstructionErrors,
} from '..';
import { normalSample, seededRandom } from '../testRandom';

/** n rows of d columns where the later columns mostly follow the first (so a few components explain most). */
function correlated(n: number, d: number, seed: number): Matrix {
  const rand = seededRandom(seed);
  const base = normalSample(rand, n);
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const noise = normalSample(rand, n);
    for (let i = 0; i < n; i++) data[i * d + j] = (base[i] as number) * (j + 1) + 0.3 * (noise[i] as number);
  }
  return { rows: n, columns: d, data };
}

describe('componentsToKeep', () => {
  const ratios = Float64Array.of(0.5, 0.15, 0.2, 0.15);
  it('keeps the fewest components whose cumulative share exceeds a fraction (scikit-learn: searchsorted right + 1)', () => {
    expect(componentsToKeep(ratios, 0.49)).toBe(1);
    // Cumulative 0.65 is not above 0.65: one more component, as np.searchsorted(..., side="right") + 1 gives.
    expect(componentsToKeep(ratios, 0.65)).toBe(3);
    expect(componentsToKeep(ratios, 0.99)).toBe(4);
  });
  it('takes a count as a count, at most the columns, and refuses anything else', () => {
    expect(componentsToKeep(ratios, 2)).toBe(2);
    expect(componentsToKeep(ratios, 9)).toBe(4);
    expect(() => componentsToKeep(ratios, 1.5)).toThrow(InvalidInputError);
    expect(() => componentsToKeep(ratios, 0)).toThrow(/^componentsToKeep: /);
  });
});

describe('fitPca / reconstructionErrors', () => {
  const m = correlated(500, 5, 11);

  it('reconstructs every row exactly when every component is kept', () => {
    const pca = fitPca(m, 5);
    for (const e of reconstructionErrors(pca, m)) expect(e).toBeLessThan(1e-10);
  });

  it('an error never grows with more components, and the kept share of variance grows', () => {
    let previous = Number.POSITIVE_INFINITY;
    let share = 0;
    for (let k = 1; k <= 5; k++) {
      const pca = fitPca(m, k);
      const errors = reconstructionErrors(pca, m);
      const mean = errors.reduce((s, x) => s + x, 0) / errors.length;
      expect(mean).toBeLessThanOrEqual(previous + 1e-12);
      const kept = pca.explainedVarianceRatio.reduce((s, x) => s + x, 0);
      expect(kept).toBeGreaterThan(share);
      previous = mean;
      share = kept;
    }
  });

  it('the squared errors sum to (n − 1) × the variance left out (the discarded eigenvalues)', () => {
    const full = fitPca(m, 5);
    const one = fitPca(m, 1);
    const errors = reconstructionErrors(one, m);
    const squares = errors.reduce((s, x) => s + x * x, 0);
    // Total variance from the full fit's ratios is 1; rebuild it from the column variances.
    let total = 0;
    for (let j = 0; j < 5; j++) {
      let mean = 0;
      for (let i = 0; i < 500; i++) mean += (m.data[i * 5 + j] as number) / 500;
      for (let i = 0; i < 500; i++) total += ((m.data[i * 5 + j] as number) - mean) ** 2 / 499;
    }
    const left = (1 - (full.explainedVarianceRatio[0] as number)) * total;
    expect(Math.abs(squares / 499 - left) / left).toBeLessThan(1e-9);
  });

  it('refuses one row, a constant matrix and a matrix of other columns', () => {
    expect(() => fitPca({ rows: 1, columns: 2, data: Float64Array.of(1, 2) }, 1)).toThrow(InsufficientDataError);
    expect(() => fitPca({ rows: 2, columns: 2, data: Float64Array.of(1, 2, 1, 2) }, 1)).toThrow(/no variance/);
    const pca = fitPca(m, 2);
    expect(() => reconstructionErrors(pca, { rows: 1, columns: 3, data: new Float64Array(3) })).toThrow(
      InvalidInputError
    );
  });
});
