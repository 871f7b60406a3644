import { z } from 'zod';

/**
 * The ingestion API of the drift store: reference profiles, predictions and delayed labels.
 *
 * Bodies are `{ "rows": [...] }` JSON or NDJSON (`application/x-ndjson`, one row per line). Rows are checked one
 * by one: a bad row is reported by its index with a reason and the good rows are kept, unless the request sets
 * `?atomic=true`, which refuses the whole batch (HTTP 422) when any row is bad. A 2xx is sent only after the rows
 * are durable. A batch sent again with the same `Idempotency-Key` returns the first answer and changes nothing.
 */

/** Header carrying the batch's idempotency key (per model and endpoint). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Response header set when the answer is the stored result of an earlier batch with the same key. */
export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';
/** Content type of newline-delimited JSON bodies. */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

export const FEATURE_KINDS = ['numeric', 'categorical'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/** Longest model name, in UTF-16 code units (MLflow's registry allows 256). */
export const MAX_MODEL_NAME_LENGTH = 256;

/**
 * Model names as they appear in MLflow's registry; they are path segments here. NUL is refused: PostgreSQL's text
 * type cannot hold it, and no registry name contains it.
 */
export const ModelNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_MODEL_NAME_LENGTH)
  .refine((name) => !name.includes('\u0000'), 'must not contain the NUL character');

/** A feature value; `null` (or an absent key) counts as missing. */
export const FeatureValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type FeatureValue = z.infer<typeof FeatureValueSchema>;

/** Earliest accepted ingestion time, 2000-01-01T00:00:00Z: epoch 0 is a client that sent no time. */
export const MIN_INGEST_TIMESTAMP_MS = Date.UTC(2000, 0, 1);
/** Accepted ingestion times end before 2100-01-01T00:00:00Z (9999-12-31 is a "never" marker, not a time). */
export const MAX_INGEST_TIMESTAMP_MS = Date.UTC(2100, 0, 1);

/**
 * Epoch milliseconds (number or digits) or an ISO-8601 string such as `2026-11-25T10:00:00Z`, from 2000-01-01 to
 * before 2100-01-01; an impossible day such as `2026-02-30` is refused.
 */
export const IngestTimestampSchema = z.union([
  z.number().min(MIN_INGEST_TIMESTAMP_MS).lt(MAX_INGEST_TIMESTAMP_MS),
  z.string().min(1),
]);

/** A string without U+0000, which PostgreSQL's text cannot hold: both engines refuse it alike. */
const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character');
const featureName = text(1, 256);
const idSchema = z.union([text(1, 256), z.number().int().nonnegative()]);
const versionSchema = z.union([text(1, 64), z.number().int().nonnegative()]);
const target = z.union([z.number(), z.string(), z.boolean()]);

/** One row of `PUT /api/v1/models/{model}/reference`. */
export const ReferenceRowSchema = z.object({
  features: z.record(featureName, FeatureValueSchema),
  prediction: target.nullable().optional(),
  label: target.nullable().optional(),
});
export type ReferenceRow = z.infer<typeof ReferenceRowSchema>;

/** One row of `POST /api/v1/models/{model}/predictions`. */
export const PredictionRowSchema = z.object({
  prediction_id: idSchema,
  timestamp: IngestTimestampSchema,
  version: versionSchema.optional(),
  features: z.record(featureName, FeatureValueSchema),
  prediction: target.nullable().optional(),
  /**
   * Score or class probabilities; scalar scores are also histogrammed on [0, 1]. A score outside [0, 1] is stored
   * (a regression model's or a decision function's score may be anything) and reported in the answer's `warnings`.
   */
  score: z
    .union([z.number(), z.array(z.number())])
    .nullable()
    .optional(),
  /** Segment fields (e.g. `{"region": "eu"}`) for per-segment and fairness views. */
  segment: z.record(featureName, z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  /** Per-feature attributions (e.g. SHAP values) of this prediction. */
  attributions: z.record(featureName, z.number()).optional(),
});
export type PredictionRow = z.infer<typeof PredictionRowSchema>;

/** One row of `POST /api/v1/models/{model}/labels`: the actual outcome of an earlier prediction. */
export const LabelRowSchema = z.object({
  prediction_id: idSchema,
  label: target,
  timestamp: IngestTimestampSchema.optional(),
});
export type LabelRow = z.infer<typeof LabelRowSchema>;

const rowsOf = (what: string) =>
  z
    .array(z.unknown())
    .max(10_000_000)
    .describe(`${what}; each row is checked on its own and a bad row is reported by its index`);

/** JSON body of the predictions and labels endpoints. */
export const IngestBatchBodySchema = z.object({ rows: rowsOf('PredictionRow or LabelRow objects') });
export type IngestBatchBody = z.infer<typeof IngestBatchBodySchema>;

/** JSON body of the reference endpoint; NDJSON bodies carry rows only and the rest in the query string. */
export const ReferenceBodySchema = z.object({
  version: versionSchema.optional(),
  mlflow_run_id: text(1, 256).optional(),
  dataset_digest: text(1, 256).optional(),
  /** Overrides the inferred kind of named features. */
  kinds: z.record(featureName, z.enum(FEATURE_KINDS)).optional(),
  prediction_kind: z.enum(FEATURE_KINDS).optional(),
  label_kind: z.enum(FEATURE_KINDS).optional(),
  rows: rowsOf('ReferenceRow objects'),
});
export type ReferenceBody = z.infer<typeof ReferenceBodySchema>;

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

/** Query string of every ingestion endpoint. */
export const IngestQuerySchema = z.object({
  /** `true`: refuse the whole batch (HTTP 422, nothing written) when any row is bad. */
  atomic: booleanFlag,
});

/** Query string of the reference endpoint (the metadata for NDJSON bodies; a JSON body's fields win). */
export const ReferenceQuerySchema = IngestQuerySchema.extend({
  version: text(1, 64).optional(),
  mlflow_run_id: text(1, 256).optional(),
  dataset_digest: text(1, 256).optional(),
  /**
   * Kind overrides as `age:numeric,zip:categorical`. At most 8,000 characters: with the path and the rest of the query
   * it must fit the server's 16 KiB of request line and headers (above that the answer is 431); longer lists go
   * in a JSON body's `kinds`.
   */
  kinds: z
    .string()
    .max(8_000)
    .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character')
    .regex(
      /^([^:,]+:(numeric|categorical))(,[^:,]+:(numeric|categorical))*$/,
      'must look like age:numeric,zip:categorical'
    )
    .optional(),
  prediction_kind: z.enum(FEATURE_KINDS).optional(),
  label_kind: z.enum(FEATURE_KINDS).optional(),
});

/** Parses the `kinds` query-string form into a record. */
export function parseKindList(value: string | undefined): Record<string, FeatureKind> {
  const out: Record<string, FeatureKind> = {};
  if (!value) return out;
  for (const pair of value.split(',')) {
    const sep = pair.lastIndexOf(':');
    const kind = pair.slice(sep + 1);
    if (sep > 0 && (kind === 'numeric' || kind === 'categorical')) out[pair.slice(0, sep)] = kind;
  }
  return out;
}

export const RowErrorSchema = z.object({ index: z.number().int().nonnegative(), reason: z.string() });
export type RowError = z.infer<typeof RowErrorSchema>;

/** Answer of every ingestion endpoint. `errors` lists at most the first 1000 bad rows. */
export const IngestResultSchema = z.object({
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** Rows whose prediction_id (or label) was already stored: not counted again. */
  duplicates: z.number().int().nonnegative(),
  errors: z.array(RowErrorSchema),
  /** Rows stored but worth a look, by index (a score outside [0, 1]); absent when there are none. */
  warnings: z.array(RowErrorSchema).optional(),
});
export type IngestResult = z.infer<typeof IngestResultSchema>;

export const ReferenceFeatureSummarySchema = z.object({
  name: z.string(),
  kind: z.enum(FEATURE_KINDS),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  /** Numeric: the reference's min and max; categorical: the number of categories. */
  min: z.number().optional(),
  max: z.number().optional(),
  categories: z.number().int().nonnegative().optional(),
});

export const ReferenceResultSchema = IngestResultSchema.extend({
  reference: z.object({
    id: z.number().int(),
    version: z.string().nullable(),
    rowCount: z.number().int().nonnegative(),
    storedRows: z.number().int().nonnegative(),
    features: z.array(ReferenceFeatureSummarySchema),
  }),
  notices: z.array(z.string()),
});
export type ReferenceResult = z.infer<typeof ReferenceResultSchema>;

/** HTTP 422 answer when `?atomic=true` refused a batch with bad rows: nothing was written. */
export const IngestRefusalSchema = IngestResultSchema.extend({
  statusCode: z.literal(422),
  error: z.string(),
  message: z.string(),
});
export type IngestRefusal = z.infer<typeof IngestRefusalSchema>;

/** The most row errors one answer lists (the counts are always complete). */
export const MAX_REPORTED_ROW_ERRORS = 1000;
