import { MlflowClient, type MlflowReadOutcome } from './client';
import { type FakeHandler, type FakeMlflow, mlflowError, startFakeMlflow } from './fakeMlflowServer';

const RUN = { info: { run_id: 'r1', experiment_id: '1', status: 'FINISHED' }, data: { metrics: [], params: [] } };

let fake: FakeMlflow;
afterEach(async () => {
  await fake?.close();
});

async function clientOn(handler: FakeHandler) {
  fake = await startFakeMlflow(handler);
  const clock = { now: 1_000_000 };
  const client = new MlflowClient(
    {
      baseUrl: fake.url,
      auth: { type: 'none' },
      timeoutMs: 2000,
      retries: 0,
      backoffMs: 0,
      breaker: { failureThreshold: 100, resetMs: 10_000 },
      cacheTtlMs: 1000,
      staleTtlMs: 60_000,
    },
    { now: () => clock.now, sleep: async () => undefined }
  );
  const outcomes: MlflowReadOutcome[] = [];
  const stop = client.onReadOutcome((o) => outcomes.push(o));
  return { client, clock, outcomes, stop };
}

describe('MlflowClient read outcomes (mlsight_mlflow_requests_total)', () => {
  it('reports ok per MLflow round trip, nothing for cache hits or shared in-flight reads', async () => {
    const { client, clock, outcomes } = await clientOn(() => ({ body: { run: RUN } }));
    await Promise.all([client.getRun('r1'), client.getRun('r1')]);
    await client.getRun('r1');
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual(['ok']);
    clock.now += 1000;
    await client.getRun('r1');
    expect(outcomes).toEqual(['ok', 'ok']);
  });

  it('reports stale when a cached value stands in for a failure, error when nothing can', async () => {
    const { client, clock, outcomes } = await clientOn(() => ({ body: { run: RUN } }));
    await client.getRun('r1');
    fake.setHandler(() => mlflowError(503, 'TEMPORARILY_UNAVAILABLE', 'down'));
    clock.now += 1000;
    expect(await client.getRun('r1')).toEqual(RUN);
    await expect(client.getRun('r2')).rejects.toMatchObject({ status: 503 });
    expect(outcomes).toEqual(['ok', 'stale', 'error']);
  });

  it('counts an answered "not found" as ok but refused credentials as error', async () => {
    const { client, outcomes } = await clientOn((r) =>
      r.query.get('run_id') === 'gone'
        ? mlflowError(404, 'RESOURCE_DOES_NOT_EXIST', 'no run')
        : mlflowError(403, 'PERMISSION_DENIED', 'no')
    );
    await expect(client.getRun('gone')).rejects.toThrow();
    await expect(client.getRun('secret')).rejects.toThrow();
    expect(outcomes).toEqual(['ok', 'error']);
  });

  it('stops reporting once the listener is removed', async () => {
    const { client, outcomes, stop } = await clientOn(() => ({ body: { run: RUN } }));
    stop();
    await client.getRun('r1');
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual([]);
  });
});
