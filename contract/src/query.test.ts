import { QUERY_TYPES, isQueryType } from './queryTypes';
import { MLSightQuerySchema, querySchemas } from './query';
import { QueryRequestSchema, toEpochMs } from './request';
import { describeIssues, formatPath } from './errors';
import { migrateQuery } from './migrate';
import { QUERY_SCHEMA_VERSION } from './query';

const firstIssue = (value: unknown) => {
  const result = MLSightQuerySchema.safeParse(value);
  if (result.success) throw new Error('expected a validation failure');
  return describeIssues(result.error.issues)[0];
};

describe('query schemas', () => {
  it('has one schema per query type, each accepting its own literal', () => {
    expect(Object.keys(querySchemas).sort()).toEqual([...QUERY_TYPES].sort());
    for (const type of QUERY_TYPES) {
      expect(querySchemas[type].shape.queryType.safeParse(type).success).toBe(true);
    }
  });

  it.each([
    { refId: 'A', queryType: 'runs' },
    { refId: 'A', queryType: 'runs', experiment: 'credit', filter: "params.lr = '0.1'", limit: 10 },
    { refId: 'B', queryType: 'provenance', model: 'credit-risk', alias: 'champion' },
    { refId: 'C', queryType: 'metric_history', runIds: ['abc'], metric: 'loss' },
    { refId: 'D', queryType: 'drift_heatmap', model: 'm', features: ['age', 'income'], method: 'psi' },
    { refId: 'E', queryType: 'fairness', model: 'm', segment: 'region' },
    { refId: 'F', queryType: 'kpis', model: 'm', datasource: { uid: 'x' }, key: 'Q-1' },
  ])('accepts a good query %#', (query) => {
    expect(MLSightQuerySchema.safeParse(query).success).toBe(true);
  });

  it('names the missing field', () => {
    expect(firstIssue({ refId: 'A', queryType: 'model_versions' })).toEqual({ field: 'model', message: 'is required' });
    expect(firstIssue({ refId: 'A', queryType: 'model_versions', model: 3 })).toEqual({
      field: 'model',
      message: 'must be text',
    });
    expect(firstIssue({ refId: 'A', queryType: 'metric_history', runIds: [], metric: 'x' })).toEqual({
      field: 'runIds',
      message: 'needs at least one run id',
    });
  });

  it('rejects an unknown queryType at the queryType field', () => {
    expect(firstIssue({ refId: 'A', queryType: 'nope' })?.field).toBe('queryType');
  });

  it('rejects a version that is not a number and version together with alias', () => {
    expect(firstIssue({ refId: 'A', queryType: 'kpis', model: 'm', version: 'latest' })?.field).toBe('version');
    expect(firstIssue({ refId: 'A', queryType: 'kpis', model: 'm', version: '2', alias: 'champion' })).toEqual({
      field: 'alias',
      message: 'set either version or alias, not both',
    });
  });

  it('rejects a bad drift method and an empty refId', () => {
    expect(firstIssue({ refId: 'A', queryType: 'feature_drift', model: 'm', method: 'magic' })?.field).toBe('method');
    expect(firstIssue({ refId: '', queryType: 'runs' })?.field).toBe('refId');
  });

  it('takes the calibrated drift options on prediction_drift / label_drift and a boolean includeTargets', () => {
    const target = { refId: 'A', model: 'm', method: 'ks', thresholdMode: 'fixed', threshold: 0.01 };
    expect(MLSightQuerySchema.safeParse({ ...target, queryType: 'prediction_drift' }).success).toBe(true);
    expect(firstIssue({ ...target, queryType: 'label_drift', method: 'magic' })?.field).toBe('method');
    const heatmap = { refId: 'A', queryType: 'drift_heatmap', model: 'm', includeTargets: true };
    expect(MLSightQuerySchema.safeParse(heatmap).success).toBe(true);
    expect(firstIssue({ refId: 'A', queryType: 'drift_heatmap', model: 'm', includeTargets: 'yes' })?.field).toBe(
      'includeTargets'
    );
  });

  it('isQueryType narrows only known types', () => {
    expect(isQueryType('provenance')).toBe(true);
    expect(isQueryType('provenance ')).toBe(false);
    expect(isQueryType(3)).toBe(false);
  });
});

describe('query request', () => {
  it('prefixes query issues with their index', () => {
    const result = QueryRequestSchema.safeParse({
      from: '0',
      to: '1',
      queries: [
        { refId: 'A', queryType: 'runs' },
        { refId: 'B', queryType: 'model_versions' },
      ],
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error.issues)[0]?.field).toBe('queries[1].model');
  });

  it('needs at least one query', () => {
    const result = QueryRequestSchema.safeParse({ from: 0, to: 1, queries: [] });
    expect(result.success).toBe(false);
  });

  it('reads epoch ms numbers, numeric strings and ISO times', () => {
    expect(toEpochMs(1700000000000)).toBe(1700000000000);
    expect(toEpochMs('1700000000000')).toBe(1700000000000);
    expect(toEpochMs('2023-11-14T22:13:20.000Z')).toBe(1700000000000);
    expect(toEpochMs('yesterday-ish')).toBeUndefined();
    expect(toEpochMs(Number.NaN)).toBeUndefined();
    expect(toEpochMs('now', 5_000_000_000)).toBe(5_000_000_000);
    expect(toEpochMs('now-2h', 5_000_000_000)).toBe(5_000_000_000 - 7_200_000);
    expect(toEpochMs('now+1d', 0)).toBe(86_400_000);
    expect(toEpochMs('now-2y', 0)).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('writes array indexes in brackets', () => {
    expect(formatPath(['queries', 0, 'features', 2])).toBe('queries[0].features[2]');
    expect(formatPath([])).toBe('');
  });
});

describe('migrateQuery', () => {
  it('upgrades v0 saved queries and stamps the version', () => {
    const migrated = migrateQuery({ refId: 'A', queryType: 'metric_history', runId: 'r1', modelName: 'm' });
    expect(migrated).toEqual({
      refId: 'A',
      queryType: 'metric_history',
      runIds: ['r1'],
      model: 'm',
      schemaVersion: QUERY_SCHEMA_VERSION,
    });
    expect(MLSightQuerySchema.safeParse({ ...migrated, metric: 'loss' }).success).toBe(true);
  });

  it('leaves a current query as it is', () => {
    const current = { refId: 'A', queryType: 'kpis', model: 'm', schemaVersion: QUERY_SCHEMA_VERSION };
    expect(migrateQuery(current)).toEqual(current);
  });
});
