import {
  buildFrame,
  CHALLENGER_ALIAS,
  CHAMPION_ALIAS,
  CLASSIFICATION_METRICS,
  type DataFrameJSON,
  FLEET_DRIFT_SHARE_FRAME,
  FLEET_FRAME,
  type FleetRow,
  type QueryOf,
  type QueryResultMetaNotice,
  REGRESSION_METRICS,
  UNITS,
} from '@mlsight/contract';
import {
  classSetupOfSummary,
  datasetDrift,
  type DriftColumns,
  driftedShareOfCells,
  type DriftResult,
  evaluateClassificationSummary,
  type PerformanceSummary,
  problemOfSummary,
  qualityRates,
  summaryLimitation,
} from '../stats';
import type { FleetModelMonitorState, FleetMonitorState } from '../monitor/fleetMonitorState';
import type { MlflowCallContext, MlflowClient, ModelVersion, RegisteredModel } from '../mlflow';
import {
  type FleetModelSketches,
  type FleetSketchResult,
  type DriftStore,
  HOUR_MS,
  mergeSketches,
  MINUTE_MS,
} from '../store';
import type { QueryContext } from './context';
import { deploymentOf } from './deployments';
import { fitFeature, type DriftQuery } from './drift/driftWindows';
import { needsRawRows, toMetricsSketch } from './drift/adapters';
import { sketchDriftPerBucket } from './drift/bucketDrift';
import { fleetStatus } from './fleetStatus';
import { QUALITY_INCIDENT_RATE } from './productionKpis';

/** Sparkline points per model: the fleet's cost is models × features × this, whatever the range or interval. */
export const FLEET_BUCKETS = 24;

/** The drift numbers of one model over the range and per bucket. */
interface ModelDrift {
  predictions: number;
  features: number;
  evaluatedFeatures: number;
  driftedFeatures: number;
  driftShare: number | null;
  datasetDrifted: boolean | null;
  qualityIncidents: number;
  /** Features whose reference has a handful of values: their tests need raw rows, which the fleet does not read. */
  skippedFeatures: number;
  perBucket: Array<{ bucketMs: number; share: number | null }>;
}

/** The bucket size of the fleet's sparklines: the range in FLEET_BUCKETS, never finer than Grafana's interval. */
export function fleetBucketMs(window: { fromMs: number; toMs: number; intervalMs: number }): number {
  const span = Math.max(MINUTE_MS, window.toMs - window.fromMs);
  return Math.max(window.intervalMs, Math.ceil(span / FLEET_BUCKETS / MINUTE_MS) * MINUTE_MS);
}

/**
 * One model's drift from its bucket sketches, with the verdicts `dataset_drift` rests on: each feature's method
 * fitted once on its frozen reference (calibrated thresholds by default, cached per reference), Benjamini-Hochberg
 * across the features, the dataset drifting when the share reaches its threshold. The range's verdict tests the
 * merged sketch of its buckets (whole buckets: the fleet reads no raw rows, so a range edge that cuts a bucket is
 * rounded to it, and KS/Wasserstein are binned); each sparkline point tests its bucket alone, every bucket of a
 * feature scored by the fitted method's kernel into typed columns.
 */
function modelDrift(model: FleetModelSketches): ModelDrift {
  const query: DriftQuery = { refId: 'fleet', queryType: 'dataset_drift', model: model.model };
  const reference = model.reference;
  const names = Object.keys(reference.features).sort();
  const whole: Array<{ feature: string; result: DriftResult }> = [];
  const byBucket = new Map<number, Array<{ columns: DriftColumns; cell: number }>>();
  let predictions = 0;
  let qualityIncidents = 0;
  let skipped = 0;
  for (const feature of names) {
    const column = reference.features[feature];
    if (!column) continue;
    const buckets = model.series.find((s) => s.name === feature)?.buckets ?? [];
    const merged = mergeSketches(buckets, column.counts.length);
    const rates = qualityRates(merged, column.kind);
    // Every stored row counts in each feature as a value or as missing (the monitor's row count).
    predictions = Math.max(predictions, rates.rows);
    const rateList = [rates.missingRate, rates.outOfRangeRate, rates.unseenRate, rates.typeErrorRate];
    if (rateList.some((r) => r !== null && r >= QUALITY_INCIDENT_RATE)) qualityIncidents++;
    if (needsRawRows(column)) {
      skipped++;
      continue;
    }
    const fitted = fitFeature(query, feature, column);
    whole.push({ feature, result: fitted.calculate({ sketch: toMetricsSketch(column, merged) }) });
    const columns = sketchDriftPerBucket(fitted, column, buckets);
    buckets.forEach((b, cell) => {
      const list = byBucket.get(b.bucketMs) ?? [];
      list.push({ columns, cell });
      byBucket.set(b.bucketMs, list);
    });
  }
  const dataset = datasetDrift(whole, { multipleTesting: 'bh' });
  const perBucket = [...byBucket.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([bucketMs, cells]) => ({ bucketMs, share: driftedShareOfCells(cells, 'bh') }));
  return {
    predictions,
    features: names.length,
    evaluatedFeatures: dataset.evaluatedFeatures,
    driftedFeatures: dataset.driftedFeatures,
    driftShare: dataset.share,
    datasetDrifted: dataset.drifted,
    qualityIncidents,
    skippedFeatures: skipped,
    perBucket,
  };
}

/** Realised accuracy of a classifier's merged summary; null for regression, no labels, or rows summaries cannot place. */
export function realisedAccuracyOf(summary: PerformanceSummary | undefined): number | null {
  if (!summary || summary.empty) return null;
  if (problemOfSummary(summary, [], CLASSIFICATION_METRICS, REGRESSION_METRICS) !== 'classification') return null;
  const setup = classSetupOfSummary(summary);
  if (summaryLimitation(summary, setup) !== null) return null;
  const value = evaluateClassificationSummary(summary, setup).metrics.accuracy.value;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The stored granularity the fleet's realised accuracy is merged from: hours for ranges of two hours or more. */
function performanceGranularity(window: { fromMs: number; toMs: number }): number {
  return window.toMs - window.fromMs >= 2 * HOUR_MS ? HOUR_MS : MINUTE_MS;
}

async function performanceByModel(
  store: DriftStore,
  window: { fromMs: number; toMs: number }
): Promise<Map<string, PerformanceSummary>> {
  const granularityMs = performanceGranularity(window);
  const found = await store.getFleetPerformanceSummaries({ ...window, granularityMs });
  if (found || granularityMs === HOUR_MS) return found ?? new Map();
  return (await store.getFleetPerformanceSummaries({ ...window, granularityMs: HOUR_MS })) ?? new Map();
}

/** Every version of every registered model by name and version: two paginated, cached listings, never one per model. */
async function registry(
  mlflow: MlflowClient,
  call: MlflowCallContext
): Promise<{ models: RegisteredModel[]; versions: Map<string, ModelVersion> }> {
  const [models, versions] = await Promise.all([
    mlflow.searchRegisteredModels(undefined, call),
    mlflow.searchModelVersions(undefined, call),
  ]);
  return { models, versions: new Map(versions.map((v) => [`${v.name ?? ''}\u0000${v.version ?? ''}`, v])) };
}

const aliasOf = (model: RegisteredModel, alias: string) =>
  model.aliases?.find((a) => a.alias === alias)?.version ?? null;

function matches(name: string, search: string | undefined): boolean {
  return search === undefined || search.trim() === '' || name.toLowerCase().includes(search.trim().toLowerCase());
}

/** One row of the fleet from what was read for the model. */
export function fleetRowOf(input: {
  model: string;
  registered: RegisteredModel;
  versions: ReadonlyMap<string, ModelVersion>;
  sketches: FleetModelSketches | undefined;
  drift: ModelDrift | undefined;
  realisedAccuracy: number | null;
  monitor: FleetModelMonitorState | undefined;
  nowMs: number;
  toMs: number;
}): FleetRow {
  const { model, registered, drift, monitor } = input;
  const champion = aliasOf(registered, CHAMPION_ALIAS);
  const challenger = aliasOf(registered, CHALLENGER_ALIAS);
  const championVersion = champion === null ? undefined : input.versions.get(`${model}\u0000${champion}`);
  const since = championVersion ? deploymentOf(model, 'alias', CHAMPION_ALIAS, championVersion).since : undefined;
  const newest = input.sketches?.newestPredictionMs ?? null;
  const freshness = newest === null ? null : Math.max(0, (Math.min(input.nowMs, input.toMs) - newest) / 1000);
  const firingAlerts = monitor?.firingAlerts.length ?? 0;
  const numbers = {
    hasReference: input.sketches !== undefined,
    predictions: drift?.predictions ?? 0,
    freshnessSeconds: freshness,
    driftedFeatures: drift?.driftedFeatures ?? 0,
    evaluatedFeatures: drift?.evaluatedFeatures ?? 0,
    driftShare: drift?.driftShare ?? null,
    datasetDrifted: drift?.datasetDrifted ?? null,
    estimatedAccuracyLower: monitor?.estimatedAccuracyLower ?? null,
    estimatedAccuracyUpper: monitor?.estimatedAccuracyUpper ?? null,
    realisedAccuracy: input.realisedAccuracy,
    qualityIncidents: drift?.qualityIncidents ?? 0,
    firingAlerts,
    championVersion: champion,
  };
  const verdict = fleetStatus(numbers);
  return {
    model,
    status: verdict.status,
    attention: verdict.attention,
    championVersion: champion,
    championAliasAgeSeconds: since === undefined ? null : Math.max(0, (input.nowMs - since) / 1000),
    challengerVersion: challenger,
    predictions: numbers.predictions,
    freshnessSeconds: freshness,
    driftedFeatures: numbers.driftedFeatures,
    features: drift?.features ?? 0,
    driftShare: numbers.driftShare,
    estimatedAccuracy: monitor?.estimatedAccuracy ?? null,
    estimatedAccuracyLower: numbers.estimatedAccuracyLower,
    estimatedAccuracyUpper: numbers.estimatedAccuracyUpper,
    realisedAccuracy: input.realisedAccuracy,
    qualityIncidents: numbers.qualityIncidents,
    firingAlerts,
    reasons: verdict.reasons,
  };
}

/** Worst first: attention descending, then by name so equal models keep one order. */
export function sortFleet(rows: FleetRow[]): FleetRow[] {
  return rows.sort((a, b) => b.attention - a.attention || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

function fleetFrame(rows: readonly FleetRow[], notices: QueryResultMetaNotice[], custom: Record<string, unknown>) {
  const f = FLEET_FRAME;
  const ratio = { unit: UNITS.ratio, min: 0, max: 1 };
  return buildFrame({
    name: f.name,
    meta: { preferredVisualisationType: 'table', ...(notices.length > 0 ? { notices } : {}), custom },
    fields: [
      { name: f.model, type: 'string', values: rows.map((r) => r.model) },
      { name: f.status, type: 'string', values: rows.map((r) => r.status) },
      { name: f.attention, type: 'number', values: rows.map((r) => r.attention) },
      { name: f.championVersion, type: 'string', values: rows.map((r) => r.championVersion) },
      {
        name: f.championAliasAge,
        type: 'number',
        values: rows.map((r) => r.championAliasAgeSeconds),
        config: { unit: UNITS.seconds },
      },
      { name: f.challengerVersion, type: 'string', values: rows.map((r) => r.challengerVersion) },
      { name: f.predictions, type: 'number', values: rows.map((r) => r.predictions), config: { unit: UNITS.count } },
      {
        name: f.freshness,
        type: 'number',
        values: rows.map((r) => r.freshnessSeconds),
        config: { unit: UNITS.seconds },
      },
      { name: f.driftedFeatures, type: 'number', values: rows.map((r) => r.driftedFeatures) },
      { name: f.features, type: 'number', values: rows.map((r) => r.features) },
      { name: f.driftShare, type: 'number', values: rows.map((r) => r.driftShare), config: ratio },
      { name: f.estimatedAccuracy, type: 'number', values: rows.map((r) => r.estimatedAccuracy), config: ratio },
      {
        name: f.estimatedAccuracyLower,
        type: 'number',
        values: rows.map((r) => r.estimatedAccuracyLower),
        config: ratio,
      },
      {
        name: f.estimatedAccuracyUpper,
        type: 'number',
        values: rows.map((r) => r.estimatedAccuracyUpper),
        config: ratio,
      },
      { name: f.realisedAccuracy, type: 'number', values: rows.map((r) => r.realisedAccuracy), config: ratio },
      { name: f.qualityIncidents, type: 'number', values: rows.map((r) => r.qualityIncidents) },
      { name: f.firingAlerts, type: 'number', values: rows.map((r) => r.firingAlerts) },
      { name: f.reasons, type: 'string', values: rows.map((r) => r.reasons.join('; ')) },
    ],
  });
}

function driftShareFrame(
  points: ReadonlyArray<{ time: number; model: string; share: number | null }>,
  bucketMs: number
) {
  const f = FLEET_DRIFT_SHARE_FRAME;
  return buildFrame({
    name: f.name,
    meta: { type: 'timeseries-long', custom: { bucketMs } },
    fields: [
      { name: f.time, type: 'time', values: points.map((p) => p.time) },
      { name: f.model, type: 'string', values: points.map((p) => p.model) },
      {
        name: f.driftShare,
        type: 'number',
        values: points.map((p) => p.share),
        config: { unit: UNITS.ratio, min: 0, max: 1 },
      },
    ],
  });
}

/**
 * `fleet`: every registered model in one table, worst first, and a drift-share sparkline per model. The registry
 * comes from MLflow's paginated, cached listings; the store answers in a fixed number of reads for all models
 * (sketches, newest prediction, performance summaries), so the cost grows with models × features × FLEET_BUCKETS.
 * Alerts and the CBPE estimate come from the monitor's latest run (`ctx.monitor`): CBPE needs each row's score,
 * which the monitor already scores over its own trailing window.
 */
export async function fleetHandler(query: QueryOf<'fleet'>, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const nowMs = Date.now();
  const { models, versions } = await registry(ctx.mlflow, ctx.mlflowCall);
  const bucketMs = fleetBucketMs(ctx.window);
  const store = ctx.store;
  const range = { fromMs: ctx.window.fromMs, toMs: ctx.window.toMs };
  const empty: FleetSketchResult = { bucketMs, granularityMs: bucketMs, models: [] };
  const [sketches, performance] = store
    ? await Promise.all([store.getFleetSketches({ ...range, bucketMs }), performanceByModel(store, range)])
    : [empty, new Map<string, PerformanceSummary>()];
  const sketchesOf = new Map(sketches.models.map((m) => [m.model, m]));
  const monitorState: FleetMonitorState = ctx.monitor?.state ?? {};
  const rows: FleetRow[] = [];
  const points: Array<{ time: number; model: string; share: number | null }> = [];
  let skipped = 0;
  for (const registered of models) {
    const model = registered.name;
    if (model === undefined || !matches(model, query.search)) continue;
    const modelSketches = sketchesOf.get(model);
    const drift = modelSketches ? modelDrift(modelSketches) : undefined;
    skipped += drift?.skippedFeatures ?? 0;
    const row = fleetRowOf({
      model,
      registered,
      versions,
      sketches: modelSketches,
      drift,
      realisedAccuracy: realisedAccuracyOf(performance.get(model)),
      monitor: monitorState[model],
      nowMs,
      toMs: ctx.window.toMs,
    });
    const wanted =
      query.status === undefined ||
      query.status === 'all' ||
      (query.status === 'ok' ? row.status === 'ok' : row.status === 'critical' || row.status === 'warning');
    if (!wanted) continue;
    rows.push(row);
    for (const p of drift?.perBucket ?? []) points.push({ time: p.bucketMs, model, share: p.share });
  }
  sortFleet(rows);
  const order = new Map(rows.map((r, i) => [r.model, i]));
  points.sort((a, b) => a.time - b.time || (order.get(a.model) ?? 0) - (order.get(b.model) ?? 0));
  const notices: QueryResultMetaNotice[] = [];
  if (!store)
    notices.push({ severity: 'warning', text: 'the proxy runs without a drift store: no production numbers' });
  if (!ctx.monitor) {
    notices.push({
      severity: 'info',
      text: 'the monitor has not run yet (or is off): firing alerts and CBPE estimates are not known',
    });
  }
  if (skipped > 0) {
    notices.push({
      severity: 'info',
      text: `${skipped} feature(s) with a handful of reference values are left out of the fleet's drift (their tests need raw rows; see the model's drift page)`,
    });
  }
  const custom = {
    bucketMs: sketches.bucketMs,
    ...(ctx.monitor ? { monitorRunAtMs: ctx.monitor.runAtMs } : {}),
  };
  return [fleetFrame(rows, notices, custom), driftShareFrame(points, sketches.bucketMs)];
}
