import { Counter, Gauge, type Registry } from 'prom-client';
import { MONITOR_GAUGES, type MonitorGaugeName, type MonitorSample } from './gaugeCatalog';

/**
 * The monitor's gauges on the proxy's registry. `publish` replaces the whole snapshot at once: label sets that are
 * not in the new snapshot (a feature dropped from the reference, a model deleted, a verdict that became
 * insufficient) disappear instead of repeating their last value forever.
 */
export class MonitorGauges {
  private readonly gauges: ReadonlyMap<MonitorGaugeName, Gauge<string>>;
  readonly lastRun: Gauge;
  readonly runDuration: Gauge;
  readonly errors: Counter;

  constructor(registry: Registry) {
    const gauges = new Map<MonitorGaugeName, Gauge<string>>();
    for (const [name, spec] of Object.entries(MONITOR_GAUGES) as Array<
      [MonitorGaugeName, (typeof MONITOR_GAUGES)[MonitorGaugeName]]
    >) {
      gauges.set(name, new Gauge({ name, help: spec.help, labelNames: spec.labelNames, registers: [registry] }));
    }
    this.gauges = gauges;
    this.lastRun = new Gauge({
      name: 'mlsight_monitor_last_run_timestamp_seconds',
      help: 'When the last monitor run ended (Unix time, seconds).',
      registers: [registry],
    });
    this.runDuration = new Gauge({
      name: 'mlsight_monitor_run_duration_seconds',
      help: 'How long the last monitor run took.',
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'mlsight_monitor_errors_total',
      help: 'Monitor failures: a model whose snapshot failed (its previous values are kept), a failed contributor, or a failed run.',
      registers: [registry],
    });
  }

  /**
   * Replaces every monitor gauge with the samples given. Synchronous, so a scrape sees the old snapshot or the new
   * one of each gauge, never a half-written one.
   * @throws Error when a sample has labels its gauge does not declare (a programming error)
   */
  publish(samples: readonly MonitorSample[]): void {
    for (const s of samples) {
      const declared: readonly string[] = MONITOR_GAUGES[s.name].labelNames;
      const given = Object.keys(s.labels);
      if (given.length !== declared.length || given.some((l) => !declared.includes(l))) {
        throw new Error(`MonitorGauges: ${s.name} takes labels ${declared.join(', ')}, got ${given.join(', ')}`);
      }
    }
    for (const gauge of this.gauges.values()) gauge.reset();
    for (const s of samples) this.gauges.get(s.name)?.set(s.labels, s.value);
  }
}
