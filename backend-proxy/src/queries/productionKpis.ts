import type { FieldInput } from '@mlsight/contract';
import { UNITS } from '@mlsight/contract';
import { computeModelSnapshot, type ModelSnapshot } from '../monitor/snapshot';
import { performanceContributor } from '../monitor/performanceContributor';
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

/**
 * The model's production numbers from the drift store over the query's window, computed as the monitor computes
 * its gauges (drift and quality from sketches, accuracy by the performance handlers); undefined with a reason when
 * the store cannot answer (no store, or the model has no reference there).
 */
export async function productionKpis(
  model: string,
  ctx: QueryContext
): Promise<{ kpis: ProductionKpis } | { reason: string }> {
  if (!ctx.store) return { reason: 'the proxy runs without a drift store' };
  try {
    const snapshot = await computeModelSnapshot(
      ctx.store,
      model,
      { fromMs: ctx.window.fromMs, toMs: ctx.window.toMs },
      { contributors: [performanceContributor({ mlflow: ctx.mlflow, config: ctx.config, log: ctx.log })] }
    );
    return { kpis: kpisOfSnapshot(snapshot) };
  } catch (err) {
    if (err instanceof QueryError) return { reason: err.message };
    throw err;
  }
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
