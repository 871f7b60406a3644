import { GRAFANA_ROLES, MAX_MODEL_NAME_LENGTH } from '@mlsight/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { promote } from '../actions/promote';
import { requestRetrain } from '../actions/retrain';
import type { MlflowClient } from '../mlflow';
import type { MlflowWriteClient } from '../mlflow/writeClient';
import { QueryError } from '../queries/errors';
import { ApiErrorSchema } from './errorSchema';
import type { QueryWorkerPool } from './queryWorkers';

export interface ActionRoutesOptions {
  mlflow: MlflowClient;
  writer: MlflowWriteClient;
  /** The query workers, whose own MLflow clients must forget their reads after an alias move too. */
  workers?: Pick<QueryWorkerPool, 'forgetCachedReads'>;
  retrainWebhookUrl: string | null;
  grafanaUrl: string | null;
  timeoutMs: number;
}

const ActorSchema = z.object({
  login: z.string().trim().min(1).max(256),
  role: z.enum(GRAFANA_ROLES),
});
const name = z.string().trim().min(1).max(MAX_MODEL_NAME_LENGTH);
const reason = z.string().trim().min(1, 'must say why').max(500);

const PromoteBodySchema = z.object({
  version: z.string().regex(/^\d+$/, 'must be a version number such as "3"'),
  reason,
  expectedVersion: z.string().regex(/^\d+$/, 'must be a version number or null').nullable(),
  actor: ActorSchema,
});

const PromoteResponseSchema = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.string(),
  previousVersion: z.string().nullable(),
  actor: ActorSchema,
  reason: z.string(),
  at: z.string(),
});

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
  503: ApiErrorSchema,
};

/**
 * The proxy's only MLflow writes: moving an alias (promote / rollback, audited in version tags) and relaying a
 * retraining request to a webhook. Both need a token with the `admin` scope and a Grafana Editor or Admin as actor.
 */
export const actionRoutes: FastifyPluginAsyncZod<ActionRoutesOptions> = async (app, opts) => {
  app.get(
    '/api/v1/models/:name/aliases',
    {
      config: { scope: 'read' },
      schema: {
        summary: "A registered model's aliases and versions, read fresh from MLflow",
        tags: ['models'],
        params: z.object({ name }),
        response: {
          200: z.object({
            model: z.string(),
            aliases: z.array(z.object({ alias: z.string(), version: z.string() })),
            versions: z.array(
              z.object({ version: z.string(), aliases: z.array(z.string()), createdAt: z.string().nullable() })
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const model = request.params.name;
      const registered = await opts.writer.registeredModel(model);
      const aliases = (registered.aliases ?? []).flatMap((a) =>
        a.alias && a.version ? [{ alias: a.alias, version: a.version }] : []
      );
      const versions = await opts.mlflow.searchModelVersions(`name='${model.replace(/'/g, "\\'")}'`);
      return {
        model,
        aliases,
        versions: versions
          .map((v) => {
            const created = Number(v.creation_timestamp);
            return {
              version: v.version ?? '',
              aliases: aliases.filter((a) => a.version === v.version).map((a) => a.alias),
              createdAt: Number.isFinite(created) && created > 0 ? new Date(created).toISOString() : null,
            };
          })
          .sort((a, b) => Number(b.version) - Number(a.version)),
      };
    }
  );

  app.post(
    '/api/v1/models/:name/aliases/:alias',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Promote or roll back: point an alias at a version, refused when it moved meanwhile (409)',
        description:
          'Reads the alias, compares it with expectedVersion, then sets it. MLflow has no compare-and-set, so a move ' +
          'by someone else between the read and the set is not detected.',
        tags: ['models'],
        params: z.object({ name, alias: name }),
        body: PromoteBodySchema,
        response: { 200: PromoteResponseSchema, ...errors },
      },
    },
    async (request) => {
      // The next deployments / versions answer (main thread or worker) reads the alias fresh, not a cached one.
      const forget = () => {
        opts.mlflow.forgetCachedReads();
        opts.workers?.forgetCachedReads();
      };
      try {
        const moved = await promote(opts.writer, {
          model: request.params.name,
          alias: request.params.alias,
          ...request.body,
        });
        forget();
        return moved;
      } catch (err) {
        // A conflict means MLflow moved past this proxy's cached reads: the reload the 409 asks for must show it.
        if (err instanceof QueryError && err.status === 409) forget();
        throw err;
      }
    }
  );

  app.post(
    '/api/v1/models/:name/retrain',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Relay a retraining request to MLSIGHT_RETRAIN_WEBHOOK_URL (503 when it is not set)',
        tags: ['models'],
        params: z.object({ name }),
        body: z.object({ reason, actor: ActorSchema }),
        response: {
          200: z.object({
            kind: z.literal('mlsight.retrain_request'),
            model: z.string(),
            version: z.string().nullable(),
            reason: z.string(),
            actor: ActorSchema,
            at: z.string(),
            dashboardUrl: z.string().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      requestRetrain(
        {
          writer: opts.writer,
          webhookUrl: opts.retrainWebhookUrl,
          grafanaUrl: opts.grafanaUrl,
          timeoutMs: opts.timeoutMs,
        },
        { model: request.params.name, ...request.body }
      )
  );
};
