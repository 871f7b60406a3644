import { applicableMethod, fitDrift, profileFeature } from './index';
import { categoricalSample, normalSample, seededRandom } from './testRandom';

describe('applicableMethod: one method for a model with both kinds of features', () => {
  const rand = seededRandom(5);
  const numeric = profileFeature(normalSample(rand, 300), { kind: 'numeric' });
  const few = profileFeature([1, 2, 3, 1, 2, 3, 1, 2], { kind: 'numeric' });
  const categorical = profileFeature(categoricalSample(rand, 300, ['a', 'b', 'c'], [1, 1, 1]), {
    kind: 'categorical',
  });

  test('keeps a method where it applies', () => {
    expect(applicableMethod('ks', numeric)).toBe('ks');
    expect(applicableMethod('chisquare', categorical)).toBe('chisquare');
    expect(applicableMethod('chisquare', few)).toBe('chisquare');
    expect(applicableMethod('psi', categorical)).toBe('psi');
    expect(applicableMethod('auto', categorical)).toBe('auto');
  });

  test('stands in a method of the same kind of score where it does not', () => {
    expect(applicableMethod('ks', categorical)).toBe('chisquare');
    expect(applicableMethod('wasserstein', categorical)).toBe('jensenshannon');
    expect(applicableMethod('chisquare', numeric)).toBe('ks');
    expect(applicableMethod('ztest', numeric)).toBe('ks');
  });

  test('the stand-in names itself in every result', () => {
    const fitted = fitDrift('chisquare', categorical, { requestedMethod: 'ks' });
    const r = fitted.calculate({ values: categoricalSample(rand, 100, ['a', 'b', 'c'], [1, 1, 1]) });
    expect(r.method).toBe('chisquare');
    expect(r.notice).toContain('ks does not apply to this categorical feature; chisquare is used instead');
    expect(fitted.calculate({ values: [] }).notice).toContain('ks does not apply');
  });
});
