import { type DataFrameJSON, fieldValues, frameRows } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { INGEST_TOKEN, mlflowRest, query, readState, startProxy } from '../support/proxyHarness';

/**
 * Explanations against a real, seeded MLflow: global importances from the SHAP artifacts the seeder logged (checked
 * against the artifact read through MLflow's own REST API), a local explanation of one explained row, explanation
 * drift with the artifact as reference, and bad input (unknown segment, version without attributions, unknown
 * prediction id) failing its own query while the others in the same request succeed.
 */
interface ShapDocument {
  feature_names: string[];
  base_value: number;
  values: number[][];
  prediction_ids: string[];
}

const state = readState();
const MODEL = state.summary.modelName;
const NO_SHAP_MODEL = 'mlsight-it-no-shap';
const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };
let app: FastifyInstance;
let noShapVersion: string;

/** The SHAP artifact of a version, downloaded from MLflow directly (not through the proxy). */
async function artifactOf(version: string): Promise<ShapDocument> {
  const entry = state.summary.shapArtifacts.find((a) => a.version === version);
  if (!entry) throw new Error(`the seed summary has no SHAP artifact for version ${version}`);
  const url = `${state.url}/get-artifact?run_id=${entry.runId}&path=${encodeURIComponent(entry.path)}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`MLflow get-artifact: HTTP ${response.status}`);
  return (await response.json()) as ShapDocument;
}

function meanAbs(document: ShapDocument): Record<string, number> {
  const out: Record<string, number> = {};
  document.feature_names.forEach((feature, j) => {
    out[feature] = document.values.reduce((s, row) => s + Math.abs(row[j] ?? 0), 0) / document.values.length;
  });
  return out;
}

function ok(body: Awaited<ReturnType<typeof query>>['body'], refId: string): DataFrameJSON[] {
  const result = body.results[refId];
  if (!result) throw new Error(`no result for ${refId}`);
  if (result.error) throw new Error(`query ${refId} failed: ${result.error}`);
  return result.frames;
}

beforeAll(async () => {
  ({ app } = await startProxy(state.url));
  // A registered model whose only version has no run and no logged model: nothing can explain it.
  await mlflowRest(state.url, 'registered-models/create', { name: NO_SHAP_MODEL }).catch((err: Error) => {
    if (!/RESOURCE_ALREADY_EXISTS/.test(err.message)) throw err;
  });
  const created = await mlflowRest<{ model_version: { version: string } }>(state.url, 'model-versions/create', {
    name: NO_SHAP_MODEL,
    source: 's3://mlsight-it/no-shap/model',
  });
  noShapVersion = created.model_version.version;
});
afterAll(async () => {
  await app.close();
});

describe('explanations_global from MLflow SHAP artifacts', () => {
  it.each(Object.entries(state.summary.aliases))(
    'alias %s (version %s): mean |SHAP| per feature equals the artifact read through MLflow REST',
    async (alias, version) => {
      const truth = meanAbs(await artifactOf(version));
      const { status, body } = await query(app, [
        { refId: 'A', queryType: 'explanations_global', model: MODEL, alias, source: 'mlflow' },
      ]);
      expect(status).toBe(200);
      const [frame] = ok(body, 'A');
      if (!frame) throw new Error('no frame');
      expect(frame.schema.meta?.custom).toMatchObject({ source: 'mlflow', version });
      const rows = frameRows(frame);
      expect(rows.map((r) => r.feature).sort()).toEqual(Object.keys(truth).sort());
      for (const row of rows)
        expect(Math.abs(Number(row.value) - (truth[String(row.feature)] ?? NaN))).toBeLessThan(1e-12);
      const values = rows.map((r) => Number(r.value));
      expect(values).toEqual([...values].sort((a, b) => b - a));
    }
  );
});

describe('explanations_local from the SHAP artifact', () => {
  it('returns the attributions, base value and output of one explained prediction', async () => {
    const version = state.summary.aliases.champion;
    if (!version) throw new Error('no champion alias in the seed');
    const document = await artifactOf(version);
    const id = document.prediction_ids[3];
    const values = document.values[3];
    if (!id || !values) throw new Error('artifact too small');
    const { body } = await query(app, [
      { refId: 'A', queryType: 'explanations_local', model: MODEL, version, predictionId: id },
    ]);
    const [frame] = ok(body, 'A');
    if (!frame) throw new Error('no frame');
    const byFeature = Object.fromEntries(document.feature_names.map((f, j) => [f, values[j]]));
    const features = fieldValues(frame, 'feature') as string[];
    const attributions = fieldValues(frame, 'attribution') as number[];
    features.forEach((f, i) => expect(attributions[i]).toBe(byFeature[f]));
    expect(attributions.map(Math.abs)).toEqual([...attributions.map(Math.abs)].sort((a, b) => b - a));
    const meta = frame.schema.meta?.custom as { baseValue: number; prediction: number };
    expect(meta.baseValue).toBe(document.base_value);
    const sum = values.reduce((s, v) => s + v, document.base_value);
    expect(Math.abs(meta.prediction - sum)).toBeLessThan(1e-12);
  });
});

describe('explanation_drift with the MLflow artifact as reference', () => {
  it("compares ingested attributions with the version's mean |SHAP|", async () => {
    const version = state.summary.aliases.champion;
    if (!version) throw new Error('no champion alias in the seed');
    const document = await artifactOf(version);
    const reference = await app.inject({
      method: 'PUT',
      url: `/api/v1/models/${MODEL}/reference`,
      headers: INGEST,
      payload: { rows: [1, 2, 3].map((x) => ({ features: { x } })) },
    });
    expect(reference.statusCode).toBe(200);
    const now = Date.now();
    const ingest = await app.inject({
      method: 'POST',
      url: `/api/v1/models/${MODEL}/predictions`,
      headers: INGEST,
      payload: {
        rows: document.values.slice(0, 50).map((row, i) => ({
          prediction_id: `it-expl-${i}`,
          timestamp: now - 60_000 + i,
          version,
          features: { x: 1 },
          prediction: 1,
          segment: { region: i % 2 ? 'north' : 'south' },
          attributions: Object.fromEntries(document.feature_names.map((f, j) => [f, row[j] ?? 0])),
        })),
      },
    });
    expect(ingest.json()).toMatchObject({ accepted: 50, rejected: 0 });
    const { body } = await query(app, [{ refId: 'A', queryType: 'explanation_drift', model: MODEL, version }], {
      from: 'now-1h',
      to: 'now+1h',
    });
    const frames = ok(body, 'A');
    const bars = frames[0];
    if (!bars) throw new Error('no frame');
    expect(bars.schema.meta?.custom).toMatchObject({ referenceSource: 'mlflow:explanations/shap_values.json' });
    const truth = meanAbs(document);
    for (const row of frameRows(bars)) {
      expect(Math.abs(Number(row.reference) - (truth[String(row.feature)] ?? NaN))).toBeLessThan(1e-12);
    }
    const ndcg = fieldValues(frames.find((f) => f.schema.name === 'explanation_drift') as DataFrameJSON, 'ndcg');
    expect(ndcg?.length).toBeGreaterThan(0);
    for (const v of ndcg ?? []) expect(Number(v)).toBeGreaterThan(0);
  });
});

describe('bad input fails its own query only', () => {
  it('unknown segment, version without attributions and unknown prediction id → per-query errors', async () => {
    const { status, body } = await query(
      app,
      [
        { refId: 'A', queryType: 'fairness', model: MODEL, segment: 'segment.gender' },
        { refId: 'B', queryType: 'explanations_global', model: NO_SHAP_MODEL, version: noShapVersion },
        { refId: 'C', queryType: 'explanations_local', model: MODEL, predictionId: 'no-such-prediction' },
        { refId: 'D', queryType: 'explanations_global', model: MODEL, alias: 'champion', source: 'mlflow' },
        { refId: 'E', queryType: 'fairness', model: MODEL, segment: 'region' },
      ],
      { from: 'now-1h', to: 'now+1h' }
    );
    expect(status).toBe(200);
    expect(body.results.A).toMatchObject({ status: 404, error: expect.stringContaining('"gender"') });
    expect(body.results.B).toMatchObject({ status: 404, error: expect.stringContaining(NO_SHAP_MODEL) });
    expect(body.results.B?.error).toContain(`version ${noShapVersion}`);
    expect(body.results.C).toMatchObject({ status: 404, error: expect.stringContaining('"no-such-prediction"') });
    expect(ok(body, 'D')[0]?.data.values[0]?.length).toBeGreaterThan(0);
    expect(frameRows(ok(body, 'E')[0] as DataFrameJSON).map((r) => r.group)).toEqual(['north', 'south']);
  });
});
