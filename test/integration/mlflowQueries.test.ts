import { fieldValues, frameRows, type DataFrameJSON } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { AUTH, mlflowRest, query, readState, startProxy } from '../support/proxyHarness';

interface RestRun {
  info: { run_id: string; run_name?: string; experiment_id: string; status: string };
  data?: { metrics?: Array<{ key: string; value: number }>; tags?: Array<{ key: string; value: string }> };
  inputs?: { dataset_inputs?: Array<{ dataset: { name: string; digest: string } }> };
}
interface RestVersion {
  version: string;
  run_id?: string;
  model_id?: string;
  source?: string;
}

const MODEL = 'credit-risk';
const state = readState();
let app: FastifyInstance;

async function allRuns(experimentId: string): Promise<RestRun[]> {
  const out: RestRun[] = [];
  let token: string | undefined;
  do {
    const page = await mlflowRest<{ runs?: RestRun[]; next_page_token?: string }>(state.url, 'runs/search', {
      experiment_ids: [experimentId],
      max_results: 1000,
      page_token: token,
    });
    out.push(...(page.runs ?? []));
    token = page.next_page_token;
  } while (token);
  return out;
}

async function experimentId(name: string): Promise<string> {
  const found = await mlflowRest<{ experiment: { experiment_id: string } }>(
    state.url,
    `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`
  );
  return found.experiment.experiment_id;
}

const tag = (run: RestRun, key: string) => run.data?.tags?.find((t) => t.key === key)?.value;
const firstFrame = (body: { results: Record<string, { frames: DataFrameJSON[]; error?: string }> }, refId = 'A') => {
  const result = body.results[refId];
  if (!result) throw new Error(`no result for ${refId}`);
  if (result.error) throw new Error(`query ${refId} failed: ${result.error}`);
  const frame = result.frames[0];
  if (!frame) throw new Error(`query ${refId} returned no frame`);
  return frame;
};

beforeAll(async () => {
  ({ app } = await startProxy(state.url));
});
afterAll(async () => {
  await app.close();
});

describe('runs', () => {
  it('returns every run of an experiment across page boundaries (page size 7)', async () => {
    const id = await experimentId('mlsight-pagination');
    const truth = await allRuns(id);
    expect(truth.length).toBeGreaterThan(7 * 2);
    const { status, body } = await query(app, [
      { refId: 'A', queryType: 'runs', experiment: 'mlsight-pagination', limit: 1000, ignoreTimeRange: true },
    ]);
    expect(status).toBe(200);
    const frame = firstFrame(body);
    expect([...(fieldValues(frame, 'run_id') as string[])].sort()).toEqual(truth.map((r) => r.info.run_id).sort());
  });

  it('carries the metrics MLflow has for each run', async () => {
    const id = await experimentId('credit-risk-pipeline');
    const truth = await allRuns(id);
    const { body } = await query(app, [
      { refId: 'A', queryType: 'runs', experiment: id, limit: 1000, ignoreTimeRange: true },
    ]);
    const rows = frameRows(firstFrame(body));
    expect(rows).toHaveLength(truth.length);
    for (const run of truth) {
      const row = rows.find((r) => r.run_id === run.info.run_id);
      expect(row?.status).toBe(run.info.status);
      for (const m of run.data?.metrics ?? []) expect(row?.[`metric.${m.key}`]).toBe(m.value);
    }
  });

  it('stops at the limit', async () => {
    const { body } = await query(app, [
      { refId: 'A', queryType: 'runs', experiment: 'mlsight-pagination', limit: 10, ignoreTimeRange: true },
    ]);
    expect(fieldValues(firstFrame(body), 'run_id')).toHaveLength(10);
  });
});

describe('metric_history', () => {
  it('matches metrics/get-history point by point', async () => {
    const id = await experimentId('mlsight-pagination');
    const run = (await allRuns(id))[0];
    if (!run) throw new Error('no run');
    const key = run.data?.metrics?.[0]?.key;
    if (!key) throw new Error('seeded run has no metric');
    const truth = await mlflowRest<{ metrics: Array<{ value: number; timestamp: number; step: number }> }>(
      state.url,
      `metrics/get-history?run_id=${run.info.run_id}&metric_key=${encodeURIComponent(key)}`
    );
    expect(truth.metrics.length).toBeGreaterThan(1);
    const { body } = await query(app, [
      { refId: 'A', queryType: 'metric_history', runIds: [run.info.run_id], metric: key },
    ]);
    const frame = firstFrame(body);
    const sorted = [...truth.metrics].sort((a, b) => a.timestamp - b.timestamp || a.step - b.step);
    expect(fieldValues(frame, key)).toEqual(sorted.map((m) => m.value));
    expect(fieldValues(frame, 'time')).toEqual(sorted.map((m) => Number(m.timestamp)));
    expect(frame.schema.fields.find((f) => f.name === key)?.labels).toMatchObject({ run_id: run.info.run_id });
  });
});

describe('model registry', () => {
  it('model_versions lists every version with the aliases MLflow has', async () => {
    const registered = await mlflowRest<{
      registered_model: { aliases?: Array<{ alias: string; version: string }> };
    }>(state.url, `registered-models/get?name=${MODEL}`);
    const versions = await mlflowRest<{ model_versions: RestVersion[] }>(
      state.url,
      `model-versions/search?filter=${encodeURIComponent(`name='${MODEL}'`)}`
    );
    const { body } = await query(app, [{ refId: 'A', queryType: 'model_versions', model: MODEL }]);
    const rows = frameRows(firstFrame(body));
    expect(rows.map((r) => r.version).sort()).toEqual(versions.model_versions.map((v) => v.version).sort());
    const aliases = registered.registered_model.aliases ?? [];
    expect(aliases.map((a) => a.alias).sort()).toEqual(['challenger', 'champion']);
    for (const a of aliases) {
      expect(String(rows.find((r) => r.version === a.version)?.aliases)).toContain(a.alias);
    }
  });

  it('deployments shows each alias with its version, who and when', async () => {
    const registered = await mlflowRest<{ registered_model: { aliases: Array<{ alias: string; version: string }> } }>(
      state.url,
      `registered-models/get?name=${MODEL}`
    );
    const { body } = await query(app, [{ refId: 'A', queryType: 'deployments', model: MODEL }]);
    const rows = frameRows(firstFrame(body)).filter((r) => r.kind === 'alias');
    for (const a of registered.registered_model.aliases) {
      const row = rows.find((r) => r.target === a.alias);
      expect(row?.version).toBe(a.version);
      expect(typeof row?.since).toBe('number');
      expect(String(row?.by)).not.toBe('');
    }
  });

  it('kpis reports the champion version with its training metrics', async () => {
    const champion = await mlflowRest<{ model_version: RestVersion }>(
      state.url,
      `registered-models/alias?name=${MODEL}&alias=champion`
    );
    const { body } = await query(app, [{ refId: 'A', queryType: 'kpis', model: MODEL }]);
    const [row] = frameRows(firstFrame(body));
    expect(row?.version).toBe(champion.model_version.version);
    const numbers = Object.entries(row ?? {}).filter(([, v]) => typeof v === 'number');
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.length).toBeLessThanOrEqual(5);
    const runId = champion.model_version.run_id;
    if (!runId) throw new Error('champion has no run id');
    const run = await mlflowRest<{ run: RestRun }>(state.url, `runs/get?run_id=${runId}`);
    const truth = Object.fromEntries((run.run.data?.metrics ?? []).map((m) => [m.key, m.value]));
    for (const [key, value] of numbers) if (key in truth) expect(value).toBe(truth[key]);
  });
});

describe('provenance', () => {
  it("reaches from each version back to its pipeline's steps and the exact dataset digests", async () => {
    const { status, body } = await query(app, [{ refId: 'A', queryType: 'provenance', model: MODEL }]);
    expect(status).toBe(200);
    const result = body.results.A;
    expect(result?.error).toBeUndefined();
    const [nodes, edges] = result?.frames ?? [];
    if (!nodes || !edges) throw new Error('expected nodes and edges frames');
    expect(nodes.schema.meta?.preferredVisualisationType).toBe('nodeGraph');
    const nodeRows = frameRows(nodes);
    const edgeRows = frameRows(edges).map((e) => `${String(e.source)}->${String(e.target)}`);
    const nodeIds = new Set(nodeRows.map((n) => n.id));

    const versions = await mlflowRest<{ model_versions: RestVersion[] }>(
      state.url,
      `model-versions/search?filter=${encodeURIComponent(`name='${MODEL}'`)}`
    );
    expect(versions.model_versions.length).toBe(3);
    for (const v of versions.model_versions) {
      const versionNode = `version:${MODEL}/${v.version}`;
      expect(nodeIds.has(versionNode)).toBe(true);
      if (!v.run_id) throw new Error('version without run id');
      // MLflow 3.17's REST model versions carry the logged model only in `source` (models:/<model_id>).
      const modelId = v.model_id ?? /^models:\/(m-[\w-]+)$/.exec(v.source ?? '')?.[1];
      const runNode = `run:${v.run_id}`;
      // run → logged model → version (MLflow 3), or run → version.
      const viaLogged = modelId
        ? edgeRows.includes(`${runNode}->logged_model:${modelId}`) &&
          edgeRows.includes(`logged_model:${modelId}->${versionNode}`)
        : edgeRows.includes(`${runNode}->${versionNode}`);
      expect(viaLogged).toBe(true);

      const run = (await mlflowRest<{ run: RestRun }>(state.url, `runs/get?run_id=${v.run_id}`)).run;
      const parent = tag(run, 'mlflow.parentRunId');
      expect(parent).toBeDefined();
      expect(nodeIds.has(`run:${parent}`)).toBe(true);
      // every sibling step of the training run is in the graph, chained in order
      const siblings = await mlflowRest<{ runs: RestRun[] }>(state.url, 'runs/search', {
        experiment_ids: [run.info.experiment_id],
        filter: `tags.mlflow.parentRunId = '${parent}'`,
      });
      for (const s of siblings.runs) expect(nodeIds.has(`run:${s.info.run_id}`)).toBe(true);
      // the training datasets, by digest, feed the training run
      const inputs = run.inputs?.dataset_inputs ?? [];
      expect(inputs.length).toBeGreaterThan(0);
      for (const input of inputs) {
        expect(edgeRows).toContain(`dataset:${input.dataset.name}@${input.dataset.digest}->${runNode}`);
      }
      const vRow = nodeRows.find((n) => n.id === versionNode);
      for (const input of inputs) expect(String(vRow?.detail__training_datasets)).toContain(input.dataset.digest);
      expect(Object.keys(vRow ?? {}).some((k) => k.startsWith('detail__param.'))).toBe(true);
    }
    // aliases hang off their versions
    expect(edgeRows.some((e) => /^version:.*->alias:credit-risk@champion$/.test(e))).toBe(true);
  });

  it('shows the failed pipeline step as failed', async () => {
    const { body } = await query(app, [
      { refId: 'A', queryType: 'pipeline_runs', experiment: 'credit-risk-pipeline', ignoreTimeRange: true },
    ]);
    const rows = frameRows(firstFrame(body));
    const failed = rows.filter((r) => r.status === 'FAILED');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((r) => r.pipeline_status === 'FAILED')).toBe(true);
  });

  it('pipeline_runs as a node graph marks failed steps red', async () => {
    const { body } = await query(app, [
      {
        refId: 'A',
        queryType: 'pipeline_runs',
        experiment: 'credit-risk-pipeline',
        ignoreTimeRange: true,
        format: 'nodeGraph',
      },
    ]);
    const nodes = frameRows(body.results.A?.frames[0] as DataFrameJSON);
    const failed = nodes.filter((n) => n.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(2); // the step and its pipeline
    expect(failed.every((n) => n.color === 'red')).toBe(true);
  });
});

describe('variables and annotations', () => {
  it('lists models, versions, aliases, features, runs and experiments', async () => {
    const get = async (path: string) => (await app.inject({ url: `/api/v1/variables/${path}`, headers: AUTH })).json();
    expect(await get('models')).toContainEqual({ text: MODEL, value: MODEL });
    const versions = (await get(`versions?model=${MODEL}`)) as Array<{ value: string }>;
    expect(versions.map((v) => v.value).sort()).toEqual(['1', '2', '3']);
    const aliases = (await get(`aliases?model=${MODEL}`)) as Array<{ value: string }>;
    expect(aliases.map((a) => a.value).sort()).toEqual(['challenger', 'champion']);
    const features = (await get(`features?model=${MODEL}`)) as Array<{ value: string }>;
    expect(features.map((f) => f.value)).toEqual(expect.arrayContaining(['age', 'income', 'region']));
    // from the model signature: the target and the id column are not features
    expect(features.map((f) => f.value)).not.toContain('default');
    expect(features.map((f) => f.value)).not.toContain('application_id');
    // runs: the training run of each version, newest version first, as MLflow's registry records them.
    const registered = await mlflowRest<{ model_versions: Array<{ version: string; run_id: string }> }>(
      state.url,
      `model-versions/search?filter=${encodeURIComponent(`name='${MODEL}'`)}`
    );
    const byVersion = [...registered.model_versions].sort((a, b) => Number(b.version) - Number(a.version));
    const runs = (await get(`runs?model=${MODEL}`)) as Array<{ text: string; value: string }>;
    expect(runs.map((r) => r.value)).toEqual([...new Set(byVersion.map((v) => v.run_id))]);
    expect(runs[0]?.text).toMatch(new RegExp(`^v${byVersion[0]?.version ?? '?'}\\b`));
    const experiments = (await get('experiments')) as Array<{ text: string }>;
    expect(experiments.map((e) => e.text)).toEqual(
      expect.arrayContaining(['credit-risk-pipeline', 'mlsight-pagination'])
    );
  });

  it('names the missing model for model-scoped variables', async () => {
    const response = await app.inject({ url: '/api/v1/variables/versions', headers: AUTH });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'model' });
  });

  it('annotates every version registered in the range', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/annotations',
      headers: AUTH,
      payload: { from: 'now-1d', to: 'now+1h', model: MODEL, kinds: ['deployment', 'alias_change'] },
    });
    expect(response.statusCode).toBe(200);
    const events = response.json() as Array<{ kind: string; version?: string; title: string }>;
    expect(
      events
        .filter((e) => e.kind === 'deployment')
        .map((e) => e.version)
        .sort()
    ).toEqual(['1', '2', '3']);
    expect(events.filter((e) => e.kind === 'alias_change').map((e) => e.title)).toEqual(
      expect.arrayContaining([expect.stringContaining('@champion'), expect.stringContaining('@challenger')])
    );
  });
});

describe('the API surface', () => {
  it('answers a malformed query with 400 naming the field', async () => {
    const { status, body } = await query(app, [
      { refId: 'A', queryType: 'runs' },
      { refId: 'B', queryType: 'metric_history', runIds: ['x'] },
    ]);
    expect(status).toBe(400);
    expect(body.field).toBe('queries[1].metric');
    expect(body.message).toMatch(/^queries\[1\]\.metric: /);
  });

  it('refuses a request without a token and gives no data', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: { from: 'now-1d', to: 'now', queries: [{ refId: 'A', queryType: 'model_versions', model: MODEL }] },
    });
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('version');
  });

  it('reports readiness per dependency', async () => {
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      checks: { mlflow: { status: 'ok' }, store: { status: 'ok' } },
    });
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/query', '/api/v1/variables/{kind}', '/api/v1/annotations', '/readyz'])
    );
  });

  it('exports Prometheus metrics of what it answered, only with a token', async () => {
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const response = await app.inject({ url: '/metrics', headers: AUTH });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(/^mlsight_queries_total\{query_type="model_versions",outcome="ok"\} [1-9]/m);
    expect(response.body).toMatch(
      /^mlsight_http_requests_total\{route="\/api\/v1\/query",method="POST",status="400"\} [1-9]/m
    );
    expect(response.body).toMatch(/^mlsight_dependency_up\{dependency="mlflow"\} 1$/m);
  });

  it('answers a store query the store cannot serve with a clear error for that query only', async () => {
    const { status, body } = await query(app, [
      { refId: 'A', queryType: 'fairness', model: MODEL, segment: 'region' },
      { refId: 'B', queryType: 'model_versions', model: MODEL },
    ]);
    expect(status).toBe(200);
    expect(body.results.A?.status).toBe(404);
    expect(body.results.A?.error).toMatch(/segment attribute "region"/);
    expect(body.results.B?.frames.length).toBe(1);
  });
});
