import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type DataFrameJSON, fieldValues, frameRows, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { type StoreProxy, startStoreProxy } from '../support/storeProxy';

/**
 * Data quality, fairness and explanation numbers served over HTTP — after ingestion, storage and the query
 * handlers — against pandas / numpy / scikit-learn computed from the definitions on the same rows
 * (qualityFairness_fixtures.py), all within 1e-9.
 */
type Features = Record<string, number | string | null>;
interface Timed {
  bucket: number;
  offset_ms: number;
}
interface Fixtures {
  quality: {
    reference: Array<{ features: Features }>;
    rows: Array<Timed & { features: Features }>;
    expected: {
      buckets: Record<string, Record<string, Record<string, number>>>;
      referenceMissingRate: Record<string, number>;
    };
  };
  fairness: {
    rows: Array<Timed & { region: string; prediction: number; label: number | null }>;
    expected: {
      mostFavoured: string;
      summary: Record<string, number | boolean>;
      groups: Record<string, Record<string, number | boolean>>;
      groupsVsSouth: Record<string, Record<string, number | boolean>>;
    };
  };
  explanations: {
    features: string[];
    rows: Array<Timed & { attributions: Record<string, number>; score: number }>;
    expected: {
      global: Record<string, number>;
      globalSigned: Record<string, number>;
      perBucket: Record<string, Record<string, number>>;
      ndcg: Record<string, number>;
      ndcgAt3: Record<string, number>;
    };
  };
}

const TOLERANCE = 1e-9;
const HOUR = 3_600_000;
const python = process.env.MLSIGHT_PYTHON ?? join(__dirname, '../../.venv/bin/python');
const fixtures = JSON.parse(
  execFileSync(python, [join(__dirname, 'qualityFairness_fixtures.py')], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 })
) as Fixtures;

// Three whole hours that ended before the current one: bucket i starts at base + i hours.
const base = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
const window = { from: base, to: base + 3 * HOUR - 1, intervalMs: HOUR };
const timeOf = (row: Timed) => base + row.bucket * HOUR + row.offset_ms;

let proxy: StoreProxy | undefined;
let app: FastifyInstance;

async function post(url: string, payload: unknown, method: 'POST' | 'PUT' = 'POST') {
  const response = await app.inject({ method, url, payload: payload as Record<string, unknown> });
  expect(response.statusCode).toBe(200);
  return response.json() as { accepted: number; rejected: number };
}

async function results(queries: Array<Record<string, unknown>>) {
  const response = await app.inject({ method: 'POST', url: '/api/v1/query', payload: { ...window, queries } });
  expect(response.statusCode).toBe(200);
  return (response.json() as QueryResponse).results;
}

async function frames(query: Record<string, unknown>): Promise<DataFrameJSON[]> {
  const result = (await results([{ refId: 'A', ...query }])).A;
  if (!result || result.error) throw new Error(`query failed: ${result?.error}`);
  return result.frames;
}

function frameNamed(list: DataFrameJSON[], name: string): DataFrameJSON {
  const frame = list.find((f) => f.schema.name === name);
  if (!frame) throw new Error(`no frame ${name}`);
  return frame;
}

/** The values of the field with this name and these labels. */
function labelled(frame: DataFrameJSON, name: string, labels: Record<string, string>): unknown[] {
  const index = frame.schema.fields.findIndex(
    (f) => f.name === name && Object.entries(labels).every(([k, v]) => f.labels?.[k] === v)
  );
  if (index < 0) throw new Error(`no field ${name} ${JSON.stringify(labels)}`);
  return frame.data.values[index] ?? [];
}

const near = (actual: unknown, expected: number) =>
  expect(Math.abs(Number(actual) - expected)).toBeLessThanOrEqual(TOLERANCE);

beforeAll(async () => {
  // No MLflow behind this proxy: explanation drift falls back to the window's first bucket as its reference.
  proxy = await startStoreProxy('mlsight-fidelity-qf');
  app = proxy.app;

  const q = fixtures.quality;
  await post('/api/v1/models/quality/reference', { rows: q.reference }, 'PUT');
  const ingested = await post('/api/v1/models/quality/predictions', {
    rows: q.rows.map((r, i) => ({
      prediction_id: `q-${i}`,
      timestamp: timeOf(r),
      features: r.features,
      prediction: 0,
    })),
  });
  const refusedRows = q.rows.filter((r) => Object.values(r.features).some((v) => v === 'n/a' || v === 'unknown'));
  expect(ingested).toMatchObject({ accepted: q.rows.length - refusedRows.length, rejected: refusedRows.length });

  const f = fixtures.fairness;
  await post('/api/v1/models/fair/reference', { rows: [{ features: { x: 1 } }, { features: { x: 2 } }] }, 'PUT');
  await post('/api/v1/models/fair/predictions', {
    rows: f.rows.map((r, i) => ({
      prediction_id: `f-${i}`,
      timestamp: timeOf(r),
      features: { x: 1 },
      prediction: r.prediction,
      segment: { region: r.region },
    })),
  });
  const labels = f.rows.flatMap((r, i) => (r.label === null ? [] : [{ prediction_id: `f-${i}`, label: r.label }]));
  expect(await post('/api/v1/models/fair/labels', { rows: labels })).toMatchObject({ accepted: labels.length });

  const e = fixtures.explanations;
  await post('/api/v1/models/expl/reference', { rows: [{ features: { x: 1 } }, { features: { x: 2 } }] }, 'PUT');
  await post('/api/v1/models/expl/predictions', {
    rows: e.rows.map((r, i) => ({
      prediction_id: `e-${i}`,
      timestamp: timeOf(r),
      features: { x: 1 },
      prediction: 1,
      score: r.score,
      attributions: r.attributions,
    })),
  });
});

afterAll(async () => {
  await proxy?.close();
});

describe('data_quality over HTTP against pandas', () => {
  it('serves per-bucket missing, out-of-range, unseen and type-error rates and rows as pandas computes them', async () => {
    const list = await frames({ queryType: 'data_quality', model: 'quality' });
    const frame = frameNamed(list, 'data_quality');
    const times = fieldValues(frame, 'time') as number[];
    expect(times).toEqual([0, 1, 2].map((b) => base + b * HOUR));
    const expected = fixtures.quality.expected.buckets;
    let checked = 0;
    times.forEach((_, i) => {
      const bucket = expected[String(i)] ?? {};
      for (const [feature, metrics] of Object.entries(bucket)) {
        for (const [metric, value] of Object.entries(metrics)) {
          if (metric === 'rows') {
            expect((fieldValues(frame, 'rows') as number[])[i]).toBe(value);
          } else {
            near(labelled(frame, metric, { feature })[i], value);
          }
          checked++;
        }
      }
    });
    expect(checked).toBe(3 * (4 + 4 + 4));
  });

  it('states the reference missing rate, units and freshness', async () => {
    const list = await frames({ queryType: 'data_quality', model: 'quality' });
    const frame = frameNamed(list, 'data_quality');
    for (const [feature, rate] of Object.entries(fixtures.quality.expected.referenceMissingRate)) {
      const field = frame.schema.fields.find((f) => f.name === 'missing_rate' && f.labels?.feature === feature);
      near((field?.config?.custom as { referenceMissingRate: number }).referenceMissingRate, rate);
      expect(field?.config?.unit).toBe('percentunit');
    }
    const summary = frameRows(frameNamed(list, 'data_quality_summary'));
    expect(summary.map((r) => r.feature)).toEqual(['amount', 'channel', 'tenure']);
    for (const row of summary) {
      near(row.reference_missing_rate, fixtures.quality.expected.referenceMissingRate[String(row.feature)] ?? NaN);
      expect(Number(row.freshness)).toBeGreaterThanOrEqual(0);
    }
    expect(frame.schema.meta?.custom?.freshnessSeconds).toEqual(expect.any(Number));
  });
});

describe('fairness over HTTP against the fairlearn definitions (pandas)', () => {
  const expected = fixtures.fairness.expected;
  const check = (frame: DataFrameJSON, groups: Record<string, Record<string, number | boolean>>) => {
    const rows = frameRows(frame);
    expect(rows.map((r) => r.group)).toEqual(Object.keys(groups).sort());
    for (const row of rows) {
      const truth = groups[String(row.group)] ?? {};
      for (const [key, value] of Object.entries(truth)) {
        if (typeof value === 'boolean') expect(row[key]).toBe(value);
        else near(row[key], value);
      }
    }
  };

  it('per group against the most favoured group, and the between-groups summary', async () => {
    for (const segment of ['region', 'segment.region']) {
      const list = await frames({ queryType: 'fairness', model: 'fair', segment });
      const table = frameNamed(list, 'fairness');
      expect(table.schema.meta?.custom?.referenceGroup).toBe(expected.mostFavoured);
      check(table, expected.groups);
      const [summary] = frameRows(frameNamed(list, 'fairness_summary'));
      for (const [key, value] of Object.entries(expected.summary)) {
        if (typeof value === 'boolean') expect(summary?.[key]).toBe(value);
        else near(summary?.[key], value);
      }
    }
  });

  it('per group against a reference group given as field=value', async () => {
    const list = await frames({ queryType: 'fairness', model: 'fair', segment: 'region=south' });
    expect(frameNamed(list, 'fairness').schema.meta?.custom?.referenceGroup).toBe('south');
    check(frameNamed(list, 'fairness'), expected.groupsVsSouth);
  });

  it('an unknown segment attribute fails that query only, naming the attribute', async () => {
    const out = await results([
      { refId: 'A', queryType: 'fairness', model: 'fair', segment: 'gender' },
      { refId: 'B', queryType: 'fairness', model: 'fair', segment: 'region' },
    ]);
    expect(out.A?.status).toBe(404);
    expect(out.A?.error).toContain('"gender"');
    expect(out.B?.error).toBeUndefined();
    expect(out.B?.frames.length).toBe(2);
  });
});

describe('explanations over HTTP against numpy and sklearn.metrics.ndcg_score', () => {
  const expected = fixtures.explanations.expected;

  it('explanations_global from the store is the mean |attribution| over the window, largest first', async () => {
    const [frame] = await frames({ queryType: 'explanations_global', model: 'expl', source: 'store' });
    if (!frame) throw new Error('no frame');
    const rows = frameRows(frame);
    expect(frame.schema.meta?.custom?.source).toBe('store');
    const order = Object.entries(expected.global)
      .sort(([, a], [, b]) => b - a)
      .map(([f]) => f);
    expect(rows.map((r) => r.feature)).toEqual(order);
    for (const row of rows) {
      near(row.value, expected.global[String(row.feature)] ?? NaN);
      near(row.signed_value, expected.globalSigned[String(row.feature)] ?? NaN);
    }
    const [top2] = await frames({ queryType: 'explanations_global', model: 'expl', topN: 2 });
    expect(fieldValues(top2 as DataFrameJSON, 'feature')).toEqual(order.slice(0, 2));
  });

  it('explanation_drift: nDCG per bucket against the first bucket as sklearn computes it, with and without k', async () => {
    for (const [topN, truth] of [
      [undefined, expected.ndcg],
      [3, expected.ndcgAt3],
    ] as const) {
      const list = await frames({ queryType: 'explanation_drift', model: 'expl', ...(topN ? { topN } : {}) });
      const series = frameNamed(list, 'explanation_drift');
      expect(series.schema.meta?.custom?.referenceSource).toBe('first_bucket');
      const ndcg = fieldValues(series, 'ndcg') as number[];
      expect(ndcg).toHaveLength(3);
      ndcg.forEach((value, i) => near(value, truth[String(i)] ?? NaN));
      // The explanation-bars frame comes first, with the reference beside the window's importance.
      expect(list[0]?.schema.name).toBe('explanations');
      for (const row of frameRows(list[0] as DataFrameJSON)) {
        near(row.reference, expected.perBucket['0']?.[String(row.feature)] ?? NaN);
      }
    }
  });

  it('explanation_drift: per-feature change of mean |attribution| per bucket', async () => {
    const list = await frames({ queryType: 'explanation_drift', model: 'expl' });
    const change = frameNamed(list, 'explanation_drift_change');
    for (const feature of fixtures.explanations.features) {
      const values = labelled(change, 'change', { feature });
      [0, 1, 2].forEach((b) => {
        const now = expected.perBucket[String(b)]?.[feature] ?? NaN;
        const ref = expected.perBucket['0']?.[feature] ?? NaN;
        near(values[b], now - ref);
      });
    }
  });

  it('explanations_local: one stored prediction ordered for a waterfall; an unknown id fails that query only', async () => {
    const row = fixtures.explanations.rows[5];
    if (!row) throw new Error('fixture too small');
    const out = await results([
      { refId: 'A', queryType: 'explanations_local', model: 'expl', predictionId: 'e-5' },
      { refId: 'B', queryType: 'explanations_local', model: 'expl', predictionId: 'no-such-id' },
    ]);
    const frame = out.A?.frames[0];
    if (!frame) throw new Error(`no frame: ${out.A?.error}`);
    const byMagnitude = Object.entries(row.attributions).sort(([, a], [, b]) => Math.abs(b) - Math.abs(a));
    expect(fieldValues(frame, 'feature')).toEqual(byMagnitude.map(([f]) => f));
    expect(fieldValues(frame, 'attribution')).toEqual(byMagnitude.map(([, v]) => v));
    const meta = frame.schema.meta?.custom as { baseValue: number; prediction: number; predictionId: string };
    expect(meta.predictionId).toBe('e-5');
    // No MLflow here: the base value is derived so that base + Σ attributions = the stored score.
    near(meta.prediction, row.score);
    // Not in the store, and MLflow (where a SHAP artifact could hold it) is down: a per-query 503 naming the id.
    expect(out.B?.status).toBe(503);
    expect(out.B?.error).toContain('"no-such-id"');
  });
});
