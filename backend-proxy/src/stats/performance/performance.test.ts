import { InsufficientDataError } from '../errors';
import {
  evaluateClassification,
  fitIsotonic,
  mcNemarExact,
  positiveClassOf,
  predictIsotonic,
  rocAuc,
  sortClasses,
  toClassLabel,
} from './index';

describe('performance metrics (pure)', () => {
  test('classes sort as scikit-learn does and the greater one is positive', () => {
    expect(sortClasses(['yes', 'no', 'yes'])).toEqual(['no', 'yes']);
    expect(sortClasses([10, 2, 1])).toEqual([1, 2, 10]);
    expect(positiveClassOf(['false', 'true'])).toBe('true');
  });

  // Regression: a reference with 0/1 predictions made the store keep predictions as "0"/"1" while labels stayed
  // 0/1, so every prediction looked wrong (accuracy 0, four classes) — found by test/integration/delayedLabels.test.ts.
  test('a categorical prediction "1" and a numeric label 1 are the same class; other strings stay text', () => {
    expect(toClassLabel('1')).toBe(1);
    expect(toClassLabel('-2.5')).toBe(-2.5);
    expect(['01', '1e3', ' 1', '', 'yes'].map(toClassLabel)).toEqual(['01', '1e3', ' 1', '', 'yes']);
    const result = evaluateClassification(
      [
        { label: 1, prediction: '1', score: 0.9 },
        { label: 0, prediction: '0', score: 0.2 },
        { label: 0, prediction: '1', score: 0.6 },
      ],
      { classes: [0, 1], positive: 1 }
    );
    expect(result.metrics.accuracy.value).toBe(2 / 3);
    expect(result.metrics.precision.value).toBe(1 / 2);
  });

  test('ROC AUC refuses a single class; a bucket reports null with the reason instead of crashing', () => {
    expect(() => rocAuc([true, true], [0.1, 0.2])).toThrow(InsufficientDataError);
    const result = evaluateClassification(
      [
        { label: 'no', prediction: 'no', score: 0.2 },
        { label: 'no', prediction: 'yes', score: 0.7 },
      ],
      { classes: ['no', 'yes'], positive: 'yes' }
    );
    expect(result.metrics.roc_auc.value).toBeNull();
    expect(result.metrics.roc_auc.reason).toMatch(/only one class/);
    expect(result.metrics.accuracy.value).toBe(0.5);
  });

  test('isotonic regression pools violators into their mean and clips outside the fitted range', () => {
    const fit = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
    // (1 + 0) / 2 pooled over x = 2, 3; interior points equal to both neighbours are dropped.
    expect(predictIsotonic(fit, [0, 2, 3, 4, 9])).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  test('McNemar exact: no discordant pairs → p = 1; 0 vs 5 → 2 · (1/2)^5', () => {
    expect(mcNemarExact(0, 0).pValue).toBe(1);
    expect(mcNemarExact(0, 5).pValue).toBeCloseTo(2 / 32, 12);
  });
});
