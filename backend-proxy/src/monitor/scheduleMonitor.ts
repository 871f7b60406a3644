import type { DriftStore } from '../store';
import type { MonitorSample } from './gaugeCatalog';
import type { MonitorGauges } from './monitorGauges';
import { computeModelSnapshot, type SnapshotContributor, snapshotSamples } from './snapshot';

/** The part of a pino logger the monitor uses. */
export interface MonitorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface MonitorOptions {
  /** Trailing window every run covers. */
  windowMs: number;
  contributors?: readonly SnapshotContributor[];
  log: MonitorLogger;
  /** Clock (tests); default Date.now. */
  now?: () => number;
  /** Called with every run's samples once published (the fleet overview's view of the monitor). */
  onPublish?: (samples: readonly MonitorSample[], atMs: number) => void;
  /** Computes one target's snapshot (tests); default computeModelSnapshot. */
  computeSnapshot?: typeof computeModelSnapshot;
}

/** What one run did: the fields of its log line. */
export interface MonitorRunSummary {
  models: number;
  /** Models × (all versions + each version with its own reference). */
  targets: number;
  samples: number;
  errors: number;
  durationMs: number;
}

/**
 * Recomputes the monitor gauges from the store: one snapshot per model over all versions, and one per version that
 * has its own reference profile. A target whose snapshot fails keeps its previous samples (a transient store error
 * must not resolve an alert) and counts as an error; a model gone from the store loses its samples.
 */
export class Monitor {
  private lastGood = new Map<string, MonitorSample[]>();

  constructor(
    private readonly store: DriftStore,
    private readonly gauges: MonitorGauges,
    private readonly options: MonitorOptions
  ) {}

  /** One run; never throws (failures are counted in mlsight_monitor_errors_total and logged). */
  async run(): Promise<MonitorRunSummary> {
    const now = this.options.now ?? Date.now;
    const started = performance.now();
    const nowMs = now();
    const window = { fromMs: nowMs - this.options.windowMs, toMs: nowMs };
    let errors = 0;
    const fail = (fields: object, err: unknown) => {
      errors++;
      this.gauges.errors.inc();
      this.options.log.warn({ ...fields, err: err instanceof Error ? err.message : String(err) }, 'monitor failed');
    };
    let models: Awaited<ReturnType<DriftStore['listModels']>> = [];
    try {
      models = await this.store.listModels();
    } catch (err) {
      fail({ step: 'listModels' }, err);
      return this.finish(started, { models: 0, targets: 0, samples: 0, errors });
    }

    const next = new Map<string, MonitorSample[]>();
    for (const summary of models) {
      const versions = [
        undefined,
        ...new Set(summary.references.map((r) => r.version).filter((v): v is string => v !== null)),
      ];
      for (const version of versions) {
        const key = `${summary.model}\u0000${version ?? ''}`;
        try {
          const compute = this.options.computeSnapshot ?? computeModelSnapshot;
          const snapshot = await compute(this.store, summary.model, window, {
            nowMs,
            ...(version !== undefined ? { version } : {}),
            ...(this.options.contributors ? { contributors: this.options.contributors } : {}),
          });
          for (const e of snapshot.contributorErrors) {
            fail({ model: summary.model, version: version ?? '', contributor: e.contributor }, e.message);
          }
          next.set(key, snapshotSamples(snapshot));
        } catch (err) {
          fail({ model: summary.model, version: version ?? '' }, err);
          const previous = this.lastGood.get(key);
          if (previous) next.set(key, previous);
        }
      }
    }
    const samples = [...next.values()].flat();
    this.gauges.publish(samples);
    this.options.onPublish?.(samples, nowMs);
    this.lastGood = next;
    return this.finish(started, { models: models.length, targets: next.size, samples: samples.length, errors });
  }

  private finish(started: number, counts: Omit<MonitorRunSummary, 'durationMs'>): MonitorRunSummary {
    const durationMs = performance.now() - started;
    const now = this.options.now ?? Date.now;
    this.gauges.runDuration.set(durationMs / 1000);
    this.gauges.lastRun.set(now() / 1000);
    const summary = { ...counts, durationMs: Math.round(durationMs * 10) / 10 };
    this.options.log.info(summary, 'monitor run');
    return summary;
  }
}

/**
 * Runs the monitor at once and then every `intervalMs`, never two runs at a time (a slow run skips the ticks it
 * overlaps). The timers do not keep the process alive.
 * @returns a function that stops the schedule and resolves when a run in progress has ended, so the store can be
 * closed after it
 */
export function scheduleMonitor(monitor: Pick<Monitor, 'run'>, intervalMs: number): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = monitor.run().finally(() => {
      running = undefined;
    });
  };
  const first = setTimeout(tick, 0);
  first.unref();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
