import type { MonitorSample } from './gaugeCatalog';

/**
 * What the fleet overview takes from the monitor's latest run, per model (all versions' traffic): the alerts whose
 * conditions hold on the published gauges and the CBPE accuracy estimate with its band over the monitor's window.
 */
export interface FleetModelMonitorState {
  /** Names of the alert rules that fire for the model, one entry per firing series (e.g. per drifted feature). */
  firingAlerts: string[];
  estimatedAccuracy: number | null;
  estimatedAccuracyLower: number | null;
  estimatedAccuracyUpper: number | null;
}

export type FleetMonitorState = Record<string, FleetModelMonitorState>;

/** `mlsight_data_quality_missing_ratio > 0.1`, `mlsight_data_freshness_seconds > 3600`: the rules' thresholds. */
export const MISSING_ALERT_RATIO = 0.1;
export const STALE_ALERT_SECONDS = 3600;

/**
 * The monitor state of every model, from its samples: the conditions of the provisioned Prometheus rules
 * (`provisioning/prometheus/rules/mlsight.rules.yml`: FeatureDrift, DatasetDrift, DataQualityMissing, StaleData)
 * evaluated on the model-wide samples (`version=""`). The rules' `for:` durations are not applied: a condition that
 * holds now counts, so a page may show an alert a few minutes before Alertmanager sends it.
 */
export function fleetMonitorStateOf(samples: readonly MonitorSample[]): FleetMonitorState {
  const out: FleetMonitorState = {};
  const of = (model: string): FleetModelMonitorState =>
    (out[model] ??= {
      firingAlerts: [],
      estimatedAccuracy: null,
      estimatedAccuracyLower: null,
      estimatedAccuracyUpper: null,
    });
  for (const s of samples) {
    const labels = s.labels as Record<string, string | undefined>;
    const model = labels.model;
    if (model === undefined) continue;
    // Freshness has no version label; every other gauge counts for the model only without one.
    if (labels.version !== undefined && labels.version !== '') continue;
    switch (s.name) {
      case 'mlsight_feature_drifted':
        if (s.value === 1) of(model).firingAlerts.push(`FeatureDrift(${labels.feature ?? ''})`);
        break;
      case 'mlsight_dataset_drifted':
        if (s.value === 1) of(model).firingAlerts.push('DatasetDrift');
        break;
      case 'mlsight_data_quality_missing_ratio':
        if (s.value > MISSING_ALERT_RATIO) of(model).firingAlerts.push(`DataQualityMissing(${labels.feature ?? ''})`);
        break;
      case 'mlsight_data_freshness_seconds':
        if (s.value > STALE_ALERT_SECONDS) of(model).firingAlerts.push('StaleData');
        break;
      case 'mlsight_estimated_performance':
        if (labels.metric === 'accuracy') of(model).estimatedAccuracy = s.value;
        break;
      case 'mlsight_estimated_performance_lower':
        if (labels.metric === 'accuracy') of(model).estimatedAccuracyLower = s.value;
        break;
      case 'mlsight_estimated_performance_upper':
        if (labels.metric === 'accuracy') of(model).estimatedAccuracyUpper = s.value;
        break;
      default:
        break;
    }
  }
  return out;
}

/** The latest run's fleet state, replaced by each run (the query route reads it, the monitor writes it). */
export class FleetMonitorView {
  private state: FleetMonitorState = {};
  private runAtMs: number | null = null;

  publish(samples: readonly MonitorSample[], atMs: number): void {
    this.state = fleetMonitorStateOf(samples);
    this.runAtMs = atMs;
  }

  /** Undefined until the monitor has run once (the fleet then says the alerts are unknown). */
  current(): { state: FleetMonitorState; runAtMs: number } | undefined {
    return this.runAtMs === null ? undefined : { state: this.state, runAtMs: this.runAtMs };
  }
}
