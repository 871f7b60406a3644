import { InvalidInputError, symmetricEigen } from '..';
import { seededRandom } from '../testRandom';

/** A random symmetric matrix: B + Bᵀ of uniform entries. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  const b = Array.from({ length: n * n }, () => rand() - 0.5);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) m[i * n + j] = (b[i * n + j] as number) + (b[j * n + i] as number);
  return m;
}

describe('symmetricEigen', () => {
  it.each([1, 2, 7, 30])('A·v = λ·v for every pair, vectors orthonormal, values descending (n = %i)', (n) => {
    const a = randomSymmetric(n, n);
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      const v = vectors.subarray(k * n, (k + 1) * n);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += (a[i * n + j] as number) * (v[j] as number);
        expect(Math.abs(av - (values[k] as number) * (v[i] as number))).toBeLessThan(1e-12);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += (v[j] as number) * (vectors[l * n + j] as number);
        expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
      }
      if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1] as number);
    }
  });

  it('keeps the trace: the eigenvalues sum to the diagonal', () => {
    const n = 12;
    const a = randomSymmetric(n, 3);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i] as number;
    const sum = symmetricEigen(a, n).values.reduce((s, x) => s + x, 0);
    expect(Math.abs(sum - trace)).toBeLessThan(1e-12);
  });

  it('refuses a matrix of the wrong size or with a non-finite entry, naming itself', () => {
    expect(() => symmetricEigen(new Float64Array(3), 2)).toThrow(InvalidInputError);
    expect(() => symmetricEigen(Float64Array.of(1, Number.NaN, Number.NaN, 1), 2)).toThrow(/^symmetricEigen: /);
  });
});
