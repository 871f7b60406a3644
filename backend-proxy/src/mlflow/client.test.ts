import { MlflowClient, type MlflowCallContext, type MlflowClientConfig, withModelId } from './client';
import { MlflowError } from './errors';
import { type FakeHandler, type FakeMlflow, mlflowError, startFakeMlflow } from './fakeMlflowServer';

const API = '/api/2.0/mlflow';
const RUN = { info: { run_id: 'r1', experiment_id: '1', status: 'FINISHED' }, data: { metrics: [], params: [] } };

let fake: FakeMlflow;

afterEach(async () => {
  await fake?.close();
});

async function start(handler: FakeHandler): Promise<FakeMlflow> {
  fake = await startFakeMlflow(handler);
  return fake;
}

/** A client on the fake with a fake clock and sleeps that return at once (their lengths are recorded). */
function makeClient(overrides: Partial<MlflowClientConfig> = {}) {
  const clock = { now: 1_000_000 };
  const sleeps: number[] = [];
  const client = new MlflowClient(
    {
      baseUrl: fake.url,
      auth: { type: 'none' },
      timeoutMs: 2000,
      retries: 2,
      backoffMs: 100,
      breaker: { failureThreshold: 100, resetMs: 10_000 },
      cacheTtlMs: 0,
      staleTtlMs: 60_000,
      pageSize: 3,
      ...overrides,
    },
    {
      now: () => clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    }
  );
  return { client, clock, sleeps };
}

const count = (path: string) => fake.requests.filter((r) => r.path === path).length;

describe('MlflowClient retries and errors', () => {
  it('retries a 503 and returns the answer that follows', async () => {
    let calls = 0;
    await start(() => (++calls <= 2 ? mlflowError(503, 'TEMPORARILY_UNAVAILABLE', 'busy') : { body: { run: RUN } }));
    const { client, sleeps } = makeClient();
    expect(await client.getRun('r1')).toEqual(RUN);
    expect(count(`${API}/runs/get`)).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? Infinity);
  });

  it('gives up after the configured retries with an error naming MLflow, its URL and the status', async () => {
    await start(() => mlflowError(503, 'TEMPORARILY_UNAVAILABLE', 'database is locked'));
    const { client } = makeClient({ retries: 2 });
    const failure = client.getRun('r1');
    await expect(failure).rejects.toMatchObject({ kind: 'http', status: 503, errorCode: 'TEMPORARILY_UNAVAILABLE' });
    await expect(failure).rejects.toThrow(`MLflow at ${fake.url}`);
    await expect(failure).rejects.toThrow(/HTTP 503.*database is locked/);
    expect(count(`${API}/runs/get`)).toBe(3);
  });

  it('waits as long as Retry-After asks on a 429, and does not retry when it asks too much', async () => {
    let calls = 0;
    await start(() =>
      ++calls === 1 ? { status: 429, headers: { 'Retry-After': '3' }, body: {} } : { body: { run: RUN } }
    );
    const { client, sleeps } = makeClient();
    await client.getRun('r1');
    expect(sleeps).toEqual([3000]);

    fake.setHandler(() => ({ status: 429, headers: { 'Retry-After': '3600' }, body: {} }));
    const before = fake.requests.length;
    await expect(makeClient().client.getRun('r1')).rejects.toMatchObject({ kind: 'http', status: 429 });
    expect(fake.requests.length - before).toBe(1);
  });

  it('times out on a server that never answers, says so, and does not retry', async () => {
    await start(() => 'hang');
    const { client } = makeClient({ timeoutMs: 150, retries: 2 });
    const failure = client.getRun('r1');
    await expect(failure).rejects.toMatchObject({ kind: 'timeout' });
    await expect(failure).rejects.toThrow(
      /did not answer GET \/api\/2\.0\/mlflow\/runs\/get within 150 ms \(timeout\)/
    );
    expect(count(`${API}/runs/get`)).toBe(1);
  });

  it('reports an unreachable server with the system error code', async () => {
    await start(() => ({ body: {} }));
    const url = fake.url;
    await fake.close();
    const { client } = makeClient({ baseUrl: url, retries: 1 });
    const failure = client.getRun('r1');
    await expect(failure).rejects.toMatchObject({ kind: 'unreachable' });
    await expect(failure).rejects.toThrow(`MLflow at ${url} is unreachable (ECONNREFUSED)`);
  });

  it('maps RESOURCE_DOES_NOT_EXIST to not_found, without retrying and without tripping the breaker', async () => {
    await start(() => mlflowError(404, 'RESOURCE_DOES_NOT_EXIST', "Run 'nope' not found"));
    const { client } = makeClient({ breaker: { failureThreshold: 1, resetMs: 10_000 } });
    await expect(client.getRun('nope')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    await expect(client.getRun('nope')).rejects.toMatchObject({ kind: 'not_found' });
    expect(count(`${API}/runs/get`)).toBe(2);
  });

  it('returns undefined for an experiment name MLflow does not know', async () => {
    await start(() => mlflowError(404, 'RESOURCE_DOES_NOT_EXIST', 'no such experiment'));
    expect(await makeClient().client.getExperimentByName('ghost')).toBeUndefined();
  });

  it('says what it got when the answer is not JSON (a login page in front of MLflow)', async () => {
    await start(() => ({ body: '<html>Sign in</html>', headers: { 'Content-Type': 'text/html' } }));
    const failure = makeClient().client.getRun('r1');
    await expect(failure).rejects.toMatchObject({ kind: 'bad_response' });
    await expect(failure).rejects.toThrow(/expected JSON, got text\/html/);
  });

  it('neither retries nor counts a 500 that MLflow labels INTERNAL_ERROR (a request-specific crash)', async () => {
    await start(() =>
      mlflowError(500, 'INTERNAL_ERROR', "type object 'SqlLoggedModel' has no attribute 'creation_time'")
    );
    const { client } = makeClient({ retries: 2, breaker: { failureThreshold: 1, resetMs: 10_000 } });
    const filter = { experimentIds: ['1'], filter: 'attributes.creation_time > 0' };
    await expect(client.searchLoggedModels(filter)).rejects.toMatchObject({ kind: 'http', status: 500 });
    await expect(client.searchLoggedModels(filter)).rejects.toMatchObject({ kind: 'http', status: 500 });
    expect(fake.requests).toHaveLength(2);
  });

  it('retries and counts a 500 without an MLflow error code (a crash in front of MLflow)', async () => {
    await start(() => ({ status: 500, body: '<html>Internal Server Error</html>' }));
    const { client } = makeClient({ retries: 2, breaker: { failureThreshold: 10, resetMs: 10_000 } });
    await expect(client.getRun('r1')).rejects.toMatchObject({ kind: 'http', status: 500 });
    expect(fake.requests).toHaveLength(3);
  });

  it('reports an unknown alias as not_found although MLflow answers 400', async () => {
    await start(() => mlflowError(400, 'INVALID_PARAMETER_VALUE', 'Registered model alias ghost not found.'));
    const failure = makeClient().client.getModelVersionByAlias('churn', 'ghost');
    await expect(failure).rejects.toMatchObject({ kind: 'not_found' });
    await expect(failure).rejects.toThrow(`MLflow at ${fake.url} has no alias "ghost" on model "churn"`);
  });

  it('names the credentials when MLflow answers 401', async () => {
    await start(() => mlflowError(401, 'UNAUTHENTICATED', 'bad password'));
    await expect(makeClient().client.getRun('r1')).rejects.toThrow(/refused the proxy's credentials \(HTTP 401/);
    expect(count(`${API}/runs/get`)).toBe(1);
  });
});

describe('MlflowClient circuit breaker', () => {
  it('opens after N failures, fails fast without a network call, half-opens after resetMs, closes on success', async () => {
    let down = true;
    await start(() => (down ? mlflowError(503, 'TEMPORARILY_UNAVAILABLE', 'down') : { body: { run: RUN } }));
    const { client, clock } = makeClient({ retries: 0, breaker: { failureThreshold: 2, resetMs: 5000 } });
    await expect(client.getRun('a')).rejects.toMatchObject({ kind: 'http' });
    await expect(client.getRun('b')).rejects.toMatchObject({ kind: 'http' });
    const seen = fake.requests.length;

    const fast = client.getRun('c');
    await expect(fast).rejects.toMatchObject({ kind: 'circuit_open' });
    await expect(fast).rejects.toThrow(`MLflow at ${fake.url} failed repeatedly`);
    expect(fake.requests.length).toBe(seen);

    down = false;
    clock.now += 4999;
    await expect(client.getRun('d')).rejects.toMatchObject({ kind: 'circuit_open' });
    clock.now += 1;
    expect(await client.getRun('e')).toEqual(RUN);
    expect(fake.requests.length).toBe(seen + 1);
    expect(await client.getRun('f')).toEqual(RUN);
    expect(fake.requests.length).toBe(seen + 2);
  });

  it('stops retrying once the breaker opens mid-call and reports the real failure', async () => {
    await start(() => mlflowError(502, 'BAD_GATEWAY', 'upstream'));
    const { client } = makeClient({ retries: 5, breaker: { failureThreshold: 2, resetMs: 5000 } });
    await expect(client.getRun('a')).rejects.toMatchObject({ kind: 'http', status: 502 });
    expect(fake.requests.length).toBe(2);
  });
});

describe('MlflowClient cache', () => {
  it('serves the cached value while fresh, then stale with ctx.staleSince once MLflow goes down', async () => {
    await start(() => ({ body: { run: RUN } }));
    const { client, clock } = makeClient({ cacheTtlMs: 1000, staleTtlMs: 60_000, retries: 0 });
    const fetchedAt = clock.now;
    const fresh: MlflowCallContext = {};
    await client.getRun('r1', fresh);
    clock.now += 500;
    await client.getRun('r1', fresh);
    expect(count(`${API}/runs/get`)).toBe(1);
    expect(fresh.staleSince).toBeUndefined();

    fake.setHandler(() => mlflowError(503, 'TEMPORARILY_UNAVAILABLE', 'down'));
    clock.now += 1000;
    const stale: MlflowCallContext = {};
    expect(await client.getRun('r1', stale)).toEqual(RUN);
    expect(stale.staleSince).toBe(fetchedAt);
    expect(count(`${API}/runs/get`)).toBe(2);
    await expect(client.getRun('never-cached', stale)).rejects.toBeInstanceOf(MlflowError);
  });

  it('keeps the oldest fetch time when several stale values serve one query', async () => {
    await start((r) => ({ body: { run: { info: { run_id: r.query.get('run_id') } } } }));
    const { client, clock } = makeClient({ cacheTtlMs: 1000, retries: 0 });
    const first = clock.now;
    await client.getRun('a');
    clock.now += 300;
    await client.getRun('b');
    await fake.close();
    clock.now += 5000;
    const ctx: MlflowCallContext = {};
    await client.getRun('b', ctx);
    await client.getRun('a', ctx);
    expect(ctx.staleSince).toBe(first);
  });

  it('sends one request for concurrent reads of the same thing', async () => {
    await start(() => ({ body: { run: RUN } }));
    const { client } = makeClient({ cacheTtlMs: 1000 });
    await Promise.all([client.getRun('r1'), client.getRun('r1'), client.getRun('r1')]);
    expect(count(`${API}/runs/get`)).toBe(1);
  });

  it('never caches ping', async () => {
    await start(() => ({ body: 'OK', headers: { 'Content-Type': 'text/plain' } }));
    const { client } = makeClient({ cacheTtlMs: 60_000 });
    await client.ping();
    await client.ping();
    expect(count('/health')).toBe(2);
  });
});

describe('MlflowClient pagination', () => {
  const runs = Array.from({ length: 7 }, (_, i) => ({ info: { run_id: `run-${i}` } }));

  function pagedRuns(): FakeHandler {
    return (r) => {
      const body = r.body as { max_results: number; page_token?: string };
      const start = body.page_token ? Number(body.page_token) : 0;
      const page = runs.slice(start, start + body.max_results);
      const next = start + page.length;
      return { body: { runs: page, ...(next < runs.length ? { next_page_token: String(next) } : {}) } };
    };
  }

  it('follows next_page_token across runs/search pages', async () => {
    await start(pagedRuns());
    const found = await makeClient({ pageSize: 3 }).client.searchRuns({
      experimentIds: ['1'],
      filter: "status = 'FINISHED'",
    });
    expect(found.map((r) => r.info?.run_id)).toEqual(runs.map((r) => r.info.run_id));
    const bodies = fake.requests.map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.page_token)).toEqual([undefined, '3', '6']);
    expect(bodies.every((b) => b.filter === "status = 'FINISHED'" && b.max_results === 3)).toBe(true);
    expect(fake.requests.every((r) => r.method === 'POST')).toBe(true);
  });

  it('stops at the limit, asking only for what remains', async () => {
    await start(pagedRuns());
    const found = await makeClient({ pageSize: 3 }).client.searchRuns({ experimentIds: ['1'], limit: 5 });
    expect(found).toHaveLength(5);
    expect(fake.requests.map((r) => (r.body as { max_results: number }).max_results)).toEqual([3, 2]);
  });

  it('does not call MLflow for runs of no experiment', async () => {
    await start(pagedRuns());
    expect(await makeClient().client.searchRuns({ experimentIds: [] })).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('reads every logged model, 50 per page, with order objects', async () => {
    const models = Array.from({ length: 120 }, (_, i) => ({ info: { model_id: `m-${i}` } }));
    await start((r) => {
      const body = r.body as { max_results: number; page_token?: string };
      const start = body.page_token ? Number(body.page_token) : 0;
      const page = models.slice(start, start + Math.min(50, body.max_results));
      const next = start + page.length;
      return { body: { models: page, ...(next < models.length ? { next_page_token: String(next) } : {}) } };
    });
    const found = await makeClient({ pageSize: 1000 }).client.searchLoggedModels({
      experimentIds: ['1'],
      filter: 'creation_time > 0',
      orderBy: ['creation_time DESC'],
    });
    expect(found.map((m) => m.info?.model_id)).toEqual(models.map((m) => m.info.model_id));
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.every((r) => r.path === `${API}/logged-models/search`)).toBe(true);
    expect(fake.requests[0]?.body).toEqual({
      experiment_ids: ['1'],
      filter: 'creation_time > 0',
      order_by: [{ field_name: 'creation_time', ascending: false }],
      max_results: 50,
    });
  });

  it('pages model versions and fills their aliases from the registered model (mlflow#9783)', async () => {
    const versions = ['1', '2', '3', '4'].map((v) => ({ name: 'churn', version: v, aliases: [] }));
    await start((r) => {
      if (r.path === `${API}/registered-models/get`) {
        return {
          body: {
            registered_model: {
              name: r.query.get('name'),
              aliases: [
                { alias: 'champion', version: '3' },
                { alias: 'challenger', version: '4' },
                { alias: 'stable', version: '3' },
              ],
            },
          },
        };
      }
      const start = Number(r.query.get('page_token') ?? '0');
      const max = Number(r.query.get('max_results'));
      const page = versions.slice(start, start + max);
      const next = start + page.length;
      return { body: { model_versions: page, ...(next < versions.length ? { next_page_token: String(next) } : {}) } };
    });
    const found = await makeClient({ pageSize: 3 }).client.searchModelVersions("name='churn'");
    expect(found.map((v) => [v.version, v.aliases])).toEqual([
      ['1', []],
      ['2', []],
      ['3', ['champion', 'stable']],
      ['4', ['challenger']],
    ]);
    const searches = fake.requests.filter((r) => r.path === `${API}/model-versions/search`);
    expect(searches.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(searches[0]?.query.get('filter')).toBe("name='churn'");
    expect(count(`${API}/registered-models/get`)).toBe(1);
  });

  it('follows metric-history pages and always sends max_results', async () => {
    const points = Array.from({ length: 5 }, (_, step) => ({ key: 'auc', value: step / 10, step, timestamp: step }));
    await start((r) => {
      const start = Number(r.query.get('page_token') ?? '0');
      const page = points.slice(start, start + Number(r.query.get('max_results')));
      const next = start + page.length;
      return { body: { metrics: page, ...(next < points.length ? { next_page_token: String(next) } : {}) } };
    });
    const found = await makeClient({ pageSize: 2 }).client.getMetricHistory('r1', 'auc');
    expect(found).toEqual(points);
    expect(fake.requests.map((r) => r.query.get('max_results'))).toEqual(['2', '2', '2']);
  });
});

describe('withModelId', () => {
  it('reads model_id from a models:/<model_id> source and leaves name/version sources alone', () => {
    expect(withModelId({ version: '1', source: 'models:/m-0123abcd' }).model_id).toBe('m-0123abcd');
    expect(withModelId({ version: '1', source: 'models:/m-0123abcd', model_id: 'm-other' }).model_id).toBe('m-other');
    expect(withModelId({ version: '1', source: 'models:/m-churn/3' }).model_id).toBeUndefined();
    expect(withModelId({ version: '1', source: 's3://bucket/model' }).model_id).toBeUndefined();
  });
});

describe('MlflowClient headers', () => {
  it('never sends Origin, always sends User-Agent mlsight-proxy, and no auth header without auth', async () => {
    await start((r) =>
      r.path === `${API}/runs/search`
        ? { body: { runs: [] } }
        : r.path === '/health'
          ? { body: 'OK' }
          : { body: { run: RUN } }
    );
    const { client } = makeClient();
    await client.ping();
    await client.getRun('r1');
    await client.searchRuns({ experimentIds: ['1'] });
    expect(fake.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
    for (const r of fake.requests) {
      expect(r.headers.origin).toBeUndefined();
      expect(r.headers['user-agent']).toBe('mlsight-proxy');
      expect(r.headers.authorization).toBeUndefined();
    }
  });

  it('sends basic credentials, and checks them in ping because /health is open under basic-auth', async () => {
    await start((r) => (r.path === '/health' ? { body: 'OK' } : { body: { experiments: [] } }));
    const { client } = makeClient({ auth: { type: 'basic', username: 'admin', password: 's3cret' } });
    await client.ping();
    const expected = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
    expect(fake.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/health', expected],
      [`${API}/experiments/search`, expected],
    ]);
  });

  it('sends a bearer token', async () => {
    await start(() => ({ body: { run: RUN } }));
    await makeClient({ auth: { type: 'bearer', token: 'tok-abc' } }).client.getRun('r1');
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer tok-abc');
  });

  it('turns credentials in the base URL into basic auth and keeps them out of error messages', async () => {
    await start(() => mlflowError(500, 'INTERNAL_ERROR', 'boom'));
    const withUser = fake.url.replace('http://', 'http://us%40er:p%3Aw@');
    const failure = makeClient({ baseUrl: withUser, retries: 0 }).client.getRun('r1');
    await expect(failure).rejects.toThrow(`MLflow at ${fake.url} failed (HTTP 500 INTERNAL_ERROR on GET`);
    await expect(failure).rejects.not.toThrow(/p:w|us@er/);
    await expect(failure).rejects.toMatchObject({ baseUrl: fake.url });
    expect(fake.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('us@er:p:w').toString('base64')}`);
  });
});

describe('MlflowClient artifacts', () => {
  it('downloads run artifacts through /get-artifact as bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await start(() => ({ body: bytes, headers: { 'Content-Type': 'application/octet-stream' } }));
    const got = await makeClient().client.downloadArtifact('r1', 'shap/values.npy');
    expect(got.equals(bytes)).toBe(true);
    expect(fake.requests[0]?.path).toBe('/get-artifact');
    expect(fake.requests[0]?.query.get('run_id')).toBe('r1');
    expect(fake.requests[0]?.query.get('path')).toBe('shap/values.npy');
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    await start(() => ({ body: Buffer.alloc(2048), headers: { 'Content-Type': 'application/octet-stream' } }));
    const failure = makeClient({ maxResponseBytes: 1024 }).client.downloadArtifact('r1', 'big.bin');
    await expect(failure).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('lists logged-model artifacts on the MLflow 3 route', async () => {
    await start(() => ({ body: { files: [{ path: 'MLmodel', is_dir: false, file_size: 10 }], root_uri: 'x' } }));
    const files = await makeClient().client.listLoggedModelArtifacts('m-1', 'sub dir');
    expect(files).toEqual([{ path: 'MLmodel', is_dir: false, file_size: 10 }]);
    expect(fake.requests[0]?.path).toBe(`${API}/logged-models/m-1/artifacts/directories`);
    expect(fake.requests[0]?.query.get('artifact_directory_path')).toBe('sub dir');
  });
});
