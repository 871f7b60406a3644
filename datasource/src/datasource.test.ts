/** @jest-environment jsdom */
import { CoreApp, dateTime, FieldType, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { setBackendSrv, setTemplateSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { buildFrame } from '@mlsight/contract';
import { firstValueFrom, isObservable, type Observable } from 'rxjs';
import { DataSource } from './datasource';
import { FakeBackendSrv, httpError, ok, type Handler } from './testing/fakeBackendSrv';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { instanceSettings } from './testing/settings';
import type { MLSightDataSourceQuery } from './types';

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 0, 2);

let backend: FakeBackendSrv;

function setup(handler: Handler, jsonData = {}) {
  backend = new FakeBackendSrv(handler);
  setBackendSrv(backend as Pick<BackendSrv, 'fetch'> as BackendSrv);
  setTemplateSrv(
    new FakeTemplateSrv([
      { name: 'model', options: ['churn', 'fraud'], selected: 'churn' },
      { name: 'features', options: ['age', 'income', 'tenure'], selected: '$__all' },
    ])
  );
  return new DataSource(instanceSettings(jsonData));
}

/** What Grafana hands over for a new panel: the saved JSON, which may still lack required fields. */
const unsaved = (query: object) => query as MLSightDataSourceQuery;

function request(targets: MLSightDataSourceQuery[]): DataQueryRequest<MLSightDataSourceQuery> {
  return {
    requestId: 'Q100',
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 720,
    range: { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1d', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: FROM,
  };
}

async function run(ds: DataSource, targets: MLSightDataSourceQuery[]): Promise<DataQueryResponse> {
  const result: Observable<DataQueryResponse> | Promise<DataQueryResponse> = ds.query(request(targets));
  return isObservable(result) ? firstValueFrom(result) : result;
}

/** What DataSourceWithBackend posts to Grafana's /api/ds/query. */
interface DsQueryBody {
  from: string;
  to: string;
  queries: Array<Record<string, unknown>>;
}

function queryBody(req: BackendSrvRequest | undefined): DsQueryBody {
  return req?.data;
}

const RESOURCES = '/api/datasources/uid/mlsight-test/resources';

const trendFrame = buildFrame({
  name: 'drift_trend',
  meta: { type: 'timeseries-wide', typeVersion: [0, 1] },
  fields: [
    { name: 'time', type: 'time', values: [FROM, FROM + 3_600_000] },
    { name: 'psi', type: 'number', values: [0.02, 0.31], labels: { feature: 'age' }, config: { unit: 'none' } },
  ],
});

describe('query: through the backend', () => {
  it("sends all visible queries of a request in ONE POST to Grafana's /api/ds/query, variables replaced", async () => {
    const ds = setup(() => ok({ results: { A: { frames: [] }, B: { frames: [] }, C: { frames: [] } } }));
    await run(ds, [
      { refId: 'A', queryType: 'kpis', model: 'churn' },
      { refId: 'B', queryType: 'drift_trend', model: '$model', features: ['$features'] },
      { refId: 'C', queryType: 'runs', experiment: '1' },
      { refId: 'D', queryType: 'runs', hide: true },
    ]);
    expect(backend.requests).toHaveLength(1);
    const [sent] = backend.requests;
    expect(sent?.url).toBe('/api/ds/query?ds_type=mlsight-mlflow-datasource&requestId=Q100');
    expect(sent?.method).toBe('POST');
    const body = queryBody(sent);
    expect(body).toMatchObject({ from: String(FROM), to: String(TO) });
    expect(body.queries.map((q) => q.refId)).toEqual(['A', 'B', 'C']);
    expect(body.queries[1]).toMatchObject({
      model: 'churn',
      features: ['age', 'income', 'tenure'],
      datasource: { type: 'mlsight-mlflow-datasource', uid: 'mlsight-test' },
      intervalMs: 60_000,
      maxDataPoints: 720,
    });
  });

  it('never sends a query that fails validation, and reports it on its own refId', async () => {
    const ds = setup(() => ok({ results: { A: { frames: [] } } }));
    const res = await run(ds, [
      { refId: 'A', queryType: 'kpis', model: 'churn' },
      { refId: 'B', queryType: 'metric_history', runIds: [], metric: 'loss' },
    ]);
    expect(queryBody(backend.requests[0]).queries.map((q) => q.refId)).toEqual(['A']);
    expect(res.errors).toEqual([{ refId: 'B', message: 'runIds: needs at least one run id' }]);
  });

  it('makes no request when no query is runnable', async () => {
    const ds = setup(() => ok({ results: {} }));
    const res = await run(ds, [{ refId: 'A', queryType: 'runs', hide: true }]);
    expect(backend.requests).toHaveLength(0);
    expect(res.data).toEqual([]);
  });

  it('fills the model from the default model setting and migrates the saved query', async () => {
    const ds = setup(() => ok({ results: { A: { frames: [] } } }), { defaultModel: 'fraud' });
    await run(ds, [{ refId: 'A', queryType: 'kpis' } as MLSightDataSourceQuery]);
    expect(queryBody(backend.requests[0]).queries[0]).toMatchObject({ model: 'fraud', schemaVersion: 1 });
  });

  it('applyTemplateVariables gives the backend the interpolated query (Explore, export)', () => {
    const ds = setup(() => ok({}));
    const out = ds.applyTemplateVariables({ refId: 'A', queryType: 'drift_trend', model: '$model' }, {});
    expect(out).toMatchObject({ refId: 'A', queryType: 'drift_trend', model: 'churn' });
  });
});

describe('query: frames from the backend', () => {
  it("turns Grafana's DataFrameJSON back into frames with the query's refId", async () => {
    const ds = setup(() =>
      ok({ results: { A: { status: 200, frames: [{ ...trendFrame, schema: { ...trendFrame.schema, refId: 'A' } }] } } })
    );
    const res = await run(ds, [{ refId: 'A', queryType: 'drift_trend', model: 'churn' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data).toHaveLength(1);
    const [frame] = res.data;
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(2);
    expect(frame.meta?.type).toBe('timeseries-wide');
    expect(frame.fields.map((f: { type: FieldType }) => f.type)).toEqual([FieldType.time, FieldType.number]);
    expect(frame.fields[1].values).toEqual([0.02, 0.31]);
    expect(frame.fields[1].labels).toEqual({ feature: 'age' });
  });

  it("keeps the frames of good queries when another query errors (Grafana's 400 with every result)", async () => {
    const ds = setup(() =>
      httpError(400, {
        results: {
          A: { status: 200, frames: [{ ...trendFrame, schema: { ...trendFrame.schema, refId: 'A' } }] },
          B: { status: 404, error: 'model "nope" is not registered in MLflow', errorSource: 'downstream', frames: [] },
        },
      })
    );
    const res = await run(ds, [
      { refId: 'A', queryType: 'drift_trend', model: 'churn' },
      { refId: 'B', queryType: 'kpis', model: 'nope' },
    ]);
    expect(res.data.map((f) => f.refId)).toEqual(['A']);
    expect(res.errors).toEqual([
      expect.objectContaining({ refId: 'B', message: 'model "nope" is not registered in MLflow', status: 404 }),
    ]);
  });
});

describe('annotations', () => {
  it("answers an annotation query from the backend's annotations resource as an event frame", async () => {
    const ds = setup(() =>
      ok([
        {
          time: FROM,
          title: 'churn v3 registered',
          text: 'by ann',
          tags: ['deployment'],
          kind: 'deployment',
          model: 'churn',
        },
        { time: FROM + 10, timeEnd: FROM + 99, title: 'retrain', text: '', tags: [], kind: 'retrain' },
        { title: 'no time, skipped', kind: 'retrain' },
      ])
    );
    const res = await run(ds, [
      { refId: 'Anno', queryType: 'annotations', model: '$model', kinds: ['deployment', 'retrain'] },
    ]);
    expect(backend.requests[0]?.url).toBe(`${RESOURCES}/annotations`);
    expect(backend.requests[0]?.method).toBe('POST');
    expect(backend.requests[0]?.data).toEqual({ from: FROM, to: TO, model: 'churn', kinds: ['deployment', 'retrain'] });
    const events = ds.annotations?.processEvents?.({ enable: true, iconColor: 'red', name: 'x' }, res.data);
    const list = events ? await firstValueFrom(events) : undefined;
    expect(list).toEqual([
      expect.objectContaining({ time: FROM, title: 'churn v3 registered', tags: ['deployment'], color: '#73BF69' }),
      expect.objectContaining({ time: FROM + 10, timeEnd: FROM + 99, isRegion: true, color: '#B877D9' }),
    ]);
  });

  it('reports a failed annotation call on its refId', async () => {
    const ds = setup(() => httpError(502, { message: 'cannot reach the MLSight proxy at http://127.0.0.1:8450' }));
    const res = await run(ds, [{ refId: 'Anno', queryType: 'annotations', model: 'churn' }]);
    expect(res.errors).toEqual([{ refId: 'Anno', message: expect.stringContaining('cannot reach the MLSight proxy') }]);
  });
});

describe('metricFindQuery', () => {
  it("lists values of a kind from the backend's variables resource, scoped by an interpolated model", async () => {
    const ds = setup(() =>
      ok([
        { text: '3', value: '3' },
        { text: '2', value: '2' },
      ])
    );
    const values = await ds.metricFindQuery({ refId: 'v', kind: 'versions', model: '$model' });
    expect(values).toEqual([
      { text: '3', value: '3' },
      { text: '2', value: '2' },
    ]);
    expect(backend.requests[0]?.url).toBe(`${RESOURCES}/variables/versions`);
    expect(backend.requests[0]?.params).toEqual({ model: 'churn' });
  });

  it('accepts the text form used in provisioned dashboards', async () => {
    const ds = setup(() => ok([]));
    await ds.metricFindQuery('features?model=fraud&search=inc');
    expect(backend.requests[0]?.params).toEqual({ model: 'fraud', search: 'inc' });
  });

  it('asks for a model when a kind needs one and none is set', async () => {
    const ds = setup(() => ok([]));
    await expect(ds.metricFindQuery('segments')).rejects.toThrow(/need a model/);
    expect(backend.requests).toHaveLength(0);
  });

  it("reports the proxy's refusal the backend relays", async () => {
    const ds = setup(() => httpError(401, { message: 'missing bearer token' }));
    await expect(ds.metricFindQuery('models')).rejects.toThrow(/rejected the API token/);
  });
});

describe('testDatasource', () => {
  it("is the backend's health check", async () => {
    const ds = setup(() => ok({ status: 'OK', message: 'Connected to the MLSight proxy at http://127.0.0.1:8450' }));
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Connected to the MLSight proxy at http://127.0.0.1:8450',
    });
    expect(backend.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/datasources/uid/mlsight-test/health',
    ]);
  });

  it("rejects with the backend's message when the check fails", async () => {
    const ds = setup(() => httpError(400, { status: 'ERROR', message: 'the drift store is down (disk full)' }));
    await expect(ds.testDatasource()).rejects.toMatchObject({
      status: 'error',
      message: 'the drift store is down (disk full)',
    });
  });
});

describe('query editor helpers', () => {
  it('offers dashboard variables first, then live values', async () => {
    const ds = setup(() => ok([{ text: 'churn', value: 'churn' }]));
    await expect(ds.getPickerOptions('models')).resolves.toEqual([
      { label: '$model', value: '$model', description: 'Dashboard variable' },
      { label: '$features', value: '$features', description: 'Dashboard variable' },
      { label: 'churn', value: 'churn' },
    ]);
  });

  it('hides queries marked hide and gives new panels the default model', () => {
    const ds = setup(() => ok([]), { defaultModel: 'churn' });
    expect(ds.filterQuery({ refId: 'A', queryType: 'runs', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'runs' })).toBe(true);
    expect(ds.getDefaultQuery(CoreApp.Dashboard)).toMatchObject({ queryType: 'kpis', model: 'churn' });
    expect(ds.filterQuery(unsaved({ refId: 'A', queryType: 'kpis' }))).toBe(true);
  });

  it('treats an empty default model as none: provisioning expands an unset $MLSIGHT_DEFAULT_MODEL to ""', () => {
    const ds = setup(() => ok([]), { defaultModel: '' });
    expect(ds.defaultModel).toBeUndefined();
    expect(ds.getDefaultQuery(CoreApp.Dashboard)).not.toHaveProperty('model');
    expect(ds.filterQuery(unsaved({ refId: 'A', queryType: 'kpis' }))).toBe(false);
  });

  it('does not run a query that still waits for its model when there is no default model', () => {
    const ds = setup(() => ok([]));
    expect(ds.filterQuery(unsaved({ refId: 'A', queryType: 'kpis' }))).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'kpis', model: '  ' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'kpis', model: 'churn' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'kpis', model: '$model' })).toBe(true);
    // Types whose model is optional, or that have none, run as they are.
    expect(ds.filterQuery(unsaved({ refId: 'A', queryType: 'provenance' }))).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'runs' })).toBe(true);
  });
});
