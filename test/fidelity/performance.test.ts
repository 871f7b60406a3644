import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type DataFrameJSON, fieldValues, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { type StoreProxy, startStoreProxy } from '../support/storeProxy';

/**
 * Realised and estimated performance as the proxy serves them over HTTP — after ingestion of predictions and
 * delayed labels, storage and the query handlers — against scikit-learn and NannyML 0.13.1 on the same rows:
 * every realised metric per hourly bucket equal to scikit-learn within 1e-9 (string labels, a single-class bucket,
 * multiclass, regression), from the rows and from the per-bucket summaries (ROC AUC there within its stated bound); CBPE estimates and bands equal to NannyML's within 1e-6 on the same hourly chunks; and on
 * a calibrated model, every realised value inside CBPE's own ±3 SE band.
 */
type Nullable = number | null;
interface RealisedSet {
  name: string;
  rows: Array<{ ts: number; label: string | number; prediction: string | number; score: number | number[] | null }>;
  expected: Array<Record<string, Nullable> & { bucket: number; labelled_rows: number }>;
  curve?: { fraction_positive: number[]; mean_predicted: number[]; rows: number[] };
}
interface CbpeRow {
  ts: number;
  score: number;
  prediction: number;
  label: number;
}
interface CbpeSet {
  name: string;
  reference: CbpeRow[];
  analysis: CbpeRow[];
  needs_calibration: boolean;
  chunks: Array<
    { start_ms: number } & Record<
      string,
      { value: Nullable; sampling_error: Nullable; lower: Nullable; upper: Nullable }
    >
  >;
}
interface Fixtures {
  hourMs: number;
  referenceHours: number;
  analysisHours: number;
  realised: RealisedSet[];
  cbpe: CbpeSet[];
}

const python = process.env.MLSIGHT_PYTHON ?? join(__dirname, '../../.venv/bin/python');
const fixtures = JSON.parse(
  execFileSync(python, [join(__dirname, 'performance_reference.py')], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    env: { ...process.env, NML_DISABLE_USAGE_LOGGING: '1', NANNYML_DISABLE_USAGE_LOGGING: '1' },
  })
) as Fixtures;

const HOUR = fixtures.hourMs;
// Hour-aligned, so the fixtures' hourly buckets are the proxy's; ten hours back, inside the raw retention.
const base = Math.floor(Date.now() / HOUR) * HOUR - 10 * HOUR;
const windowFrom = base + fixtures.referenceHours * HOUR;
const windowTo = windowFrom + fixtures.analysisHours * HOUR;

let proxy: StoreProxy | undefined;
let app: FastifyInstance;

async function send(method: 'PUT' | 'POST', url: string, payload: unknown) {
  const response = await app.inject({ method, url, payload: payload as Record<string, unknown> });
  expect(response.statusCode).toBe(200);
  const body = response.json() as { rejected?: number; errors?: unknown[] };
  expect(body.errors ?? []).toEqual([]);
}

async function ingest(
  model: string,
  rows: ReadonlyArray<{ ts: number; label: unknown; prediction: unknown; score: unknown }>
): Promise<void> {
  await send('PUT', `/api/v1/models/${model}/reference`, { rows: [{ features: { x: 0 } }, { features: { x: 1 } }] });
  for (let start = 0; start < rows.length; start += 5000) {
    const slice = rows.slice(start, start + 5000);
    await send('POST', `/api/v1/models/${model}/predictions`, {
      rows: slice.map((r, i) => ({
        prediction_id: `p${start + i}`,
        timestamp: base + r.ts,
        features: { x: (start + i) % 2 },
        prediction: r.prediction,
        score: r.score,
      })),
    });
    await send('POST', `/api/v1/models/${model}/labels`, {
      rows: slice.map((r, i) => ({ prediction_id: `p${start + i}`, label: r.label })),
    });
  }
}

async function query(body: Record<string, unknown>): Promise<DataFrameJSON[]> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    payload: { from: windowFrom, to: windowTo, intervalMs: HOUR, queries: [{ refId: 'A', ...body }] },
  });
  expect(response.statusCode).toBe(200);
  const result = (response.json() as QueryResponse).results.A;
  if (!result || result.error) throw new Error(`query failed: ${result?.error}`);
  return result.frames;
}

const numbers = (frame: DataFrameJSON | undefined, name: string) =>
  (frame ? fieldValues(frame, name) : undefined) as Nullable[];

beforeAll(async () => {
  proxy = await startStoreProxy('mlsight-perf-fidelity');
  app = proxy.app;
  for (const set of fixtures.realised) await ingest(set.name, set.rows);
  for (const set of fixtures.cbpe) await ingest(set.name, [...set.reference, ...set.analysis]);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
});

/** The bound a frame computed from score bins states for its ROC AUC (0 when none is stated). */
function statedAucBound(frame: DataFrameJSON | undefined): number {
  const text = frame?.schema.meta?.notices?.map((n) => n.text).find((t) => t.startsWith('ROC AUC from'));
  const match = text ? /within ±([0-9.e+-]+)/.exec(text) : null;
  return match ? Number(match[1]) : 0;
}

describe.each(fixtures.realised.map((s) => [s.name, s] as const))('realised performance of %s', (_name, set) => {
  // Row-level (exact: true) and from the per-bucket summaries (exact: false): every exact metric within 1e-9 of
  // scikit-learn both ways; the binned ROC AUC within the bound its notice states.
  test.each([true, false])(
    'every metric per bucket equals scikit-learn (exact: %s), with the labelled rows it rests on',
    async (exact) => {
      const [frame, curveFrame] = await query({ queryType: 'performance', model: set.name, exact });
      expect(frame?.schema.meta?.custom?.source).toBe(exact ? 'rows' : 'summaries');
      expect(numbers(frame, 'time')).toEqual(set.expected.map((e) => windowFrom + e.bucket * HOUR));
      expect(numbers(frame, 'labelled_rows')).toEqual(set.expected.map((e) => e.labelled_rows));
      const metrics = Object.keys(set.expected[0] ?? {}).filter((k) => k !== 'bucket' && k !== 'labelled_rows');
      expect(metrics.length).toBeGreaterThan(3);
      const aucBound = statedAucBound(frame);
      if (exact) expect(aucBound).toBe(0);
      for (const metric of metrics) {
        const served = numbers(frame, metric);
        const tolerance = metric === 'roc_auc' ? aucBound + 1e-9 : 1e-9;
        set.expected.forEach((e, i) => {
          const want = e[metric] ?? null;
          if (want === null) expect(served[i]).toBeNull();
          else expect(Math.abs((served[i] as number) - want)).toBeLessThanOrEqual(tolerance);
        });
      }
      if (set.curve) {
        expect(numbers(curveFrame, 'rows')).toEqual(set.curve.rows);
        numbers(curveFrame, 'fraction_positive').forEach((v, i) =>
          expect(Math.abs((v as number) - (set.curve?.fraction_positive[i] as number))).toBeLessThanOrEqual(1e-9)
        );
        numbers(curveFrame, 'mean_predicted').forEach((v, i) =>
          expect(Math.abs((v as number) - (set.curve?.mean_predicted[i] as number))).toBeLessThanOrEqual(1e-9)
        );
      }
    }
  );
});

test('the single-class bucket states why ROC AUC is missing instead of failing the query', async () => {
  const [frame] = await query({ queryType: 'performance', model: 'perf_binary' });
  expect(numbers(frame, 'roc_auc').filter((v) => v === null)).toHaveLength(1);
  expect(frame?.schema.meta?.notices?.map((n) => n.text).join(' ')).toMatch(/ROC AUC: only one class/);
});

const cbpeMetrics = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'];

test('CBPE on a miscalibrated model equals NannyML 0.13.1 within 1e-6, bands included', async () => {
  const set = fixtures.cbpe.find((s) => s.name === 'cbpe_miscalibrated') as CbpeSet;
  expect(set.needs_calibration).toBe(true);
  const [frame] = await query({ queryType: 'estimated_performance', model: set.name });
  expect(frame?.schema.meta?.custom?.calibrated).toBe(true);
  expect(numbers(frame, 'time')).toEqual(set.chunks.map((c) => base + c.start_ms));
  for (const metric of cbpeMetrics) {
    const value = numbers(frame, metric);
    const lower = numbers(frame, `${metric}_lower`);
    const upper = numbers(frame, `${metric}_upper`);
    set.chunks.forEach((chunk, i) => {
      const want = chunk[metric];
      expect(Math.abs((value[i] as number) - (want?.value as number))).toBeLessThanOrEqual(1e-6);
      expect(Math.abs((lower[i] as number) - (want?.lower as number))).toBeLessThanOrEqual(1e-6);
      expect(Math.abs((upper[i] as number) - (want?.upper as number))).toBeLessThanOrEqual(1e-6);
    });
  }
});

test('CBPE on a calibrated model holds every realised value inside its own ±3 SE band', async () => {
  const set = fixtures.cbpe.find((s) => s.name === 'cbpe_calibrated') as CbpeSet;
  const [frame] = await query({ queryType: 'estimated_performance', model: set.name });
  expect(numbers(frame, 'labelled_rows').every((n) => (n as number) > 0)).toBe(true);
  for (const metric of cbpeMetrics) {
    const realised = numbers(frame, `${metric}_realised`);
    const lower = numbers(frame, `${metric}_lower`);
    const upper = numbers(frame, `${metric}_upper`);
    realised.forEach((r, i) => {
      expect(r).not.toBeNull();
      expect(r as number).toBeGreaterThanOrEqual(lower[i] as number);
      expect(r as number).toBeLessThanOrEqual(upper[i] as number);
    });
  }
});
