/** @jest-environment jsdom */
import { hasVariable, interpolateList, interpolateScalar, isAllSelected, variableNames } from './interpolate';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';

const srv = new FakeTemplateSrv([
  { name: 'model', options: ['churn', 'fraud'], selected: 'churn' },
  { name: 'features', options: ['age', 'income', 'tenure'], selected: ['age', 'income'] },
  { name: 'allFeatures', options: ['age', 'income', 'tenure'], selected: '$__all' },
  { name: 'segment', options: ['eu', 'us'], selected: ['$__all'] },
  { name: 'wild', options: ['a', 'b'], selected: '$__all', allValue: '*' },
]);

describe('variableNames', () => {
  it('finds every syntax Grafana interpolates', () => {
    expect(variableNames('$model and ${features:csv} and [[segment]] and ${x}')).toEqual([
      'model',
      'features',
      'segment',
      'x',
    ]);
    expect(hasVariable('plain-name')).toBe(false);
  });
});

describe('interpolateScalar', () => {
  it('replaces a single-value variable', () => {
    expect(interpolateScalar(srv, '$model')).toEqual({ kind: 'value', value: 'churn' });
    expect(interpolateScalar(srv, 'model-${model}-v2')).toEqual({ kind: 'value', value: 'model-churn-v2' });
  });

  it('leaves text without variables alone', () => {
    expect(interpolateScalar(srv, 'fraud')).toEqual({ kind: 'value', value: 'fraud' });
  });

  it('prefers the panel-repeat value over the dashboard selection', () => {
    expect(interpolateScalar(srv, '$features', { features: { text: 'tenure', value: 'tenure' } })).toEqual({
      kind: 'value',
      value: 'tenure',
    });
  });

  it('reports a multi-valued variable instead of guessing one value', () => {
    expect(interpolateScalar(srv, '$features')).toEqual({
      kind: 'multiple',
      variable: 'features',
      values: ['age', 'income'],
    });
  });

  it('recognises All (as a string or inside the selection array)', () => {
    expect(interpolateScalar(srv, '$allFeatures')).toEqual({ kind: 'all' });
    expect(interpolateScalar(srv, '${segment}')).toEqual({ kind: 'all' });
    expect(isAllSelected(srv, 'segment', { segment: { text: 'eu', value: 'eu' } })).toBe(false);
  });
});

describe('interpolateList', () => {
  it('expands a multi-value variable into its values', () => {
    expect(interpolateList(srv, ['$features'])).toEqual(['age', 'income']);
  });

  it('expands All into every option', () => {
    expect(interpolateList(srv, ['$allFeatures'])).toEqual(['age', 'income', 'tenure']);
  });

  it('keeps literal entries, replaces single values and drops duplicates and blanks', () => {
    expect(interpolateList(srv, ['income', '$features', '$model', ' '])).toEqual(['income', 'age', 'churn']);
  });

  it("passes a variable's custom all value through as one entry", () => {
    expect(interpolateList(srv, ['$wild'])).toEqual(['*']);
  });

  it('keeps values that contain commas whole', () => {
    const commas = new FakeTemplateSrv([{ name: 'v', options: ['a,b', 'c'], selected: ['a,b', 'c'] }]);
    expect(interpolateList(commas, ['$v'])).toEqual(['a,b', 'c']);
  });
});
