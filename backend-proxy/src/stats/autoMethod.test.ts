import { AUTO_DISCRETE_LIMIT, AUTO_REFERENCE_LIMIT, selectAutoMethod } from './index';

describe("selectAutoMethod (Evidently's default)", () => {
  test.each([
    ['numeric', AUTO_REFERENCE_LIMIT, 50, 'ks', false],
    ['numeric', AUTO_REFERENCE_LIMIT, AUTO_DISCRETE_LIMIT, 'chisquare', true],
    ['numeric', 10, 2, 'ztest', true],
    ['categorical', 500, 3, 'chisquare', true],
    ['categorical', 500, 2, 'ztest', true],
    ['categorical', 500, 1, 'ztest', true],
    ['numeric', AUTO_REFERENCE_LIMIT + 1, 50, 'wasserstein', false],
    ['numeric', 5000, 4, 'jensenshannon', true],
    ['categorical', 5000, 40, 'jensenshannon', true],
  ] as const)('%s, reference %i rows, %i distinct values → %s', (kind, n, distinct, method, discrete) => {
    expect(selectAutoMethod(kind, n, distinct)).toEqual({ method, discrete });
  });
});
