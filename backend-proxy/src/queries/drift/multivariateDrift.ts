import {
  buildFrame,
  type DataFrameJSON,
  MULTIVARIATE_DRIFT_FRAME as F,
  type QueryOf,
  type QueryResultMetaNotice,
  UNITS,
} from '@mlsight/contract';
import {
  type ChunkReconstruction,
  DEFAULT_BAND_MULTIPLIER,
  DEFAULT_COMPONENTS,
  bandForRows,
  fitReconstructionDrift,
  type FittedReconstructionDrift,
  MetricsError,
  outsideBand,
  type ReferenceBand,
  type Table,
} from '../../stats';
import { AnswerCache } from '../../cache/answerCache';
import { bucketStart, type DriftStore, type PredictionRecord, STORE_DEFAULTS } from '../../store';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';
import { byBucket, rangeText, requireModel, versionOf } from '../performance/performanceData';
import { bucketSizeOf, parseSegment, rawRowsCover, requireStore } from './driftWindows';

type MultivariateQuery = QueryOf<'multivariate_drift'>;

/**
 * Prediction rows one query reads at most. The reconstruction error is a function of whole rows, so this query reads
 * the range's rows (not per-bucket summaries); past this many the later buckets are left out, with a notice.
 */
export const MAX_MULTIVARIATE_ROWS = 500_000;

/** The default reference chunk size leaves at least this many chunks; fewer make a rough band. */
const MIN_DEFAULT_CHUNKS = 10;

/** Fitted methods kept per store: a fit holds the PCA and one error per reference row (≤ 200k doubles, 1.6 MB). */
const FITS_KEPT = 8;
interface Fit {
  fitted: FittedReconstructionDrift;
  /** The store kept only the first rows of the reference. */
  truncated: boolean;
}
const fitsByStore = new WeakMap<DriftStore, AnswerCache<Fit>>();

function fitCacheOf(store: DriftStore): AnswerCache<Fit> {
  let cache = fitsByStore.get(store);
  if (!cache) {
    cache = new AnswerCache<Fit>({ maxEntries: FITS_KEPT });
    fitsByStore.set(store, cache);
  }
  return cache;
}

function asQueryError(err: unknown, what: string): never {
  if (err instanceof MetricsError) throw new QueryError(`${what}: ${err.message}`, 422);
  throw err;
}

/**
 * The method fitted on the reference's kept rows. A reference profile is immutable (a new one gets a new id), so
 * the fit is reused under (reference id, features, components) with no expiry but the LRU.
 */
async function fittedMethod(
  store: DriftStore,
  query: MultivariateQuery,
  version: string | undefined,
  referenceId: number,
  features: readonly string[],
  components: number
): Promise<Fit> {
  const cache = fitCacheOf(store);
  const key = JSON.stringify([referenceId, features, components]);
  const hit = cache.get(key);
  if (hit) return hit;
  const rows = await store.getReferenceRows(query.model, { version, features });
  if (!rows || rows.referenceId !== referenceId) {
    throw new QueryError(`model: the reference of "${query.model}" changed while it was read; ask again`, 409);
  }
  const table: Table = {
    features: rows.features.map((f) => f.name),
    kinds: rows.features.map((f) => f.kind),
    columns: rows.columns,
    rows: rows.rows,
  };
  let fitted: FittedReconstructionDrift;
  try {
    fitted = fitReconstructionDrift(table, components);
  } catch (err) {
    asQueryError(err, 'model: the reference cannot be fitted');
  }
  const fit = { fitted, truncated: rows.truncated };
  cache.set(key, fit);
  return fit;
}

/** The rows of one bucket as the method's table. */
function tableOf(features: readonly string[], kinds: Table['kinds'], rows: readonly PredictionRecord[]): Table {
  return {
    features,
    kinds,
    columns: features.map((f) => rows.map((r) => r.features[f] ?? null)),
    rows: rows.length,
  };
}

/** The default reference chunk: as many rows as the range's median bucket, so the band is at the buckets' n. */
function medianSize(sizes: readonly number[]): number {
  const sorted = [...sizes].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Math.max(1, Math.round(median));
}

/**
 * `multivariate_drift`: NannyML's data reconstruction error per bucket — PCA fitted once on the reference's kept
 * rows (imputed, count-encoded, standardised), each bucket's mean distance between its rows and their
 * reconstruction — with the reference band (mean ± 3 sd of reference chunks of the buckets' size) and an alert.
 * Reads the range's prediction rows (at most `MAX_MULTIVARIATE_ROWS`), so it answers within the raw retention.
 */
export async function multivariateDriftHandler(query: MultivariateQuery, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  await requireModel(store, query.model);
  const version = await versionOf(query, ctx);
  const reference = await store.getReference(query.model, version);
  if (!reference) {
    throw new QueryError(
      `model "${query.model}" has no reference profile in the drift store; send one with PUT /api/v1/models/${query.model}/reference`,
      404
    );
  }
  const profiled = Object.keys(reference.features).sort();
  const features = query.features ? [...new Set(query.features)] : profiled;
  const unknown = features.filter((f) => reference.features[f] === undefined);
  if (unknown.length > 0) {
    throw new QueryError(`features: not in the reference of "${query.model}": ${unknown.join(', ')}`);
  }
  if (features.length === 0) throw new QueryError(`model: the reference of "${query.model}" has no features`, 422);
  const components = query.components ?? DEFAULT_COMPONENTS;
  const multiplier = query.bandMultiplier ?? DEFAULT_BAND_MULTIPLIER;
  const { fitted, truncated } = await fittedMethod(store, query, version, reference.id, features, components);
  const kinds = fitted.features.map((f) => reference.features[f]?.kind ?? 'numeric');

  const { fromMs, toMs } = ctx.window;
  const notices: QueryResultMetaNotice[] = [];
  // A range starting within one bucket of the retention edge (a dashboard's now-30d) loses at most that bucket's start.
  if (!rawRowsCover(fromMs + bucketSizeOf(ctx))) {
    const days = Math.round(STORE_DEFAULTS.rawRetentionMs / 86_400_000);
    notices.push({
      severity: 'warning',
      text: `Multivariate drift reads prediction rows, which the store keeps for ${days} days: buckets before then are empty`,
    });
  }
  const segment = parseSegment(query.segment);
  let rows = await store.getPredictions({
    model: query.model,
    ...(version !== undefined ? { version } : {}),
    fromMs,
    toMs,
    limit: MAX_MULTIVARIATE_ROWS + 1,
    ...(segment ? { segment } : {}),
  });
  const bucketMs = bucketSizeOf(ctx);
  const last = rows[rows.length - 1];
  if (rows.length > MAX_MULTIVARIATE_ROWS && last) {
    // The last bucket read may be cut short; leave it and everything after it out rather than show a partial one.
    const cut = bucketStart(last.timestampMs, bucketMs);
    rows = rows.filter((r) => r.timestampMs < cut);
    notices.push({
      severity: 'warning',
      text: `Multivariate drift reads prediction rows: this range holds more than ${MAX_MULTIVARIATE_ROWS.toLocaleString('en-US')}, so buckets from ${new Date(cut).toISOString()} on are left out; choose a shorter range`,
    });
  }
  if (rows.length === 0) {
    throw new QueryError(`model: "${query.model}" has no predictions ${rangeText(fromMs, toMs)}`, 404);
  }
  const buckets = byBucket(rows, bucketMs);
  const results: ChunkReconstruction[] = [];
  for (const bucketRows of buckets.values()) {
    try {
      results.push(fitted.calculate(tableOf(fitted.features, kinds, bucketRows)));
    } catch (err) {
      asQueryError(err, 'multivariate_drift');
    }
  }
  const bucketRows = medianSize(results.map((r) => r.rows));
  // Large buckets (days) can outgrow the reference: the default then takes chunks small enough for a usable band.
  const capped = query.chunkSize === undefined && fitted.referenceRows < MIN_DEFAULT_CHUNKS * bucketRows;
  const chunkSize =
    query.chunkSize ?? (capped ? Math.max(1, Math.floor(fitted.referenceRows / MIN_DEFAULT_CHUNKS)) : bucketRows);
  let band: ReferenceBand;
  try {
    band = fitted.band(chunkSize, multiplier);
  } catch (err) {
    asQueryError(err, 'chunkSize');
  }
  if (truncated) {
    notices.push({
      severity: 'info',
      text: `PCA fitted on the ${fitted.referenceRows.toLocaleString('en-US')} reference rows the store keeps (the first of a larger reference)`,
    });
  }
  if (capped) {
    notices.push({
      severity: 'info',
      text: `The reference band comes from ${band.chunks} reference chunks of ${chunkSize} rows, fewer than the buckets' median of ${bucketRows} (the reference has ${fitted.referenceRows.toLocaleString('en-US')} rows): it is wider than a band at the buckets' size, so it alerts less`,
    });
  } else if (band.chunks < MIN_DEFAULT_CHUNKS) {
    notices.push({
      severity: 'info',
      text: `The reference band comes from ${band.chunks} reference chunks of ${chunkSize} rows; with fewer than ${MIN_DEFAULT_CHUNKS} it is a rough band`,
    });
  }
  const times = [...buckets.keys()];
  const scaling = query.bandScaling ?? 'chunk';
  const bands = results.map((r) => (scaling === 'rows' ? bandForRows(band, r.rows) : band));
  const alerts = results.map((r, i) => outsideBand(r.value, bands[i] ?? band));
  const steps = [
    { value: null, color: 'green' },
    { value: band.upper, color: 'red' },
  ];
  return [
    buildFrame({
      name: F.name,
      meta: {
        type: 'timeseries-wide',
        ...(notices.length > 0 ? { notices } : {}),
        custom: {
          method: 'data_reconstruction',
          bucketMs,
          features: fitted.features,
          components: fitted.components,
          explainedVariance: fitted.explainedVariance,
          referenceRows: fitted.referenceRows,
          referenceChunks: band.chunks,
          chunkSize,
          bandMultiplier: multiplier,
          bandScaling: scaling,
          lowerThreshold: band.lower,
          upperThreshold: band.upper,
          ...(version !== undefined ? { version } : {}),
        },
      },
      fields: [
        { name: F.time, type: 'time', values: times },
        {
          name: F.value,
          type: 'number',
          values: results.map((r) => r.value),
          config: {
            displayNameFromDS: F.valueDisplay,
            unit: UNITS.none,
            thresholds: { mode: 'absolute', steps },
            custom: {
              thresholds: { lower: band.lower, upper: band.upper },
              drifted: alerts,
            },
          },
        },
        {
          name: F.lowerConfidence,
          type: 'number',
          values: results.map((r) => r.lowerConfidence),
          config: { displayNameFromDS: F.lowerConfidenceDisplay, unit: UNITS.none },
        },
        {
          name: F.upperConfidence,
          type: 'number',
          values: results.map((r) => r.upperConfidence),
          config: { displayNameFromDS: F.upperConfidenceDisplay, unit: UNITS.none },
        },
        {
          name: F.samplingError,
          type: 'number',
          values: results.map((r) => r.samplingError),
          config: { displayNameFromDS: F.samplingErrorDisplay, unit: UNITS.none },
        },
        {
          name: F.lowerThreshold,
          type: 'number',
          values: bands.map((b) => b.lower),
          config: { displayNameFromDS: F.lowerThresholdDisplay, unit: UNITS.none },
        },
        {
          name: F.upperThreshold,
          type: 'number',
          values: bands.map((b) => b.upper),
          config: { displayNameFromDS: F.upperThresholdDisplay, unit: UNITS.none },
        },
        {
          name: F.alert,
          type: 'boolean',
          values: alerts,
          config: { displayNameFromDS: F.alertDisplay },
        },
        {
          name: F.rows,
          type: 'number',
          values: results.map((r) => r.rows),
          config: { displayNameFromDS: F.rowsDisplay, unit: UNITS.count },
        },
      ],
    }),
  ];
}
