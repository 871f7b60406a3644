import type { FeatureKind, IngestResult, ReferenceResult } from '@mlsight/contract';
import type { PerformanceSummary } from '../stats';

export type { FeatureKind };

/**
 * What a sketch series describes: an input feature, the model's prediction, its scalar score, the delayed label
 * (bucketed by the prediction's time) or a feature's attribution (SHAP value).
 */
export const SKETCH_ROLES = ['feature', 'prediction', 'score', 'label', 'attribution'] as const;
export type SketchRole = (typeof SKETCH_ROLES)[number];

/** A numeric column frozen at reference time: 100 percentile bins (edges[0] = min, edges[100] = max). */
export interface NumericProfile {
  kind: 'numeric';
  /** Non-missing values. */
  count: number;
  missing: number;
  min: number;
  max: number;
  /** 101 non-decreasing edges; bin i is [edges[i], edges[i+1]), the last bin also holds edges[100]. */
  edges: number[];
  /** Counts in the sketch layout: [below min, bin 0 … bin 99, above max] (the tails are 0 for the reference). */
  counts: number[];
  sum: number;
  sumSq: number;
  /** Mean and population standard deviation (divisor n, two-pass): the normaliser of Wasserstein drift. */
  mean: number;
  std: number;
  /** [value, count] in ascending order when the column has at most 20 distinct values, else null. */
  valueCounts: Array<[number, number]> | null;
}

/** A categorical column frozen at reference time: its category set and counts (values compared as strings). */
export interface CategoricalProfile {
  kind: 'categorical';
  count: number;
  missing: number;
  /** Sorted by code unit; the index of a category is its position in every sketch of this reference. */
  categories: string[];
  counts: number[];
}

export type ColumnProfile = NumericProfile | CategoricalProfile;

/** A frozen reference profile of one model (and optionally one version). Immutable once stored. */
export interface ReferenceProfile {
  id: number;
  model: string;
  /** `null`: the model's default reference, used for versions without their own. */
  version: string | null;
  mlflowRunId: string | null;
  datasetDigest: string | null;
  createdAtMs: number;
  /** Valid reference rows the profile was computed from. */
  rowCount: number;
  /** Raw rows kept for exact tests (at most the configured cap; the first rows of the request). */
  storedRows: number;
  features: Record<string, ColumnProfile>;
  prediction: ColumnProfile | null;
  label: ColumnProfile | null;
}

/**
 * Mergeable summary of one series over one time bucket. All fields add up when buckets merge, so a window's
 * sketch is the sum of its buckets' sketches.
 */
export interface Sketch {
  /** Valid values: numeric in bins or tails, categorical in known or unseen categories; attributions: values. */
  count: number;
  missing: number;
  /** Rows rejected because this feature had the wrong type for its kind (counted, not stored). */
  typeErrors: number;
  /** Numeric values below the reference min or above its max (= counts[0] + counts[last]). */
  outOfRange: number;
  /** Categorical values outside the reference category set. */
  unseen: number;
  sum: number;
  sumSq: number;
  /** Sum of absolute values (for attributions: mean |SHAP| = absSum / count). */
  absSum: number;
  /**
   * Numeric: [below min, 100 fine bins, above max] on the reference edges; categorical: one count per reference
   * category; score: the same layout on SCORE_EDGES; attribution: empty.
   */
  counts: Float64Array;
  /** Unseen categories by name: the most frequent 100 per bucket; `unseen` holds the full total. */
  unseenCategories: Record<string, number>;
}

export interface BucketSketch extends Sketch {
  /** Start of the bucket (epoch ms, a multiple of the bucket size). */
  bucketMs: number;
}

export interface SketchSeries {
  role: SketchRole;
  /** Feature name; for prediction/score/label the role name itself. */
  name: string;
  /** `null` for attributions. */
  kind: FeatureKind | null;
  /** Buckets that have data, in time order (empty buckets are left out). */
  buckets: BucketSketch[];
}

export interface SketchQuery {
  model: string;
  /** Only this version's predictions; all versions on the resolved reference when absent. */
  version?: string;
  /** Feature names (role `feature` and `attribution`); all when absent. */
  features?: readonly string[];
  /** Roles to return; default all. */
  roles?: readonly SketchRole[];
  fromMs: number;
  toMs: number;
  /**
   * Requested bucket size; rounded up to whole minutes, and up to whole hours (days) when the range starts before
   * the minute (hour) retention.
   */
  bucketMs: number;
  /** The clock retention is measured against (tests); default now. */
  nowMs?: number;
}

export type SketchPlanQuery = Pick<SketchQuery, 'fromMs' | 'toMs' | 'bucketMs' | 'nowMs'>;

/** How a sketch query's range maps onto stored buckets: answer bucket size, stored granularity, [first, end). */
export interface SketchPlan {
  bucketMs: number;
  granularityMs: number;
  firstMs: number;
  endMs: number;
}

export interface SketchResult {
  reference: ReferenceProfile;
  /** Bucket size of the answer (the request's, rounded up; see SketchQuery.bucketMs). */
  bucketMs: number;
  /** Stored granularity that was merged (minute, hour or day). */
  granularityMs: number;
  series: SketchSeries[];
}

export interface RawValuesQuery {
  model: string;
  version?: string;
  feature: string;
  /** Default `feature`; `prediction`, `score` and `label` read those columns (label: not stored on predictions). */
  role?: Exclude<SketchRole, 'label'>;
  fromMs: number;
  toMs: number;
  /** At most this many values (the earliest first); default 1,000,000. */
  limit?: number;
  segment?: SegmentFilter;
  /** Also return each value's prediction time (`RawValues.times`). */
  withTimes?: boolean;
}

export interface RawValues {
  kind: FeatureKind | null;
  /** Non-missing values in time order. */
  values: Array<number | string>;
  /** The prediction time of each value, when the query asked `withTimes`. */
  times?: number[];
  missing: number;
  truncated: boolean;
}

/** The raw reference rows a store kept, row-aligned column by column (`DriftStore.getReferenceRows`). */
export interface ReferenceRows {
  /** The reference profile they belong to (immutable: a new reference gets a new id). */
  referenceId: number;
  features: Array<{ name: string; kind: FeatureKind }>;
  /** `columns[f][row]`, null when missing. */
  columns: StoredValue[][];
  rows: number;
  /** The reference had more rows than the store keeps. */
  truncated: boolean;
}

export interface SegmentFilter {
  field: string;
  value: string;
}

export type StoredValue = number | string | boolean | null;

export interface PredictionRecord {
  predictionId: string;
  timestampMs: number;
  version: string | null;
  features: Record<string, StoredValue>;
  prediction: StoredValue | number[];
  score: number | number[] | null;
  segment: Record<string, string>;
  attributions: Record<string, number>;
}

export interface LabeledPrediction {
  predictionId: string;
  timestampMs: number;
  version: string | null;
  prediction: StoredValue | number[];
  score: number | number[] | null;
  segment: Record<string, string>;
  label: StoredValue;
  labelTimestampMs: number;
}

export interface PredictionQuery {
  model: string;
  version?: string;
  fromMs: number;
  toMs: number;
  /** Default 100,000. */
  limit?: number;
  segment?: SegmentFilter;
  /**
   * `outputs`: only id, time, version, prediction, score and segment (features and attributions come back empty) —
   * what performance estimation needs, at a fraction of the read cost. Default `all`.
   */
  columns?: 'all' | 'outputs';
}

/** Stored performance summaries of a range at one granularity (`DriftStore.getPerformanceSummaries`). */
export interface PerformanceSummaryQuery {
  model: string;
  /** Bucket starts in [fromMs, toMs), multiples of `granularityMs`. */
  fromMs: number;
  toMs: number;
  /** A stored granularity: one minute or one hour. */
  granularityMs: number;
  segment?: SegmentFilter;
  /** The clock retention is measured against (tests); default now. */
  nowMs?: number;
}

export interface PerformanceSummaryResult {
  /** Buckets with labelled rows, in time order, all versions merged. */
  buckets: Array<{ bucketMs: number; summary: PerformanceSummary }>;
}

/** Every model's sketches over one range (`DriftStore.getFleetSketches`). */
export type FleetSketchQuery = SketchPlanQuery;

export interface FleetModelSketches {
  model: string;
  /** The reference a query without a version resolves to. */
  reference: ReferenceProfile;
  /** Time of the newest stored prediction (raw rows, so within the raw retention); null when none. */
  newestPredictionMs: number | null;
  /** Role `feature` only, every feature of the reference that has data in the range. */
  series: SketchSeries[];
}

export interface FleetSketchResult {
  bucketMs: number;
  granularityMs: number;
  /** Models with a reference profile, by name. */
  models: FleetModelSketches[];
}

export interface FleetPerformanceQuery {
  fromMs: number;
  toMs: number;
  /** A stored granularity (minute or hour); only whole buckets inside the range count. */
  granularityMs: number;
  nowMs?: number;
}

export interface ModelSummary {
  model: string;
  createdAtMs: number;
  lastIngestAtMs: number | null;
  references: Array<{ id: number; version: string | null; createdAtMs: number; rowCount: number }>;
}

export interface FeatureInfo {
  name: string;
  kind: FeatureKind;
}

export interface SegmentInfo {
  field: string;
  /** At most the first 1000 values seen. */
  values: string[];
}

export interface IngestOptions {
  idempotencyKey?: string;
  /** SHA-256 of the request body: a reused key with a different body is refused (409). */
  bodyHash?: string;
  /** Refuse the whole batch when any row is bad. */
  atomic?: boolean;
  /** Overrides the clock (tests). */
  nowMs?: number;
}

export interface ReferenceInput {
  version?: string;
  mlflowRunId?: string;
  datasetDigest?: string;
  kinds?: Record<string, FeatureKind>;
  predictionKind?: FeatureKind;
  labelKind?: FeatureKind;
  rows: readonly unknown[];
}

/** Outcome of one ingestion call. */
export interface IngestOutcome<R extends IngestResult = IngestResult> {
  result: R;
  /** The answer of an earlier batch with the same idempotency key; nothing was written. */
  replayed: boolean;
  /** `atomic` refused the batch because of bad rows (or nothing valid was left); nothing was written. */
  refused: boolean;
  /** Why a refused batch was refused, when not simply `atomic`. */
  refusal?: string;
}

export interface PruneResult {
  chunks: number;
  labels: number;
  sketches: number;
  performanceSummaries: number;
  idempotencyKeys: number;
}

/** Retention and caps; every field has a default. */
export interface StoreOptions {
  /** Raw prediction rows and labels (by prediction time). Default 30 days. */
  rawRetentionMs?: number;
  /** Minute sketches; older minutes are neither written nor kept. Default 2 days. */
  minuteRetentionMs?: number;
  /** Hour sketches. Default 400 days. Day sketches are kept forever. */
  hourRetentionMs?: number;
  /** Idempotency keys. Default 7 days. */
  idempotencyRetentionMs?: number;
  /** Raw reference rows kept for exact tests. Default 200,000. */
  referenceRowCap?: number;
  /** Distinct categories a categorical reference feature may have. Default 10,000. */
  maxCategories?: number;
  /** Rows per stored column chunk. Default 4096. */
  chunkRows?: number;
}

/**
 * The drift store: one interface, two engines (SQLite embedded, PostgreSQL shared). Ingestion methods validate
 * rows themselves (they need the frozen reference) and resolve only after the transaction committed.
 */
export interface DriftStore {
  readonly engine: 'sqlite' | 'postgres';

  putReference(model: string, input: ReferenceInput, opts?: IngestOptions): Promise<IngestOutcome<ReferenceResult>>;
  ingestPredictions(model: string, rows: readonly unknown[], opts?: IngestOptions): Promise<IngestOutcome>;
  ingestLabels(model: string, rows: readonly unknown[], opts?: IngestOptions): Promise<IngestOutcome>;

  /** The reference for a version (its own, else the model's default); without a version the default one. */
  getReference(model: string, version?: string): Promise<ReferenceProfile | undefined>;
  /** Per series and bucket merged sketches on the resolved reference; undefined when the model has none. */
  getFeatureSketches(query: SketchQuery): Promise<SketchResult | undefined>;
  /** Raw stored values of one column within the raw retention, for exact tests (KS on raw rows). */
  getRawFeatureValues(query: RawValuesQuery): Promise<RawValues>;
  /** Raw reference values of one column (`role` feature, prediction or label). */
  getReferenceValues(
    model: string,
    feature: string,
    opts?: { version?: string; role?: 'feature' | 'prediction' | 'label' }
  ): Promise<RawValues>;
  /** The kept raw reference rows of some features, row-aligned; undefined when the model has no reference. */
  getReferenceRows(
    model: string,
    opts?: { version?: string; features?: readonly string[] }
  ): Promise<ReferenceRows | undefined>;
  /** Stored prediction rows in time order. */
  getPredictions(query: PredictionQuery): Promise<PredictionRecord[]>;
  /** Predictions joined with their labels, by prediction time. */
  getLabeledPredictions(query: PredictionQuery): Promise<LabeledPrediction[]>;
  /**
   * Per-bucket sufficient statistics of realised performance, written with each label join; undefined when the
   * granularity is not kept for the range.
   */
  getPerformanceSummaries(query: PerformanceSummaryQuery): Promise<PerformanceSummaryResult | undefined>;
  /** Every model's feature sketches on its default reference in a fixed number of reads (the fleet overview). */
  getFleetSketches(query: FleetSketchQuery): Promise<FleetSketchResult>;
  /** Every model's realised-performance summary over the range, merged; undefined when not kept for it. */
  getFleetPerformanceSummaries(query: FleetPerformanceQuery): Promise<Map<string, PerformanceSummary> | undefined>;
  getPrediction(
    model: string,
    predictionId: string
  ): Promise<(PredictionRecord & { label: StoredValue | undefined }) | undefined>;

  listModels(): Promise<ModelSummary[]>;
  listFeatures(model: string, version?: string): Promise<FeatureInfo[]>;
  listSegments(model: string): Promise<SegmentInfo[]>;
  lastIngestAt(model: string): Promise<number | null>;
  /** Grows with every committed write to the model; undefined for an unknown model. */
  dataGeneration(model: string): Promise<number | undefined>;
  /** The buckets `getFeatureSketches` would answer with (depends on the clock through retention). */
  planSketchBuckets(query: SketchPlanQuery): SketchPlan;

  /** Deletes what retention no longer keeps. Safe to run from several replicas at once. */
  prune(nowMs?: number): Promise<PruneResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
