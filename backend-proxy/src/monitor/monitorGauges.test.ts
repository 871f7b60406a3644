import { Registry } from 'prom-client';
import { MONITOR_GAUGES, sample } from './gaugeCatalog';
import { MonitorGauges } from './monitorGauges';

const drift = (feature: string, value: number) =>
  sample('mlsight_feature_drift_score', { model: 'credit', version: '', feature, method: 'psi' }, value);

describe('MonitorGauges', () => {
  it('registers every catalogued gauge and the run gauges on the given registry', async () => {
    const registry = new Registry();
    new MonitorGauges(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
    expect(names).toEqual(
      [
        ...Object.keys(MONITOR_GAUGES),
        'mlsight_monitor_errors_total',
        'mlsight_monitor_last_run_timestamp_seconds',
        'mlsight_monitor_run_duration_seconds',
      ].sort()
    );
  });

  it('replaces the previous snapshot: a feature that vanished does not linger', async () => {
    const registry = new Registry();
    const gauges = new MonitorGauges(registry);
    gauges.publish([drift('amount', 0.3), drift('channel', 0.05)]);
    gauges.publish([drift('amount', 0.1)]);
    const text = await registry.metrics();
    expect(text).toContain('mlsight_feature_drift_score{model="credit",version="",feature="amount",method="psi"} 0.1');
    expect(text).not.toContain('feature="channel"');
    gauges.publish([]);
    expect(await registry.metrics()).not.toMatch(/^mlsight_feature_drift_score\{/m);
  });

  it('refuses labels a gauge does not declare, and keeps the published snapshot', async () => {
    const registry = new Registry();
    const gauges = new MonitorGauges(registry);
    gauges.publish([drift('amount', 0.2)]);
    const bad = { name: 'mlsight_data_rows', labels: { model: 'credit', prediction_id: 'p1' }, value: 1 };
    expect(() => gauges.publish([bad as unknown as ReturnType<typeof sample>])).toThrow(
      /mlsight_data_rows takes labels model, version/
    );
    expect(await registry.metrics()).toContain('feature="amount",method="psi"} 0.2');
  });
});
