import type { FastifyInstance } from 'fastify';
import type { DriftStore } from '../../backend-proxy/src/store';
import { AUTH, INGEST_TOKEN, readState, startProxy } from '../support/proxyHarness';

const state = readState();
let app: FastifyInstance;
let store: DriftStore;

const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };
const reference = {
  rows: [1, 2, 3, 4, 5, 6].map((i) => ({ features: { age: 30 + i, channel: i % 2 ? 'web' : 'app' } })),
};
const predictions = {
  rows: [0, 1, 2].map((i) => ({
    prediction_id: `p-${i}`,
    timestamp: Date.now() - i * 1000,
    features: { age: 40 + i, channel: 'web' },
    prediction: 1,
    segment: { region: i === 0 ? 'eu' : 'us' },
  })),
};

beforeAll(async () => {
  ({ app, store } = await startProxy(state.url));
});
afterAll(async () => {
  await app.close();
});

describe('ingestion behind bearer tokens', () => {
  it('refuses a missing token (401) and a read-only token (403) and writes nothing', async () => {
    const none = await app.inject({ method: 'PUT', url: '/api/v1/models/guarded/reference', payload: reference });
    expect(none.statusCode).toBe(401);
    const readOnly = await app.inject({
      method: 'POST',
      url: '/api/v1/models/guarded/predictions',
      headers: AUTH,
      payload: predictions,
    });
    expect(readOnly.statusCode).toBe(403);
    expect(await store.listModels()).toEqual([]);
    expect(await store.getPrediction('guarded', 'p-0')).toBeUndefined();
  });

  it('accepts the ingest token, and the stored features and segments feed the template variables', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/models/guarded/reference',
      headers: INGEST,
      payload: reference,
    });
    expect(put.statusCode).toBe(200);
    const post = await app.inject({
      method: 'POST',
      url: '/api/v1/models/guarded/predictions',
      headers: INGEST,
      payload: predictions,
    });
    expect(post.json()).toMatchObject({ accepted: 3, rejected: 0 });
    const features = await app.inject({ url: '/api/v1/variables/features?model=guarded', headers: AUTH });
    expect((features.json() as Array<{ value: string }>).map((f) => f.value).sort()).toEqual(['age', 'channel']);
    const segments = await app.inject({ url: '/api/v1/variables/segments?model=guarded', headers: AUTH });
    expect((segments.json() as Array<{ value: string }>).map((s) => s.value).sort()).toEqual([
      'region=eu',
      'region=us',
    ]);
  });
});
