import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppConfig } from '../config/config';
import { ingestPlugin } from '../ingest/plugin';
import type { MlflowClient } from '../mlflow';
import type { DriftStore } from '../store';
import { queryHandlers, type QueryHandlers } from '../queries';
import { authPlugin } from './auth';
import { installErrorHandler } from './errorHandler';
import { healthRoutes, type ReadinessCheck } from './health';
import { instrumentRequests, metricsRoutes, ProxyMetrics } from './metrics';
import { annotationRoutes, queryRoutes, variableRoutes } from './routes';

export const API_VERSION = '1.0.0';

export interface AppDeps {
  config: AppConfig;
  mlflow: MlflowClient;
  /** The drift store; the app registers ingestion and a `store` readiness check when it has one. */
  store?: DriftStore;
  checks?: ReadinessCheck[];
  /** Replaces handlers in tests; production uses every handler. */
  handlers?: QueryHandlers;
  logger?: FastifyServerOptions['logger'];
}

/** Pino options: structured JSON, never the bearer token. */
export function loggerOptions(level: AppConfig['logLevel']): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
  };
}

/** Builds the proxy without listening, so tests drive it with `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(deps.config.logLevel),
    bodyLimit: deps.config.maxBodyBytes,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  const metrics = new ProxyMetrics();
  instrumentRequests(app, metrics);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MLSight proxy API',
        description: 'Queries, variables, annotations and ingestion for the MLSight Grafana plugins',
        version: API_VERSION,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(authPlugin, deps.config.auth);
  const store = deps.store;
  const checks = [...(deps.checks ?? []), ...(store ? [{ name: 'store', check: () => store.ping() }] : [])];
  await app.register(healthRoutes, { mlflow: deps.mlflow, checks, metrics });
  await app.register(queryRoutes, {
    handlers: deps.handlers ?? queryHandlers,
    mlflow: deps.mlflow,
    config: deps.config,
    metrics,
    store,
  });
  await app.register(metricsRoutes, { metrics, public: deps.config.metricsPublic });
  if (store) await app.register(ingestPlugin, { store, maxBodyBytes: deps.config.maxBodyBytes });
  await app.register(variableRoutes, { mlflow: deps.mlflow, store });
  await app.register(annotationRoutes, { mlflow: deps.mlflow });
  app.get('/api/v1/openapi.json', { config: { scope: 'public' }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
