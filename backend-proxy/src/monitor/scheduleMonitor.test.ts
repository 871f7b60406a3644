import { Registry } from 'prom-client';
import type { DriftStore, ModelSummary } from '../store/types';
import { MonitorGauges } from './monitorGauges';
import { Monitor, scheduleMonitor } from './scheduleMonitor';
import type { computeModelSnapshot } from './snapshot';

const model = (name: string, versions: Array<string | null> = [null]): ModelSummary => ({
  model: name,
  createdAtMs: 0,
  lastIngestAtMs: null,
  references: versions.map((version, id) => ({ id, version, createdAtMs: 0, rowCount: 10 })),
});

function fixture(models: () => Promise<ModelSummary[]>, computeSnapshot: typeof computeModelSnapshot) {
  const registry = new Registry();
  const gauges = new MonitorGauges(registry);
  const logs: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const log = {
    info: (obj: object, msg?: string) => logs.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj: object, msg?: string) => logs.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  };
  const store = { listModels: models } as unknown as DriftStore;
  const monitor = new Monitor(store, gauges, { windowMs: 3_600_000, log, now: () => 7_000_000, computeSnapshot });
  return { registry, gauges, logs, monitor };
}

/** Stands in for the snapshot: rows = how many times the target was computed; `failing` models throw. */
function stubSnapshots(failing: Set<string>) {
  const calls: string[] = [];
  const compute: typeof computeModelSnapshot = async (_store, name, window, opts = {}) => {
    calls.push(`${name}@${opts.version ?? ''}`);
    if (failing.has(name)) throw new Error(`store read failed for ${name}`);
    return {
      model: name,
      version: opts.version ?? '',
      window,
      rows: calls.length,
      freshnessSeconds: null,
      features: [],
      dataset: { share: null, drifted: null },
      quality: [],
      contributed: [],
      contributorErrors: [],
    };
  };
  return { calls, compute };
}

const value = async (registry: Registry, name: string, labels: Record<string, string>) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
};

describe('Monitor.run', () => {
  it('snapshots every model over all versions and each version with its own reference; logs one line per run', async () => {
    const { calls, compute } = stubSnapshots(new Set());
    const { monitor, registry, logs } = fixture(async () => [model('a'), model('b', [null, '2', '3'])], compute);
    const summary = await monitor.run();
    expect(calls).toEqual(['a@', 'b@', 'b@2', 'b@3']);
    expect(summary).toMatchObject({ models: 2, targets: 4, samples: 4, errors: 0 });
    expect(await value(registry, 'mlsight_data_rows', { model: 'b', version: '3' })).toBe(4);
    expect(await value(registry, 'mlsight_monitor_last_run_timestamp_seconds', {})).toBe(7000);
    const line = logs.find((l) => l.msg === 'monitor run');
    expect(line?.obj).toMatchObject({ models: 2, targets: 4, samples: 4, errors: 0 });
    expect(typeof line?.obj.durationMs).toBe('number');
  });

  it('keeps the previous values of a model whose snapshot fails, counts and logs the error, drops vanished models', async () => {
    const failing = new Set<string>();
    const { compute } = stubSnapshots(failing);
    let models = [model('a'), model('b')];
    const { monitor, registry, logs } = fixture(async () => models, compute);
    await monitor.run();
    failing.add('a');
    const second = await monitor.run();
    expect(second.errors).toBe(1);
    expect(await value(registry, 'mlsight_data_rows', { model: 'a' })).toBe(1);
    expect(await value(registry, 'mlsight_data_rows', { model: 'b' })).toBe(4);
    expect(await value(registry, 'mlsight_monitor_errors_total', {})).toBe(1);
    expect(logs.find((l) => l.level === 'warn')?.obj).toMatchObject({ model: 'a', err: 'store read failed for a' });
    models = [model('b')];
    await monitor.run();
    expect(await value(registry, 'mlsight_data_rows', { model: 'a' })).toBeUndefined();
  });

  it('never throws: a store that cannot list models is an error and the gauges stay as they were', async () => {
    const { compute } = stubSnapshots(new Set());
    let down = false;
    const { monitor, registry } = fixture(async () => {
      if (down) throw new Error('database is locked');
      return [model('a')];
    }, compute);
    await monitor.run();
    down = true;
    await expect(monitor.run()).resolves.toMatchObject({ errors: 1, models: 0 });
    expect(await value(registry, 'mlsight_data_rows', { model: 'a' })).toBe(1);
    expect(await value(registry, 'mlsight_monitor_errors_total', {})).toBe(1);
  });
});

describe('scheduleMonitor', () => {
  it('runs at once, then every interval, never two runs at a time; stop waits for the run in progress', async () => {
    jest.useFakeTimers();
    try {
      let runs = 0;
      let finish: (() => void) | undefined;
      const monitor = {
        run: () =>
          new Promise<never>((resolve) => {
            runs++;
            finish = () => resolve(undefined as never);
          }),
      };
      const stop = scheduleMonitor(monitor, 1000);
      await jest.advanceTimersByTimeAsync(0);
      expect(runs).toBe(1);
      await jest.advanceTimersByTimeAsync(3000);
      expect(runs).toBe(1);
      finish?.();
      await jest.advanceTimersByTimeAsync(1000);
      expect(runs).toBe(2);
      let stopped = false;
      const stopping = stop().then(() => (stopped = true));
      await jest.advanceTimersByTimeAsync(0);
      expect(stopped).toBe(false);
      finish?.();
      await stopping;
      await jest.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
