import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameRows, PREDICTION_ROWS_FRAME, type QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/config';
import { buildApp } from '../../server/app';
import { mlflowFromConfig } from '../../server/mlflowFromConfig';
import { openSqliteStore } from '../../store/sqliteStore';
import type { DriftStore } from '../../store/types';
import { queryHandlers } from '..';

const HOUR = 3_600_000;
const START = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
const REGIONS = ['eu', 'us', 'apac'];

/** Row i: amount i, region by i mod 3, one second apart from START. */
function prediction(i: number) {
  return {
    prediction_id: `p-${i}`,
    timestamp: START + i * 1000,
    features: { amount: i, region: REGIONS[i % 3] },
    segment: { channel: i % 2 === 0 ? 'web' : 'app' },
    prediction: i % 2,
    score: (i % 10) / 10,
  };
}

describe('predictions query on a SQLite store, through the query route', () => {
  let dir: string;
  let store: DriftStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-predictions-'));
    store = await openSqliteStore(join(dir, 'store.db'));
    const reference = Array.from({ length: 60 }, (_, i) => ({ features: prediction(i).features, prediction: i % 2 }));
    await store.putReference('m', { rows: reference });
    await store.ingestPredictions(
      'm',
      Array.from({ length: 30 }, (_, i) => prediction(i))
    );
    // Labels for the even rows only; the odd ones have none yet.
    await store.ingestLabels(
      'm',
      Array.from({ length: 15 }, (_, k) => ({ prediction_id: `p-${2 * k}`, label: (2 * k) % 3 === 0 ? 1 : 0 }))
    );
    const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
    app = await buildApp({
      config,
      mlflow: mlflowFromConfig(config.mlflow),
      store,
      handlers: queryHandlers,
      logger: false,
    });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (query: Record<string, unknown>) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: {
        from: START,
        to: START + HOUR,
        queries: [{ refId: 'A', queryType: 'predictions', model: 'm', ...query }],
      },
    });
    return { status: res.statusCode, body: res.json<QueryResponse & { message?: string }>() };
  };

  it('answers the rows earliest first with typed feature columns and the labels joined by id', async () => {
    const { status, body } = await ask({ limit: 100 });
    expect(status).toBe(200);
    const frame = body.results.A?.frames[0];
    if (!frame) throw new Error('no frame');
    expect(frame.schema.meta?.preferredVisualisationType).toBe('table');
    expect(frame.schema.meta?.notices).toBeUndefined();
    const types = Object.fromEntries(frame.schema.fields.map((f) => [f.name, f.type]));
    expect(types).toEqual({
      time: 'time',
      prediction_id: 'string',
      version: 'string',
      amount: 'number',
      region: 'string',
      // The reference profiled the 0/1 prediction as a categorical column: the class is shown as text.
      prediction: 'string',
      score: 'number',
      label: 'number',
    });
    const rows = frameRows(frame);
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual({
      time: START,
      prediction_id: 'p-0',
      version: null,
      amount: 0,
      region: 'eu',
      prediction: '0',
      score: 0,
      label: 1,
    });
    expect(rows[4]).toMatchObject({ prediction_id: 'p-4', amount: 4, region: 'us', label: 0 });
    // An odd row has no label yet.
    expect(rows[7]).toMatchObject({ prediction_id: 'p-7', region: 'us', label: null });
    expect(rows.filter((r) => r[PREDICTION_ROWS_FRAME.label] !== null)).toHaveLength(15);
  });

  it('shows only the chosen features, filters by segment, and says when the range held more than the limit', async () => {
    const { body } = await ask({ features: ['region'], segment: 'channel=app', limit: 5 });
    const frame = body.results.A?.frames[0];
    if (!frame) throw new Error('no frame');
    expect(frame.schema.fields.map((f) => f.name)).toEqual([
      'time',
      'prediction_id',
      'version',
      'region',
      'prediction',
      'score',
      'label',
    ]);
    const rows = frameRows(frame);
    expect(rows.map((r) => r.prediction_id)).toEqual(['p-1', 'p-3', 'p-5', 'p-7', 'p-9']);
    expect(frame.schema.meta?.notices).toEqual([
      expect.objectContaining({ text: expect.stringContaining('the first 5 rows of the range') }),
    ]);
  });

  it('answers exactly `limit` rows without a notice when the range holds no more', async () => {
    const { body } = await ask({ limit: 30 });
    const frame = body.results.A?.frames[0];
    expect(frame && frameRows(frame)).toHaveLength(30);
    expect(frame?.schema.meta?.notices).toBeUndefined();
  });

  it("pinned to a version, joins a label the store linked to a challenger's later row with the same id", async () => {
    const champion = { ...prediction(100), prediction_id: 'shadow-1', version: '1', timestamp: START + 40 * 60_000 };
    // The challenger scores the same request 30 minutes later, after the range's end: the label links to its row.
    const challenger = { ...champion, version: '2', timestamp: START + 70 * 60_000 };
    // A model of its own, so the other tests' rows stay as they are.
    await store.putReference('shadow', { rows: [0, 1, 2].map((i) => ({ features: prediction(i).features })) });
    await store.ingestPredictions('shadow', [champion, challenger]);
    await store.ingestLabels('shadow', [{ prediction_id: 'shadow-1', label: 1 }]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: {
        from: START + 30 * 60_000,
        to: START + 60 * 60_000,
        queries: [{ refId: 'A', queryType: 'predictions', model: 'shadow', version: '1' }],
      },
    });
    const frame = res.json<QueryResponse>().results.A?.frames[0];
    if (!frame) throw new Error('no frame');
    expect(frameRows(frame)).toEqual([expect.objectContaining({ prediction_id: 'shadow-1', version: '1', label: 1 })]);
    expect(frame.schema.meta?.custom).toMatchObject({ version: '1', truncated: false });
  });

  it('refuses a bad limit with a 400 naming the field', async () => {
    for (const limit of [0, 1001, 2.5]) {
      const { status, body } = await ask({ limit });
      expect(status).toBe(400);
      expect((body as unknown as { field?: string }).field).toMatch(/limit$/);
    }
  });

  it('refuses a feature the reference does not have, naming the field', async () => {
    const { body } = await ask({ features: ['nope'] });
    expect(body.results.A?.status).toBe(404);
    expect(body.results.A?.error).toMatch(/^features: "nope" is not in the reference/);
  });
});
