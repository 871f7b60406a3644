/** @jest-environment jsdom */
import { CoreApp, dateTime, FieldType, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { setBackendSrv, setTemplateSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { buildFrame, type QueryRequest } from '@mlsight/contract';
import { firstValueFrom, isObservable, type Observable } from 'rxjs';
import { DataSource } from './datasource';
import { FakeBackendSrv, httpError, networkError, ok, type Handler } from './testing/fakeBackendSrv';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { INSTANCE_URL, instanceSettings } from './testing/settings';
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

function queryBody(req: BackendSrvRequest | undefined): QueryRequest {
  return req?.data;
}

const trendFrame = buildFrame({
  name: 'drift_trend',
  meta: { type: 'timeseries-wide', typeVersion: [0, 1] },
  fields: [
    { name: 'time', type: 'time', values: [FROM, FROM + 3_600_000] },
    { name: 'psi', type: 'number', values: [0.02, 0.31], labels: { feature: 'age' }, config: { unit: 'none' } },
  ],
});

describe('query: batching', () => {
  it('sends all visible queries of a request in ONE POST to the proxy route', async () => {
    const ds = setup(() => ok({ results: { A: { frames: [] }, B: { frames: [] }, C: { frames: [] } } }));
    await run(ds, [
      { refId: 'A', queryType: 'kpis', model: 'churn' },
      { refId: 'B', queryType: 'drift_trend', model: '$model', features: ['$features'] },
      { refId: 'C', queryType: 'runs', experiment: '1' },
      { refId: 'D', queryType: 'runs', hide: true },
    ]);
    expect(backend.requests).toHaveLength(1);
    const [sent] = backend.requests;
    expect(sent?.url).toBe(`${INSTANCE_URL}/api/api/v1/query`);
    expect(sent?.method).toBe('POST');
    expect(sent?.requestId).toBe('Q100');
    expect(sent?.showErrorAlert).toBe(false);
    const body = queryBody(sent);
    expect(body).toMatchObject({ from: FROM, to: TO, intervalMs: 60_000, maxDataPoints: 720 });
    expect(body.queries.map((q) => q.refId)).toEqual(['A', 'B', 'C']);
    expect(body.queries[1]).toMatchObject({ model: 'churn', features: ['age', 'income', 'tenure'] });
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

  it('fills the model from the default model setting', async () => {
    const ds = setup(() => ok({ results: { A: { frames: [] } } }), { defaultModel: 'fraud' });
    await run(ds, [{ refId: 'A', queryType: 'kpis' } as MLSightDataSourceQuery]);
    expect(queryBody(backend.requests[0]).queries[0]).toMatchObject({ model: 'fraud' });
  });
});

describe('query: frame decoding', () => {
  it("turns the proxy's DataFrameJSON back into Grafana frames with the query's refId", async () => {
    const ds = setup(() => ok({ results: { A: { frames: [trendFrame] } } }));
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

  it('keeps the frames of good queries when another query errors (per-query error with status)', async () => {
    const ds = setup(() =>
      ok({
        results: {
          A: { frames: [trendFrame] },
          B: { frames: [], error: 'model "nope" is not registered in MLflow', status: 404 },
        },
      })
    );
    const res = await run(ds, [
      { refId: 'A', queryType: 'drift_trend', model: 'churn' },
      { refId: 'B', queryType: 'kpis', model: 'nope' },
    ]);
    expect(res.data.map((f) => f.refId)).toEqual(['A']);
    expect(res.errors).toEqual([{ refId: 'B', message: 'model "nope" is not registered in MLflow', status: 404 }]);
  });

  it('reports a missing or malformed result instead of throwing', async () => {
    const ds = setup(() => ok({ results: { A: { frames: [{ nonsense: true }] } } }));
    const res = await run(ds, [
      { refId: 'A', queryType: 'kpis', model: 'churn' },
      { refId: 'B', queryType: 'kpis', model: 'fraud' },
    ]);
    expect(res.errors).toEqual([
      { refId: 'A', message: expect.stringContaining('frames[0] is not a Grafana data frame') },
      { refId: 'B', message: 'The MLSight proxy returned no result for this query' },
    ]);
  });
});

describe('query: error mapping', () => {
  const two: MLSightDataSourceQuery[] = [
    { refId: 'A', queryType: 'kpis', model: 'churn' },
    { refId: 'B', queryType: 'runs' },
  ];

  it('maps HTTP 401 to a token message on every query', async () => {
    const ds = setup(() =>
      httpError(401, { statusCode: 401, error: 'Unauthorized', message: 'invalid bearer token' }, 'Unauthorized')
    );
    const res = await run(ds, two);
    expect(res.data).toEqual([]);
    expect(res.errors?.map((e) => e.refId)).toEqual(['A', 'B']);
    expect(res.errors?.[0]?.message).toMatch(/rejected the API token \(401\).*invalid bearer token/);
    expect(res.errors?.[0]?.status).toBe(401);
  });

  it("recognises Grafana's data proxy turning an upstream 401 into a 400", async () => {
    const ds = setup(() => httpError(400, { message: 'Authentication to data source failed' }, 'Bad Request'));
    const res = await run(ds, two);
    expect(res.errors?.[0]?.message).toMatch(/rejected the API token \(401\)/);
  });

  it('maps a 502 from the data proxy to "cannot reach the proxy" naming the URL', async () => {
    const ds = setup(() => httpError(502, '', 'Bad Gateway'));
    const res = await run(ds, two);
    expect(res.errors?.[1]?.message).toMatch(/cannot reach the MLSight proxy at http:\/\/127\.0\.0\.1:8080 \(502/);
  });

  it('maps a network failure', async () => {
    const ds = setup(() => networkError('Failed to fetch'));
    const res = await run(ds, two);
    expect(res.errors?.[0]?.message).toBe('Request to Grafana failed: Failed to fetch');
  });

  it('blames only the query a 400 names, the others "not run"', async () => {
    const ds = setup(() =>
      httpError(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: 'queries[1].experiment: bad',
        field: 'queries[1].experiment',
      })
    );
    const res = await run(ds, two);
    expect(res.errors).toEqual([
      { refId: 'A', message: 'Not run: the proxy refused the batch because of query B', status: 400 },
      { refId: 'B', message: expect.stringContaining('queries[1].experiment: bad'), status: 400 },
    ]);
  });
});

describe('annotations', () => {
  it('answers an annotation query from POST /api/v1/annotations as an event frame', async () => {
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
    expect(backend.requests[0]?.url).toBe(`${INSTANCE_URL}/api/api/v1/annotations`);
    expect(backend.requests[0]?.data).toEqual({ from: FROM, to: TO, model: 'churn', kinds: ['deployment', 'retrain'] });
    const events = ds.annotations?.processEvents?.({ enable: true, iconColor: 'red', name: 'x' }, res.data);
    const list = events ? await firstValueFrom(events) : undefined;
    expect(list).toEqual([
      expect.objectContaining({ time: FROM, title: 'churn v3 registered', tags: ['deployment'], color: '#73BF69' }),
      expect.objectContaining({ time: FROM + 10, timeEnd: FROM + 99, isRegion: true, color: '#B877D9' }),
    ]);
  });
});

describe('metricFindQuery', () => {
  it('lists values of a kind, scoped by an interpolated model', async () => {
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
    expect(backend.requests[0]?.url).toBe(`${INSTANCE_URL}/api/api/v1/variables/versions`);
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

  it('reports a proxy failure readably', async () => {
    const ds = setup(() => httpError(401, { message: 'missing bearer token' }));
    await expect(ds.metricFindQuery('models')).rejects.toThrow(/rejected the API token/);
  });
});

describe('testDatasource', () => {
  const ready = {
    status: 'ok',
    checks: { mlflow: { status: 'ok', latencyMs: 12 }, store: { status: 'ok', latencyMs: 3 } },
  };
  const tokenOk = httpError(400, {
    statusCode: 400,
    error: 'Bad Request',
    message: 'queries: needs at least one query',
  });

  function route(readiness: ReturnType<Handler>, probe: ReturnType<Handler>): Handler {
    return (req) => (req.url.endsWith('/api/readyz') ? readiness : probe);
  }

  it('succeeds when the proxy, the token and every dependency are fine', async () => {
    const ds = setup(route(ok(ready), tokenOk));
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message:
        'Connected to the MLSight proxy at http://127.0.0.1:8080; token accepted; MLflow ok (12 ms), the drift store ok (3 ms)',
    });
    expect(backend.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${INSTANCE_URL}/api/readyz`,
      `POST ${INSTANCE_URL}/api/api/v1/query`,
    ]);
  });

  it('says the proxy URL is missing before calling anything', async () => {
    const ds = setup(route(ok(ready), tokenOk), { proxyUrl: '' });
    await expect(ds.testDatasource()).resolves.toMatchObject({ status: 'error', message: /Set the MLSight proxy URL/ });
    expect(backend.requests).toHaveLength(0);
  });

  it('says the proxy is unreachable', async () => {
    const ds = setup(route(httpError(502, ''), tokenOk));
    await expect(ds.testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: expect.stringMatching(/cannot reach the MLSight proxy at http:\/\/127\.0\.0\.1:8080/),
    });
  });

  it('says the token is wrong (401, also as Grafana reports it)', async () => {
    for (const probe of [
      httpError(401, { message: 'invalid bearer token' }),
      httpError(400, 'Authentication to data source failed'),
    ]) {
      const ds = setup(route(ok(ready), probe));
      const res = await ds.testDatasource();
      expect(res.status).toBe('error');
      expect(res.message).toMatch(/rejected the API token \(401\)/);
    }
  });

  it('says the token lacks permission (403)', async () => {
    const ds = setup(route(ok(ready), httpError(403, { message: 'this token lacks the "read" scope' })));
    await expect(ds.testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: 'The API token is valid but not allowed to do this (403): this token lacks the "read" scope',
    });
  });

  it('says MLflow is down, with the reason, from the 503 readiness report', async () => {
    const degraded = {
      status: 'degraded',
      checks: {
        mlflow: { status: 'down', latencyMs: 5000, detail: 'connect ECONNREFUSED 127.0.0.1:5000' },
        store: { status: 'ok', latencyMs: 2 },
      },
    };
    const ds = setup(route(httpError(503, degraded), tokenOk));
    const res = await ds.testDatasource();
    expect(res.status).toBe('error');
    expect(res.message).toMatch(/^MLflow is down \(connect ECONNREFUSED 127\.0\.0\.1:5000\)/);
    expect(res.details).toBeUndefined();
  });

  it('says the store is down, and lists every problem when there are several', async () => {
    const degraded = {
      status: 'degraded',
      checks: {
        mlflow: { status: 'down', latencyMs: 1 },
        store: { status: 'down', latencyMs: 1, detail: 'disk full' },
      },
    };
    const ds = setup(route(httpError(503, degraded), httpError(401, {})));
    const res = await ds.testDatasource();
    expect(res.message).toMatch(/rejected the API token/);
    expect(res.details?.message).toMatch(/MLflow is down[\s\S]*the drift store is down \(disk full\)/);
  });

  it('says when the URL answers but is not an MLSight proxy', async () => {
    const ds = setup(route(ok('<html>grafana</html>'), tokenOk));
    await expect(ds.testDatasource()).resolves.toMatchObject({ status: 'error', message: /not like an MLSight proxy/ });
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
