import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type DataFrameJSON, fieldValues, MULTIVARIATE_DRIFT_FRAME as F, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { type StoreProxy, startStoreProxy } from '../support/storeProxy';

/**
 * Multivariate drift as the proxy serves it over HTTP — reference and predictions ingested, stored, read back and
 * answered by the `multivariate_drift` handler — against NannyML 0.13.1's DataReconstructionDriftCalculator on the
 * same rows: per hourly chunk the reconstruction error, its sampling error and confidence bounds, the thresholds of
 * the reference band and the alert, equal within 1e-6 (the tolerance docs/drift-verdicts.md states), with numeric
 * and categorical features, missing values in both and a category the reference never had.
 */
type Nullable = number | null;
type Cell = number | string | null;
interface Chunk {
  start_ms: number;
  rows: number;
  value: number;
  sampling_error: Nullable;
  lower_confidence: Nullable;
  upper_confidence: Nullable;
  lower_threshold: Nullable;
  upper_threshold: Nullable;
  alert: boolean;
}
interface Fixtures {
  hourMs: number;
  analysisHours: number;
  shiftHour: number;
  chunkSize: number;
  kinds: Record<string, 'numeric' | 'categorical'>;
  components: number;
  explainedVariance: number;
  referenceChunks: number;
  reference: Array<Record<string, Cell>>;
  analysis: Array<Record<string, Cell> & { ts: number }>;
  chunks: Chunk[];
}

const TOLERANCE = 1e-6;
const venv = process.env.MLSIGHT_VENV ?? join(__dirname, '../../.venv');
const python = process.env.MLSIGHT_PYTHON ?? join(venv, 'bin/python');
const fixtures = JSON.parse(
  execFileSync(python, [join(__dirname, 'multivariate_reference.py')], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    env: { ...process.env, NML_DISABLE_USAGE_LOGGING: '1', NANNYML_DISABLE_USAGE_LOGGING: '1' },
  })
) as Fixtures;

const HOUR = fixtures.hourMs;
const MODEL = 'multivariate';
// Hour-aligned, so NannyML's hourly chunks are the proxy's buckets; inside the raw retention.
const windowFrom = Math.floor(Date.now() / HOUR) * HOUR - (fixtures.analysisHours + 2) * HOUR;
const windowTo = windowFrom + fixtures.analysisHours * HOUR;

let proxy: StoreProxy | undefined;
let app: FastifyInstance;

async function send(method: 'PUT' | 'POST', url: string, payload: unknown) {
  const response = await app.inject({ method, url, payload: payload as Record<string, unknown> });
  expect(response.statusCode).toBe(200);
  const body = response.json() as { rejected?: number; errors?: unknown[] };
  expect(body.errors ?? []).toEqual([]);
}

const featuresOf = (row: Record<string, Cell>) =>
  Object.fromEntries(Object.keys(fixtures.kinds).map((f) => [f, row[f] ?? null]));

async function query(extra: Record<string, unknown>) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    payload: {
      from: windowFrom,
      to: windowTo,
      intervalMs: HOUR,
      queries: [{ refId: 'A', queryType: 'multivariate_drift', model: MODEL, ...extra }],
    },
  });
  expect(response.statusCode).toBe(200);
  return (response.json() as QueryResponse).results.A;
}

async function frameOf(extra: Record<string, unknown>): Promise<DataFrameJSON> {
  const result = await query(extra);
  const frame = result?.frames[0];
  if (!result || result.error || !frame) throw new Error(`query failed: ${result?.error}`);
  return frame;
}

const values = (frame: DataFrameJSON, name: string) => fieldValues(frame, name) as unknown[];

function expectClose(actual: unknown[], expected: Nullable[]) {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i];
    if (e === null) expect(a).toBeNull();
    else expect(Math.abs((a as number) - e)).toBeLessThanOrEqual(TOLERANCE);
  });
}

beforeAll(async () => {
  proxy = await startStoreProxy('mlsight-multivariate-fidelity');
  app = proxy.app;
  await send('PUT', `/api/v1/models/${MODEL}/reference`, {
    kinds: fixtures.kinds,
    rows: fixtures.reference.map((r) => ({ features: featuresOf(r) })),
  });
  for (let start = 0; start < fixtures.analysis.length; start += 5000) {
    const slice = fixtures.analysis.slice(start, start + 5000);
    await send('POST', `/api/v1/models/${MODEL}/predictions`, {
      rows: slice.map((r, i) => ({
        prediction_id: `m${start + i}`,
        timestamp: windowFrom + r.ts,
        features: featuresOf(r),
        prediction: 0,
      })),
    });
  }
}, 120_000);

afterAll(async () => {
  await proxy?.close();
});

describe('multivariate drift (data reconstruction error) equals NannyML', () => {
  test('per hourly chunk: reconstruction error, sampling error, confidence bounds, thresholds and alert', async () => {
    const frame = await frameOf({ chunkSize: fixtures.chunkSize });
    const chunks = fixtures.chunks;
    expect(chunks).toHaveLength(fixtures.analysisHours);
    expect(values(frame, F.time)).toEqual(chunks.map((c) => windowFrom + c.start_ms));
    expect(values(frame, F.rows)).toEqual(chunks.map((c) => c.rows));
    expectClose(
      values(frame, F.value),
      chunks.map((c) => c.value)
    );
    expectClose(
      values(frame, F.samplingError),
      chunks.map((c) => c.sampling_error)
    );
    expectClose(
      values(frame, F.lowerConfidence),
      chunks.map((c) => c.lower_confidence)
    );
    expectClose(
      values(frame, F.upperConfidence),
      chunks.map((c) => c.upper_confidence)
    );
    expectClose(
      values(frame, F.lowerThreshold),
      chunks.map((c) => c.lower_threshold)
    );
    expectClose(
      values(frame, F.upperThreshold),
      chunks.map((c) => c.upper_threshold)
    );
    expect(values(frame, F.alert)).toEqual(chunks.map((c) => c.alert));
    const custom = frame.schema.meta?.custom ?? {};
    expect(custom.components).toBe(fixtures.components);
    expect(Math.abs((custom.explainedVariance as number) - fixtures.explainedVariance)).toBeLessThanOrEqual(1e-9);
    expect(custom.referenceChunks).toBe(fixtures.referenceChunks);
    expect(custom.chunkSize).toBe(fixtures.chunkSize);
  });

  test('the fixture exercises the band: no healthy hour alerts, every hour after the correlation breaks does', () => {
    const healthy = fixtures.chunks.slice(0, fixtures.shiftHour);
    const broken = fixtures.chunks.slice(fixtures.shiftHour);
    expect(healthy.filter((c) => c.alert)).toHaveLength(0);
    expect(broken.filter((c) => !c.alert)).toHaveLength(0);
  });

  test('without a chunk size the reference chunks have the median rows of the range’s buckets', async () => {
    const frame = await frameOf({});
    const sizes = [...fixtures.chunks.map((c) => c.rows)].sort((a, b) => a - b);
    const mid = sizes.length / 2;
    const median = Math.round(((sizes[mid - 1] as number) + (sizes[mid] as number)) / 2);
    expect(frame.schema.meta?.custom?.chunkSize).toBe(median);
    expect(frame.schema.meta?.custom?.referenceChunks).toBe(Math.floor(fixtures.reference.length / median));
    // The chunk values do not depend on the band.
    expectClose(
      values(frame, F.value),
      fixtures.chunks.map((c) => c.value)
    );
  });

  test('a chunk size leaving fewer than two reference chunks is refused with a sentence naming the field', async () => {
    const result = await query({ chunkSize: fixtures.reference.length });
    expect(result?.status).toBe(422);
    expect(result?.error).toMatch(/^chunkSize: .*make 1 chunk\(s\) of 5000; a band needs at least 2/);
  });

  test('a feature the reference does not have is refused by name', async () => {
    const result = await query({ features: ['x1', 'nope'] });
    expect(result?.status).toBe(400);
    expect(result?.error).toBe(`features: not in the reference of "${MODEL}": nope`);
  });
});
