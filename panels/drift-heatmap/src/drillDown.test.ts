import { DRIFT_TARGET_ROWS } from '@mlsight/contract';
import { buildDrillDownUrl, isFeatureRow } from './drillDown';
import { DEFAULT_DRILL_DOWN_URL } from './types';

const values = { feature: 'annual income', method: 'psi', from: 1000, to: 4600 };
const identity = (s: string) => s;

describe('buildDrillDownUrl', () => {
  it('fills feature and bucket, URL-encoded', () => {
    expect(buildDrillDownUrl(DEFAULT_DRILL_DOWN_URL, values, identity)).toBe(
      '/d/mlsight-feature-drift/feature-drift?var-feature=annual%20income&from=1000&to=4600'
    );
  });
  it('then lets Grafana fill dashboard variables', () => {
    const replace = (s: string) => s.replace('$model', 'churn');
    expect(buildDrillDownUrl('/d/x?var-model=$model&f=${feature}', values, replace)).toBe(
      '/d/x?var-model=churn&f=annual%20income'
    );
  });
  it('refuses links that are not http(s) or relative, and empty templates', () => {
    expect(buildDrillDownUrl('javascript:alert("${feature}")', values, identity)).toBeUndefined();
    expect(buildDrillDownUrl('', values, identity)).toBeUndefined();
  });
  it('cannot be broken out of by a feature name', () => {
    const url = buildDrillDownUrl('/d/x?f=${feature}', { ...values, feature: '"&x=<script>' }, identity);
    expect(url).toBe('/d/x?f=%22%26x%3D%3Cscript%3E');
  });
});

describe('isFeatureRow', () => {
  it('drills into features, not into the prediction and label rows', () => {
    expect(isFeatureRow('annual income')).toBe(true);
    expect(isFeatureRow(DRIFT_TARGET_ROWS.prediction)).toBe(false);
    expect(isFeatureRow(DRIFT_TARGET_ROWS.label)).toBe(false);
  });
});
