/** @jest-environment jsdom */
import { createDataFrame, FieldType } from '@grafana/data';
import { categoricalFeature } from './categoryFeature';

const featureDrift = createDataFrame({
  name: 'feature_drift',
  fields: [
    { name: 'feature', type: FieldType.string, values: ['amount', 'country', 'channel'] },
    { name: 'kind', type: FieldType.string, values: ['numeric', 'categorical', 'categorical'] },
  ],
});

describe('categoricalFeature', () => {
  it('picks the first categorical feature of the model', () => {
    expect(categoricalFeature(featureDrift)).toBe('country');
  });

  it('keeps a wanted feature only when it is categorical', () => {
    expect(categoricalFeature(featureDrift, 'channel')).toBe('channel');
    expect(categoricalFeature(featureDrift, 'amount')).toBeUndefined();
  });

  it('has none without an answer', () => {
    expect(categoricalFeature(undefined)).toBeUndefined();
  });
});
