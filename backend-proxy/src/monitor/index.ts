/*
 * The Prometheus monitor: on a schedule, recomputes drift, data-quality, volume and freshness gauges of every model
 * in the drift store over a trailing window (never per scrape), and publishes them on the proxy's registry.
 */
export { MONITOR_GAUGES, type MonitorGaugeName, type MonitorSample, sample } from './gaugeCatalog';
export { MonitorGauges } from './monitorGauges';
export {
  Monitor,
  type MonitorLogger,
  type MonitorOptions,
  type MonitorRunSummary,
  scheduleMonitor,
} from './scheduleMonitor';
export {
  computeModelSnapshot,
  type ModelSnapshot,
  type SnapshotContributor,
  type SnapshotOptions,
  type SnapshotTarget,
  snapshotSamples,
} from './snapshot';
export { lastValue, performanceContributor, wholeWindowContext } from './performanceContributor';
export { fairnessContributor } from './fairnessContributor';
export { targetDriftContributor } from './targetDriftContributor';
