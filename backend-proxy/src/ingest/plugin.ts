import { createHash } from 'node:crypto';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  IngestBatchBodySchema,
  IngestQuerySchema,
  IngestRefusalSchema,
  IngestResultSchema,
  type IngestResult,
  ModelNameSchema,
  NDJSON_CONTENT_TYPE,
  parseKindList,
  ReferenceBodySchema,
  ReferenceQuerySchema,
  ReferenceResultSchema,
  type RowError,
} from '@mlsight/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMIT_DEFAULTS } from '../config/config';
import { StoreRequestError } from '../store/profile';
import type { DriftStore, IngestOptions, IngestOutcome } from '../store/types';
import { parseNdjson } from './ndjson';
import { scoreWarnings, withWarnings } from './scoreWarnings';
import { type IngestLimits, screenRows } from './screenRows';
import { drainRequestBody } from '../server/drainBody';
import { ApiErrorSchema } from '../server/errorSchema';

/** What the ingestion API writes: the `kind` label of its Prometheus metrics. */
export type IngestKind = 'predictions' | 'labels' | 'reference';

/** Where the plugin counts rows and times batches: the proxy's Prometheus metrics (left out in some tests). */
export interface IngestMetrics {
  ingestRows: {
    inc(labels: { model: string; kind: IngestKind; outcome: 'accepted' | 'rejected' }, value: number): void;
  };
  ingestDuration: { observe(labels: { kind: IngestKind }, seconds: number): void };
}

export interface IngestPluginOptions {
  store: DriftStore;
  metrics?: IngestMetrics;
  /** Largest accepted body; a larger one gets 413 naming this limit. */
  maxBodyBytes: number;
  /** Rows per batch, features, string lengths; default `LIMIT_DEFAULTS`. */
  limits?: IngestLimits;
  /** Refuse a whole batch when any row is bad, unless the request says `?atomic=false`. Default false. */
  rejectWholeBatchOnError?: boolean;
}

const ModelParamsSchema = z.object({ model: ModelNameSchema });

const IngestHeadersSchema = z.looseObject({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Key of this batch: a batch sent again with the same key returns the first answer and writes nothing'),
});

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
};

function isBodyTooLarge(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = 'code' in err ? err.code : undefined;
  const statusCode = 'statusCode' in err ? err.statusCode : undefined;
  return code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413;
}

/** One ingestion request, as its metrics see it. */
interface IngestBatch {
  model: string;
  kind: IngestKind;
  /** Rows in the request body. */
  rows: number;
}

const errorResponses = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  409: ApiErrorSchema,
  413: ApiErrorSchema,
  415: ApiErrorSchema,
  500: ApiErrorSchema,
};

/**
 * The ingestion API of the drift store: `PUT /api/v1/models/:model/reference`,
 * `POST /api/v1/models/:model/predictions` and `POST /api/v1/models/:model/labels`, JSON (`{rows: [...]}`) or NDJSON
 * bodies, `Idempotency-Key` batches, per-row errors and `?atomic=true`. Every route needs the `ingest` scope.
 */
export const ingestPlugin: FastifyPluginAsyncZod<IngestPluginOptions> = async (app, opts) => {
  const { store, maxBodyBytes } = opts;
  const limits = opts.limits ?? LIMIT_DEFAULTS;
  /** SHA-256 of each body that came with an idempotency key: a reused key with another body is refused. */
  const bodyHashes = new WeakMap<FastifyRequest, string>();
  const defaultJson = app.getDefaultJsonParser('error', 'ignore');

  const remember = (request: FastifyRequest, body: Buffer) => {
    if (request.headers[IDEMPOTENCY_KEY_HEADER] !== undefined) {
      bodyHashes.set(request, createHash('sha256').update(body).digest('hex'));
    }
  };
  const parseJson = (request: FastifyRequest, text: string): unknown => {
    let value: unknown;
    let failure: Error | null = null;
    void defaultJson(request, text, (err, parsed) => {
      failure = err;
      value = parsed;
    });
    if (failure) throw failure;
    return value;
  };

  // Encapsulated: these parsers serve this plugin's routes only.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: maxBodyBytes },
    (request, body, done) => {
      const buffer = body as Buffer;
      remember(request, buffer);
      try {
        done(null, parseJson(request, buffer.toString('utf8')));
      } catch (err) {
        done(err as Error, undefined);
      }
    }
  );
  app.addContentTypeParser(
    NDJSON_CONTENT_TYPE,
    { parseAs: 'buffer', bodyLimit: maxBodyBytes },
    (request, body, done) => {
      const buffer = body as Buffer;
      remember(request, buffer);
      done(null, { rows: parseNdjson(buffer.toString('utf8'), (line) => parseJson(request, line)) });
    }
  );

  app.setErrorHandler(async (err, request, reply) => {
    if (isBodyTooLarge(err)) {
      await drainRequestBody(request.raw);
      return reply.code(413).send({
        statusCode: 413,
        error: STATUS_TEXT[413],
        message: `request body is larger than the limit of ${maxBodyBytes} bytes (MLSIGHT_MAX_BODY_BYTES); send smaller batches`,
      });
    }
    // Everything else is the application's error handler's business.
    throw err;
  });

  const ingestOptions = (
    request: FastifyRequest,
    headers: { [IDEMPOTENCY_KEY_HEADER]?: string | undefined },
    atomic: boolean | undefined
  ): IngestOptions => {
    const key = headers[IDEMPOTENCY_KEY_HEADER];
    const bodyHash = bodyHashes.get(request);
    return {
      atomic: atomic ?? opts.rejectWholeBatchOnError ?? false,
      ...(key ? { idempotencyKey: key } : {}),
      ...(bodyHash ? { bodyHash } : {}),
    };
  };

  /**
   * Counts a batch's rows: accepted and rejected as the store reports them (duplicates are neither); every row of a
   * batch that wrote nothing — refused by `atomic` or failed — as rejected; a replayed batch not again.
   */
  const count = (batch: IngestBatch, accepted: number, rejected: number) => {
    const { model, kind } = batch;
    if (accepted > 0) opts.metrics?.ingestRows.inc({ model, kind, outcome: 'accepted' }, accepted);
    if (rejected > 0) opts.metrics?.ingestRows.inc({ model, kind, outcome: 'rejected' }, rejected);
  };

  /** Sends an outcome (200, or 422 when atomic refused the batch) or a request-level error. */
  async function answer<R extends IngestResult>(
    reply: FastifyReply,
    batch: IngestBatch,
    run: () => Promise<IngestOutcome<R>>,
    warnings: readonly RowError[] = []
  ) {
    let outcome: IngestOutcome<R>;
    const started = performance.now();
    try {
      outcome = await run();
    } catch (err) {
      count(batch, 0, batch.rows);
      if (err instanceof StoreRequestError) {
        return reply.code(err.statusCode).send({
          statusCode: err.statusCode,
          error: STATUS_TEXT[err.statusCode] ?? 'Bad Request',
          message: err.message,
        });
      }
      throw err;
    } finally {
      opts.metrics?.ingestDuration.observe({ kind: batch.kind }, (performance.now() - started) / 1000);
    }
    if (outcome.refused) count(batch, 0, batch.rows);
    else if (!outcome.replayed) count(batch, outcome.result.accepted, outcome.result.rejected);
    if (outcome.replayed) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    if (outcome.refused) {
      const { accepted, rejected, duplicates, errors } = outcome.result;
      return reply.code(422).send({
        statusCode: 422 as const,
        error: STATUS_TEXT[422] ?? 'Unprocessable Entity',
        message: outcome.refusal ?? `batch refused (atomic): ${rejected} bad row(s), nothing was written`,
        accepted,
        rejected,
        duplicates,
        errors,
      });
    }
    return reply.code(200).send(withWarnings(outcome.result, warnings));
  }

  const common = { bodyLimit: maxBodyBytes, config: { scope: 'ingest' as const } };
  const consumes = ['application/json', NDJSON_CONTENT_TYPE];

  app.put(
    '/api/v1/models/:model/reference',
    {
      ...common,
      schema: {
        summary: 'Freeze the reference profile of a model (or one version)',
        description:
          'Rows of the reference dataset (`{"version"?, "rows": [{"features": {...}, "prediction"?, "label"?}]}` or ' +
          'NDJSON rows with the metadata in the query string). Feature kinds are inferred as Evidently does and ' +
          'can be overridden; numeric features get 100 percentile bins, categorical ones their category set. A new ' +
          'PUT replaces the reference for later data.',
        tags: ['ingest'],
        consumes,
        params: ModelParamsSchema,
        querystring: ReferenceQuerySchema,
        headers: IngestHeadersSchema,
        body: ReferenceBodySchema,
        response: { 200: ReferenceResultSchema, 422: IngestRefusalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { body, query } = request;
      const version = body.version ?? query.version;
      const mlflowRunId = body.mlflow_run_id ?? query.mlflow_run_id;
      const datasetDigest = body.dataset_digest ?? query.dataset_digest;
      const predictionKind = body.prediction_kind ?? query.prediction_kind;
      const labelKind = body.label_kind ?? query.label_kind;
      const batch = { model: request.params.model, kind: 'reference' as const, rows: body.rows.length };
      return answer(reply, batch, () =>
        store.putReference(
          request.params.model,
          {
            rows: screenRows(body.rows, 'reference', limits),
            kinds: { ...parseKindList(query.kinds), ...body.kinds },
            ...(version !== undefined ? { version: String(version) } : {}),
            ...(mlflowRunId ? { mlflowRunId } : {}),
            ...(datasetDigest ? { datasetDigest } : {}),
            ...(predictionKind ? { predictionKind } : {}),
            ...(labelKind ? { labelKind } : {}),
          },
          ingestOptions(request, request.headers, query.atomic)
        )
      );
    }
  );

  /** The two batch routes differ only in path, text and the store method they call. */
  const batchRoute = (
    kind: 'predictions' | 'labels',
    path: string,
    summary: string,
    description: string,
    ingest: DriftStore['ingestPredictions'] | DriftStore['ingestLabels']
  ) =>
    app.post(
      path,
      {
        ...common,
        schema: {
          summary,
          description,
          tags: ['ingest'],
          consumes,
          params: ModelParamsSchema,
          querystring: IngestQuerySchema,
          headers: IngestHeadersSchema,
          body: IngestBatchBodySchema,
          response: { 200: IngestResultSchema, 422: IngestRefusalSchema, ...errorResponses },
        },
      },
      async (request, reply) =>
        answer(
          reply,
          { model: request.params.model, kind, rows: request.body.rows.length },
          () =>
            ingest(
              request.params.model,
              screenRows(request.body.rows, 'batch', limits),
              ingestOptions(request, request.headers, request.query.atomic)
            ),
          kind === 'predictions' ? scoreWarnings(request.body.rows) : []
        )
    );

  batchRoute(
    'predictions',
    '/api/v1/models/:model/predictions',
    'Ingest predictions',
    'Rows `{"prediction_id", "timestamp", "version"?, "features": {...}, "prediction"?, "score"?, "segment"?, ' +
      '"attributions"?}` as `{"rows": [...]}` or NDJSON. Bad rows are reported by index and the others kept, ' +
      'unless `?atomic=true`. A row with the prediction_id and timestamp of a stored row is a duplicate.',
    (model, rows, opts) => store.ingestPredictions(model, rows, opts)
  );
  batchRoute(
    'labels',
    '/api/v1/models/:model/labels',
    'Ingest delayed labels',
    'Rows `{"prediction_id", "label", "timestamp"?}`: the actual outcome of stored predictions, joined by ' +
      'prediction_id (a changed label replaces the earlier one).',
    (model, rows, opts) => store.ingestLabels(model, rows, opts)
  );
};
