/** @jest-environment jsdom */
import { QUERY_SCHEMA_VERSION, QUERY_TYPES, querySchemas, type QueryType } from '@mlsight/contract';
import { getList, getString, setField, switchQueryType, toEditableQuery, validateQuery } from './queryModel';
import type { MLSightDataQuery } from './types';

const kpis: MLSightDataQuery = { refId: 'A', queryType: 'kpis', model: 'churn', alias: 'champion', key: 'k1' };

/** Values that satisfy each required field, to show a template is complete once the user fills what it asks for. */
const isBlank = (v: unknown) => v === '' || (Array.isArray(v) && v.length === 0);
const FILL: Record<string, unknown> = {
  model: 'churn',
  feature: 'plan',
  predictionId: 'p-1',
  segment: 'region',
  runIds: ['r1'],
  metric: 'loss',
};

describe('switchQueryType', () => {
  it.each(QUERY_TYPES)(
    '%s: carries identity and model context, and validates once required fields are filled',
    (type) => {
      const next = switchQueryType(kpis, type);
      expect(next).toMatchObject({ refId: 'A', queryType: type, key: 'k1', schemaVersion: QUERY_SCHEMA_VERSION });
      const shape = querySchemas[type].shape;
      if ('model' in shape) expect(getString(next, 'model')).toBe('churn');
      if ('alias' in shape && type !== 'champion_challenger') expect(getString(next, 'alias')).toBe('champion');
      const filled: Record<string, unknown> = { ...next };
      for (const [key, value] of Object.entries(FILL)) {
        if (isBlank(filled[key])) filled[key] = value;
      }
      expect(querySchemas[type].safeParse(filled).success).toBe(true);
    }
  );

  it('marks required fields of a fresh query as missing, not absent', () => {
    const fairness = switchQueryType({ refId: 'A', queryType: 'runs' }, 'fairness');
    expect(validateQuery(fairness).byField).toEqual({ model: 'must not be empty', segment: 'must not be empty' });
  });
});

describe('toEditableQuery', () => {
  it('turns an empty or annotation query into the default KPI query with the default model', () => {
    expect(toEditableQuery({ refId: 'A' } as MLSightDataQuery, 'churn')).toMatchObject({
      queryType: 'kpis',
      model: 'churn',
    });
    expect(toEditableQuery({ refId: 'Anno', queryType: 'annotations' }, undefined)).toMatchObject({
      queryType: 'kpis',
      model: '',
    });
  });

  it('migrates a legacy saved query', () => {
    const legacy = {
      refId: 'A',
      queryType: 'metric_history',
      runId: 'r9',
      metric: 'loss',
    } as unknown as MLSightDataQuery;
    expect(getList(toEditableQuery(legacy), 'runIds')).toEqual(['r9']);
  });
});

describe('setField', () => {
  it('removes an emptied optional field and keeps an emptied required one visible to validation', () => {
    const q = setField(setField(kpis, 'alias', undefined), 'model', undefined);
    expect(q).not.toHaveProperty('alias');
    expect(q).toHaveProperty('model', '');
    expect(
      setField({ refId: 'A', queryType: 'metric_history', runIds: ['r'], metric: 'm' }, 'runIds', [])
    ).toHaveProperty('runIds', []);
  });
});

describe('validateQuery', () => {
  it("returns the contract's message beside the field", () => {
    const q: MLSightDataQuery = { refId: 'A', queryType: 'kpis', model: 'churn', version: 'three' };
    expect(validateQuery(q).byField).toEqual({ version: 'must be a version number such as "3"' });
  });

  it('does not judge fields that hold dashboard variables', () => {
    const q: MLSightDataQuery = { refId: 'A', queryType: 'kpis', model: 'churn', version: '$version' };
    expect(validateQuery(q)).toEqual({ byField: {}, other: [] });
  });

  it('flags version and alias together', () => {
    const q: MLSightDataQuery = { refId: 'A', queryType: 'kpis', model: 'churn', version: '2', alias: 'champion' };
    expect(validateQuery(q).byField.alias).toMatch(/not both/);
  });

  it.each(QUERY_TYPES.filter((t: QueryType) => t !== 'runs'))('%s: the default template is judged', (type) => {
    const result = validateQuery(switchQueryType({ refId: 'A', queryType: 'runs' }, type));
    const required = Object.entries(querySchemas[type].shape).filter(
      ([k, s]) => k !== 'queryType' && k !== 'refId' && !s.safeParse(undefined).success
    );
    expect(Object.keys(result.byField).sort()).toEqual(required.map(([k]) => k).sort());
  });
});
