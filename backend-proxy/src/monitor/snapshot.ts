import type { QueryOf } from '@mlsight/contract';
import { datasetDrift, type DriftResult, freshnessSeconds, type QualityRates, qualityRates } from '../stats';
import { type Window, windowVerdicts } from '../queries/drift/driftWindows';
import { type DriftStore, mergeSketches } from '../store';
import { type MonitorSample, sample } from './gaugeCatalog';

export type { Window };

/** What one model (or one version of it) is monitored over. */
export interface SnapshotTarget {
  readonly store: DriftStore;
  readonly model: string;
  /** One version's predictions; undefined: all versions. */
  readonly version: string | undefined;
  readonly window: Window;
  readonly nowMs: number;
}

/**
 * Adds gauges to a snapshot: the extension point for realised/estimated performance and fairness, whose pure
 * functions live in `stats/`. A contributor reads what it needs for the target and returns samples of the gauges
 * in `MONITOR_GAUGES`; its failure is reported on the snapshot and does not cost the other gauges.
 */
export interface SnapshotContributor {
  readonly name: string;
  contribute(target: SnapshotTarget): Promise<MonitorSample[]>;
}

export interface FeatureDriftSnapshot {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  readonly result: DriftResult;
  /** BH-adjusted p-value (test methods), else null. */
  readonly adjustedPValue: number | null;
  /** The verdict after adjustment; null when insufficient. */
  readonly drifted: boolean | null;
}

export interface FeatureQualitySnapshot {
  readonly feature: string;
  /** The rates of `stats/quality` (the `data_quality` query's); a rate with a 0 denominator is null. */
  readonly rates: QualityRates;
}

export interface ModelSnapshot {
  readonly model: string;
  /** "" for all versions (the Prometheus label value). */
  readonly version: string;
  readonly window: Window;
  /** Prediction rows stored in the window. */
  readonly rows: number;
  /** Seconds since the model last had rows accepted; null when never (or not computed for a version). */
  readonly freshnessSeconds: number | null;
  readonly features: readonly FeatureDriftSnapshot[];
  readonly dataset: { readonly share: number | null; readonly drifted: boolean | null };
  readonly quality: readonly FeatureQualitySnapshot[];
  /** Samples from the contributors that succeeded. */
  readonly contributed: readonly MonitorSample[];
  readonly contributorErrors: ReadonlyArray<{ readonly contributor: string; readonly message: string }>;
}

export interface SnapshotOptions {
  version?: string;
  /** The clock of freshness; default now. */
  nowMs?: number;
  contributors?: readonly SnapshotContributor[];
}

/**
 * The monitored state of one model over one window, from the store: drift per feature and the dataset verdict
 * exactly as the `dataset_drift` query computes them (method `auto`, Benjamini-Hochberg across features), the
 * data-quality rates of every feature from its sketch counters, the rows in the window, freshness, and whatever
 * the contributors add.
 *
 * @throws QueryError when the model has no reference profile
 */
export async function computeModelSnapshot(
  store: DriftStore,
  model: string,
  window: Window,
  opts: SnapshotOptions = {}
): Promise<ModelSnapshot> {
  const nowMs = opts.nowMs ?? Date.now();
  const query: QueryOf<'dataset_drift'> = {
    refId: 'monitor',
    queryType: 'dataset_drift',
    model,
    ...(opts.version !== undefined ? { version: opts.version } : {}),
  };
  const { sketches, verdicts } = await windowVerdicts(store, query, window, { trailing: true });
  const dataset = datasetDrift(verdicts, { multipleTesting: 'bh' });

  let rows = 0;
  const quality: FeatureQualitySnapshot[] = [];
  for (const { feature, kind } of verdicts) {
    const column = sketches.reference.features[feature];
    const buckets = sketches.series.find((s) => s.role === 'feature' && s.name === feature)?.buckets ?? [];
    const merged = mergeSketches(buckets, column?.counts.length ?? 0);
    // Every stored row counts in each feature as a value or as missing; refused rows are not stored.
    const rates = qualityRates(merged, kind);
    rows = Math.max(rows, rates.rows);
    quality.push({ feature, rates });
  }

  // Freshness is per model (rows of any version arrive in one stream).
  const freshness = opts.version === undefined ? freshnessSeconds(await store.lastIngestAt(model), nowMs) : null;

  const target: SnapshotTarget = { store, model, version: opts.version, window, nowMs };
  const contributed: MonitorSample[] = [];
  const contributorErrors: Array<{ contributor: string; message: string }> = [];
  for (const contributor of opts.contributors ?? []) {
    try {
      contributed.push(...(await contributor.contribute(target)));
    } catch (err) {
      contributorErrors.push({ contributor: contributor.name, message: (err as Error).message ?? String(err) });
    }
  }

  return {
    model,
    version: opts.version ?? '',
    window,
    rows,
    freshnessSeconds: freshness,
    features: dataset.features.map((f, i) => ({
      feature: f.feature,
      kind: verdicts[i]?.kind ?? 'numeric',
      result: f.result,
      adjustedPValue: f.adjustedPValue,
      drifted: f.drifted,
    })),
    dataset: { share: dataset.share, drifted: dataset.drifted },
    quality,
    contributed,
    contributorErrors,
  };
}

/**
 * The gauge samples of a snapshot. A value that does not exist is left out rather than written as NaN or 0: no
 * verdict when the sample is insufficient, no score for an empty window, no rate for a feature no row reached.
 */
export function snapshotSamples(snapshot: ModelSnapshot): MonitorSample[] {
  const { model, version } = snapshot;
  const out: MonitorSample[] = [];
  for (const f of snapshot.features) {
    const r = f.result;
    const labels = { model, version, feature: f.feature, method: r.method };
    if (r.score !== null) out.push(sample('mlsight_feature_drift_score', labels, r.score));
    out.push(sample('mlsight_feature_drift_threshold', labels, r.threshold));
    const pValue = f.adjustedPValue ?? r.pValue;
    if (pValue !== null) out.push(sample('mlsight_feature_drift_p_value', labels, pValue));
    if (f.drifted !== null) out.push(sample('mlsight_feature_drifted', labels, f.drifted ? 1 : 0));
    const sides = { model, version, feature: f.feature };
    out.push(sample('mlsight_feature_drift_sample_size', { ...sides, side: 'reference' }, r.referenceN));
    out.push(sample('mlsight_feature_drift_sample_size', { ...sides, side: 'current' }, r.currentN));
    out.push(sample('mlsight_feature_drift_insufficient', sides, r.insufficient ? 1 : 0));
  }
  if (snapshot.dataset.share !== null) {
    out.push(sample('mlsight_dataset_drift_share_ratio', { model, version }, snapshot.dataset.share));
  }
  if (snapshot.dataset.drifted !== null) {
    out.push(sample('mlsight_dataset_drifted', { model, version }, snapshot.dataset.drifted ? 1 : 0));
  }
  const rates = [
    ['mlsight_data_quality_missing_ratio', 'missingRate'],
    ['mlsight_data_quality_out_of_range_ratio', 'outOfRangeRate'],
    ['mlsight_data_quality_unseen_category_ratio', 'unseenRate'],
    ['mlsight_data_quality_type_error_ratio', 'typeErrorRate'],
  ] as const;
  for (const q of snapshot.quality) {
    for (const [name, key] of rates) {
      const value = q.rates[key];
      if (value !== null) out.push(sample(name, { model, version, feature: q.feature }, value));
    }
  }
  out.push(sample('mlsight_data_rows', { model, version }, snapshot.rows));
  if (snapshot.freshnessSeconds !== null) {
    out.push(sample('mlsight_data_freshness_seconds', { model }, snapshot.freshnessSeconds));
  }
  out.push(...snapshot.contributed);
  return out;
}
