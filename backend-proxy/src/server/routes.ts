import {
  AnnotationRequestSchema,
  type QueryResponse,
  QueryRequestSchema,
  VARIABLE_KINDS,
  VariableQuerySchema,
} from '@mlsight/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../config/config';
import type { MlflowClient } from '../mlflow';
import type { QueryHandlers } from '../queries';
import { findAnnotations } from '../queries/annotations';
import { findVariableValues } from '../queries/variables';
import { executeQueries } from './executeQueries';
import { queryResponseBody } from './responseJson';
import type { AnswerCache } from '../cache/answerCache';
import type { FleetMonitorView } from '../monitor/fleetMonitorState';
import type { QueryWorkerPool } from './queryWorkers';
import type { SharedAnswers } from './sharedAnswers';
import type { DriftStore } from '../store';
import type { ProxyMetrics } from './metrics';
import { ApiErrorSchema } from './errorSchema';

/** Every answer but 200 of the read routes: a malformed request, auth, a limit, MLflow down, or an internal error. */
const errorResponses = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  413: ApiErrorSchema,
  415: ApiErrorSchema,
  500: ApiErrorSchema,
  502: ApiErrorSchema,
  503: ApiErrorSchema,
  504: ApiErrorSchema,
};

const FrameSchema = z
  .object({ schema: z.record(z.string(), z.unknown()), data: z.object({ values: z.array(z.array(z.unknown())) }) })
  .describe("Grafana DataFrameJSON (see @grafana/data's dataFrameFromJSON)");

export const QueryResponseSchema = z.object({
  results: z.record(
    z.string(),
    z.object({ frames: z.array(FrameSchema), error: z.string().optional(), status: z.number().optional() })
  ),
});

export interface QueryRoutesOptions {
  handlers: QueryHandlers;
  mlflow: MlflowClient;
  config: AppConfig;
  metrics?: ProxyMetrics;
  store?: DriftStore;
  answers?: AnswerCache;
  shared?: SharedAnswers;
  workers?: QueryWorkerPool;
  monitorView?: FleetMonitorView;
}

/** `POST /api/v1/query`: Grafana's backend query shape; each query answered on its own. */
export const queryRoutes: FastifyPluginAsyncZod<QueryRoutesOptions> = async (app, opts) => {
  app.post(
    '/api/v1/query',
    {
      config: { scope: 'read' },
      // The response schema documents the route (OpenAPI) but is not re-validated on the way out: the frames are
      // built by the contract's builders, and zod-checking a 50 × 720 heatmap cost more than computing a cached one.
      // The handler sends text (below); this serializer only meets error bodies.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        summary: 'Run Grafana queries',
        description: 'Body and response follow Grafana backend query API: results[refId].frames as DataFrameJSON.',
        tags: ['query'],
        body: QueryRequestSchema,
        response: { 200: QueryResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const response = await executeQueries(request.body, {
        handlers: opts.handlers,
        mlflow: opts.mlflow,
        config: opts.config,
        log: request.log,
        metrics: opts.metrics,
        store: opts.store,
        answers: opts.answers,
        shared: opts.shared,
        workers: opts.workers,
        monitorView: opts.monitorView,
      });
      // Sent as bytes: cached answers keep their JSON (see responseJson.ts), so a refresh does not re-stringify or
      // re-encode them. The typed reply wants the schema's value; Fastify sends a Buffer as it is.
      const body = queryResponseBody(response) as unknown as QueryResponse;
      return reply.type('application/json; charset=utf-8').send(body);
    }
  );
};

/** `GET /api/v1/variables/{kind}`: template-variable values as Grafana's MetricFindValue list. */
export const variableRoutes: FastifyPluginAsyncZod<{ mlflow: MlflowClient; store?: DriftStore }> = async (
  app,
  opts
) => {
  app.get(
    '/api/v1/variables/:kind',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Template-variable values',
        tags: ['variables'],
        params: z.object({ kind: z.enum(VARIABLE_KINDS) }),
        querystring: VariableQuerySchema,
        response: {
          200: z.array(z.object({ text: z.string(), value: z.string() })),
          ...errorResponses,
          404: ApiErrorSchema,
        },
      },
    },
    async (request) => findVariableValues(request.params.kind, request.query, opts.mlflow, opts.store)
  );
};

export interface AnnotationRoutesOptions {
  mlflow: MlflowClient;
  config: AppConfig;
  /** Drift alerts need the drift store; without one the route answers the MLflow events only. */
  store?: DriftStore;
}

/** `POST /api/v1/annotations`: deployments, alias changes, retrain runs and drift alerts as annotation events. */
export const annotationRoutes: FastifyPluginAsyncZod<AnnotationRoutesOptions> = async (app, opts) => {
  app.post(
    '/api/v1/annotations',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Annotation events',
        tags: ['annotations'],
        body: AnnotationRequestSchema,
        response: {
          200: z.array(
            z.object({
              time: z.number(),
              timeEnd: z.number().optional(),
              title: z.string(),
              text: z.string(),
              tags: z.array(z.string()),
              kind: z.string(),
              model: z.string().optional(),
              version: z.string().optional(),
            })
          ),
          ...errorResponses,
          404: ApiErrorSchema,
        },
      },
    },
    async (request) =>
      findAnnotations(request.body, {
        mlflow: opts.mlflow,
        config: opts.config,
        log: request.log,
        ...(opts.store ? { store: opts.store } : {}),
      })
  );
};
