import { buildFrame, type QueryRequest } from '@mlsight/contract';
import pino from 'pino';
import { loadConfig } from '../config/config';
import { unreachableMlflow } from '../mlflow/testing/unreachableMlflow';
import { MlflowError } from '../mlflow';
import { queryHandlers, QueryError, type QueryHandlers } from '../queries';
import { executeQueries, RequestFieldError, timeWindowOf } from './executeQueries';

const config = loadConfig({ MLSIGHT_AUTH: 'off' });
const mlflow = unreachableMlflow();
const log = pino({ level: 'silent' });
const frame = buildFrame({ fields: [{ name: 'v', type: 'number', values: [1] }] });

function handlersWith(overrides: Partial<QueryHandlers>): QueryHandlers {
  return { ...queryHandlers, ...overrides };
}

const request = (queries: QueryRequest['queries']): QueryRequest => ({ from: 0, to: 1000, queries });

describe('executeQueries', () => {
  it('answers each query on its own: a failure does not fail its neighbours', async () => {
    const handlers = handlersWith({
      runs: async () => [frame],
      model_versions: async () => {
        throw new MlflowError('unreachable', 'MLflow at http://x is unreachable (ECONNREFUSED)');
      },
      deployments: async () => {
        throw new QueryError('registered model "nope" does not exist', 404);
      },
      kpis: async () => {
        throw new Error('bug');
      },
    });
    const response = await executeQueries(
      request([
        { refId: 'A', queryType: 'runs' },
        { refId: 'B', queryType: 'model_versions', model: 'm' },
        { refId: 'C', queryType: 'deployments', model: 'nope' },
        { refId: 'D', queryType: 'kpis', model: 'm' },
      ]),
      { handlers, mlflow, config, log }
    );
    expect(response.results.A).toEqual({
      frames: [{ ...frame, schema: { ...frame.schema, refId: 'A' } }],
      status: 200,
    });
    expect(response.results.B).toEqual({
      frames: [],
      status: 503,
      error: 'MLflow at http://x is unreachable (ECONNREFUSED)',
    });
    expect(response.results.C).toMatchObject({ status: 404, error: 'registered model "nope" does not exist' });
    expect(response.results.D).toMatchObject({ status: 500 });
    expect(response.results.D?.error).not.toContain('bug');
  });

  it('marks frames stale when the MLflow client served cached data', async () => {
    const handlers = handlersWith({
      runs: async (_q, ctx) => {
        ctx.mlflowCall.staleSince = Date.UTC(2026, 0, 1);
        return [frame];
      },
    });
    const response = await executeQueries(request([{ refId: 'A', queryType: 'runs' }]), {
      handlers,
      mlflow,
      config,
      log,
    });
    const meta = response.results.A?.frames[0]?.schema.meta;
    expect(meta?.notices?.[0]?.text).toBe('MLflow is unreachable: showing cached data from 2026-01-01T00:00:00.000Z');
    expect(meta?.custom).toEqual({ stale: true });
  });

  it('skips hidden queries and refuses duplicate refIds naming the field', async () => {
    const handlers = handlersWith({ runs: async () => [frame] });
    const hidden = await executeQueries(request([{ refId: 'A', queryType: 'runs', hide: true }]), {
      handlers,
      mlflow,
      config,
      log,
    });
    expect(hidden.results.A).toEqual({ frames: [] });
    await expect(
      executeQueries(
        request([
          { refId: 'A', queryType: 'runs' },
          { refId: 'A', queryType: 'runs' },
        ]),
        { handlers, mlflow, config, log }
      )
    ).rejects.toThrow(new RequestFieldError('queries[1].refId', 'duplicates refId "A"'));
  });
});

describe('timeWindowOf', () => {
  it('derives the interval from maxDataPoints and refuses reversed ranges', () => {
    expect(timeWindowOf({ from: '0', to: '3600000', maxDataPoints: 60, queries: [] as never })).toEqual({
      fromMs: 0,
      toMs: 3_600_000,
      intervalMs: 60_000,
      maxDataPoints: 60,
    });
    expect(() => timeWindowOf({ from: 10, to: 5, queries: [] as never })).toThrow(/to: is before from/);
    expect(() => timeWindowOf({ from: 'soon', to: 5, queries: [] as never })).toThrow(/from: is not/);
  });
});
