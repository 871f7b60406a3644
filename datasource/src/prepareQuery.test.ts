/** @jest-environment jsdom */
import { QUERY_SCHEMA_VERSION } from '@mlsight/contract';
import { normalizeQuery, prepareQuery } from './prepareQuery';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import type { MLSightDataQuery } from './types';

/** Dashboard JSON is untyped: a stored query may lack required fields or carry legacy ones. */
const stored = (json: object) => json as MLSightDataQuery;

const templateSrv = new FakeTemplateSrv([
  { name: 'model', options: ['churn', 'fraud'], selected: 'churn' },
  { name: 'models', options: ['churn', 'fraud'], selected: ['churn', 'fraud'] },
  { name: 'segment', options: ['eu', 'us'], selected: '$__all' },
  { name: 'features', options: ['age', 'income'], selected: '$__all' },
]);

describe('normalizeQuery', () => {
  it('migrates a v0 query and stamps the current schema version', () => {
    const out = normalizeQuery({ refId: 'A', queryType: 'metric_history', runId: 'r1', modelName: 'm' });
    expect(out).toMatchObject({ runIds: ['r1'], model: 'm', schemaVersion: QUERY_SCHEMA_VERSION });
    expect(out).not.toHaveProperty('runId');
    expect(out).not.toHaveProperty('modelName');
  });

  it('gives a query without a type the default type and the default model', () => {
    expect(normalizeQuery({ refId: 'A' }, 'churn')).toMatchObject({ queryType: 'kpis', model: 'churn' });
  });

  it('fills the default model only where the type takes a model and none is set', () => {
    expect(normalizeQuery({ refId: 'A', queryType: 'runs' }, 'churn')).not.toHaveProperty('model');
    expect(normalizeQuery({ refId: 'A', queryType: 'kpis', model: 'fraud' }, 'churn')).toMatchObject({
      model: 'fraud',
    });
  });
});

describe('prepareQuery', () => {
  it('returns the query the proxy accepts, without Grafana-only keys', () => {
    const out = prepareQuery(
      { refId: 'A', queryType: 'feature_drift', model: '$model', features: ['$features'], datasource: { uid: 'x' } },
      { templateSrv }
    );
    expect(out).toEqual({
      ok: true,
      query: {
        refId: 'A',
        queryType: 'feature_drift',
        model: 'churn',
        features: ['age', 'income'],
        schemaVersion: QUERY_SCHEMA_VERSION,
      },
    });
  });

  it('drops an optional single-value field set to All (no filter)', () => {
    const out = prepareQuery(
      { refId: 'A', queryType: 'performance', model: 'churn', segment: '$segment' },
      { templateSrv }
    );
    expect(out.ok && out.query).not.toHaveProperty('segment');
  });

  it('refuses All in a required single-value field, naming the field', () => {
    const out = prepareQuery(
      { refId: 'B', queryType: 'fairness', model: 'churn', segment: '$segment' },
      { templateSrv }
    );
    expect(out).toEqual({ ok: false, refId: 'B', error: expect.stringMatching(/^segment: .*All/) });
  });

  it('refuses a multi-valued variable in a single-value field and says how to fix it', () => {
    const out = prepareQuery({ refId: 'C', queryType: 'kpis', model: '$models' }, { templateSrv });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error).toMatch(/^model: \$models has 2 values \(churn, fraud\).*repeat the panel/);
  });

  it("validates with the contract's schema and names the field", () => {
    const out = prepareQuery({ refId: 'D', queryType: 'category_drift', model: 'churn', feature: '' }, { templateSrv });
    expect(out).toEqual({ ok: false, refId: 'D', error: 'feature: must not be empty' });
  });

  it('uses the default model when the query names none', () => {
    const out = prepareQuery(stored({ refId: 'E', queryType: 'kpis' }), { templateSrv, defaultModel: 'fraud' });
    expect(out.ok && out.query).toMatchObject({ model: 'fraud' });
  });

  it('refuses version and alias together, as the proxy would', () => {
    const out = prepareQuery(
      { refId: 'F', queryType: 'kpis', model: 'churn', version: '2', alias: 'champion' },
      { templateSrv }
    );
    expect(out).toEqual({ ok: false, refId: 'F', error: expect.stringContaining('not both') });
  });
});
