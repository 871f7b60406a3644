import type { FieldInput } from '@mlsight/contract';
import { UNITS } from '@mlsight/contract';
import { computeModelSnapshot, type ModelSnapshot, type Window } from '../monitor/snapshot';
import { performanceContributor } from '../monitor/performanceContributor';
import { AnswerCache } from '../cache/answerCache';
import { bucketStart, type DriftStore, MINUTE_MS } from '../store';
import type { QueryContext } from './context';
import { QueryError } from './errors';

/** A feature counts as a data-quality incident when any of its rates reaches this share of the window's rows. */
export const QUALITY_INCIDENT_RATE = 0.05;

/** The production headline numbers of a model over the dashboard's time range (all versions' traffic). */
export interface ProductionKpis {
  rows: number;
  driftedFeatures: number | null;
  features: number;
  datasetDriftShare: number | null;
  estimatedAccuracy: number | null;
  realisedAccuracy: number | null;
  qualityIncidents: number;
}

function accuracyOf(snapshot: ModelSnapshot, gauge: 'mlsight_performance' | 'mlsight_estimated_performance') {
  const s = snapshot.contributed.find(
    (c) => c.name === gauge && (c.labels as Record<string, string>).metric === 'accuracy'
  );
  return s ? s.value : null;
}

/** Pure: the headline numbers of a snapshot. */
export function kpisOfSnapshot(snapshot: ModelSnapshot): ProductionKpis {
  const verdicts = snapshot.features.filter((f) => f.drifted !== null);
  const incidents = snapshot.quality.filter((q) =>
    [q.rates.missingRate, q.rates.outOfRangeRate, q.rates.unseenRate, q.rates.typeErrorRate].some(
      (r) => r !== null && r >= QUALITY_INCIDENT_RATE
    )
  );
  return {
    rows: snapshot.rows,
    driftedFeatures: verdicts.length === 0 ? null : verdicts.filter((f) => f.drifted).length,
    features: snapshot.features.length,
    datasetDriftShare: snapshot.dataset.share,
    estimatedAccuracy: accuracyOf(snapshot, 'mlsight_estimated_performance'),
    realisedAccuracy: accuracyOf(snapshot, 'mlsight_performance'),
    qualityIncidents: incidents.length,
  };
}

/** What `productionKpis` answers: the numbers, or why the store cannot give them. */
export type ProductionKpisOutcome = { kpis: ProductionKpis } | { reason: string };

/**
 * The window the production numbers are computed over: the whole minutes the query's range touches (from the start
 * of `fromMs`'s minute to the last millisecond of `toMs`'s). Grafana's relative ranges (`now-30d` … `now`) move with
 * every refresh; on a minute grid the refreshes of one minute ask for the same window and can share one answer. The
 * numbers may therefore count up to a minute of rows before the range's start (and after its end, where rows with
 * later timestamps are already stored); rows written later are never missed, because every write changes the key.
 */
export function kpisWindowOf(window: Window): Window {
  return { fromMs: bucketStart(window.fromMs, MINUTE_MS), toMs: bucketStart(window.toMs, MINUTE_MS) + MINUTE_MS - 1 };
}

/**
 * Outcomes per store (a store is one database), kept while the model's data generation is unchanged and for at
 * most the cache's TTL (5 min; bounds what the generation cannot see: retention ageing raw rows out). A full
 * snapshot over 30 days takes seconds, and a dashboard asks for it from two panels on every refresh.
 */
const outcomesByStore = new WeakMap<DriftStore, AnswerCache<ProductionKpisOutcome>>();
/** Models × windows kept; each outcome is a handful of numbers. */
const OUTCOMES_KEPT = 64;

function outcomesOf(store: DriftStore): AnswerCache<ProductionKpisOutcome> {
  let cache = outcomesByStore.get(store);
  if (!cache) {
    cache = new AnswerCache<ProductionKpisOutcome>({ maxEntries: OUTCOMES_KEPT });
    outcomesByStore.set(store, cache);
  }
  return cache;
}

async function computeProductionKpis(
  store: DriftStore,
  model: string,
  window: Window,
  ctx: QueryContext
): Promise<ProductionKpisOutcome> {
  try {
    const snapshot = await computeModelSnapshot(store, model, window, {
      contributors: [performanceContributor({ mlflow: ctx.mlflow, config: ctx.config, log: ctx.log })],
    });
    return { kpis: kpisOfSnapshot(snapshot) };
  } catch (err) {
    if (err instanceof QueryError) return { reason: err.message };
    throw err;
  }
}

/**
 * The model's production numbers from the drift store over the query's window (snapped to whole minutes, see
 * `kpisWindowOf`), computed as the monitor computes its gauges (drift and quality from sketches, accuracy by the
 * performance handlers); a reason instead when the store cannot answer (no store, or the model has no reference
 * there). Answers are shared by every query for the same model, minute-window and data generation, including
 * queries that arrive while the first is still being computed.
 */
export async function productionKpis(model: string, ctx: QueryContext): Promise<ProductionKpisOutcome> {
  const store = ctx.store;
  if (!store) return { reason: 'the proxy runs without a drift store' };
  const window = kpisWindowOf(ctx.window);
  const compute = () => computeProductionKpis(store, model, window, ctx);
  const generation = await store.dataGeneration(model);
  if (generation === undefined) return compute();
  const key = JSON.stringify([model, generation, window.fromMs, window.toMs]);
  return outcomesOf(store).getOrCompute(key, compute);
}

const ratio = { unit: UNITS.ratio, min: 0, max: 1, decimals: 1 };

/** The production numbers as fields of the `kpis` row. */
export function productionKpiFields(k: ProductionKpis): FieldInput[] {
  return [
    {
      name: 'drifted_features',
      type: 'number',
      values: [k.driftedFeatures],
      config: { displayName: `drifted features (of ${k.features})`, unit: UNITS.count, decimals: 0 },
    },
    {
      name: 'dataset_drift_share',
      type: 'number',
      values: [k.datasetDriftShare],
      config: { displayName: 'dataset drift share', ...ratio },
    },
    {
      name: 'estimated_accuracy',
      type: 'number',
      values: [k.estimatedAccuracy],
      config: { displayName: 'estimated accuracy (CBPE)', ...ratio },
    },
    {
      name: 'realised_accuracy',
      type: 'number',
      values: [k.realisedAccuracy],
      config: { displayName: 'realised accuracy', ...ratio },
    },
    {
      name: 'quality_incidents',
      type: 'number',
      values: [k.qualityIncidents],
      config: {
        displayName: `data-quality incidents (features ≥ ${QUALITY_INCIDENT_RATE * 100}%)`,
        unit: UNITS.count,
        decimals: 0,
      },
    },
    {
      name: 'production_rows',
      type: 'number',
      values: [k.rows],
      config: { displayName: 'predictions', unit: UNITS.count, decimals: 0 },
    },
  ];
}
