import type { DestinationStream } from 'pino';
import swagger from '@fastify/swagger';
import { MAX_MODEL_NAME_LENGTH } from '@mlsight/contract';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppConfig } from '../config/config';
import { ingestPlugin } from '../ingest/plugin';
import type { MlflowClient } from '../mlflow';
import { FleetMonitorView } from '../monitor/fleetMonitorState';
import {
  fairnessContributor,
  Monitor,
  performanceContributor,
  scheduleMonitor,
  type SnapshotContributor,
  targetDriftContributor,
} from '../monitor';
import type { DriftStore } from '../store';
import { queryHandlers, type QueryHandlers } from '../queries';
import { authPlugin } from './auth';
import { installErrorHandler } from './errorHandler';
import { healthRoutes, type ReadinessCheck } from './health';
import { instrumentRequests, metricsRoutes, ProxyMetrics } from './metrics';
import { AnswerCache } from '../cache/answerCache';
import { REDACTED, redactErr, redactUrl } from './redact';
import { QueryWorkerPool } from './queryWorkers';
import { OneLineRequestLog } from './requestLog';
import { SharedAnswers } from './sharedAnswers';
import { annotationRoutes, queryRoutes, variableRoutes } from './routes';
import { actionRoutes } from './actionRoutes';
import { MlflowWriteClient } from '../mlflow/writeClient';

export const API_VERSION = '1.0.0';

export interface AppDeps {
  config: AppConfig;
  mlflow: MlflowClient;
  /** MLflow writes (alias moves, version tags); default: a client on the configured MLflow. */
  mlflowWriter?: MlflowWriteClient;
  /** The drift store; the app registers ingestion and a `store` readiness check when it has one. */
  store?: DriftStore;
  checks?: ReadinessCheck[];
  /** Monitor gauges beyond drift and quality; default: realised and CBPE-estimated performance, fairness. */
  monitorContributors?: readonly SnapshotContributor[];
  /** Replaces handlers in tests; production uses every handler. */
  handlers?: QueryHandlers;
  logger?: FastifyServerOptions['logger'];
  /**
   * Run query handlers in this many worker threads (each with its own store connection and MLflow client), so
   * queries never hold the event loop that serves ingestion and `/healthz`; 0 or absent: on the event loop.
   * The workers run the compiled `dist/server/queryWorker.js`, so tests through `app.inject()` leave it off.
   */
  queryWorkers?: number;
}

/**
 * Pino options: structured JSON, never a credential (bearer token, URL user info, `?token=` in a request line),
 * written to `stream` (default stdout, one write per line).
 */
export function loggerOptions(
  level: AppConfig['logLevel'],
  stream?: DestinationStream
): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: REDACTED },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
      err: redactErr,
    },
  };
}

/**
 * Longest `:model` path segment: the contract's 256 characters, percent-encoded (a character outside ASCII is up to
 * 3 UTF-8 bytes of `%XX` per UTF-16 code unit). Fastify's default of 100 answered 414 to valid names.
 */
export const MAX_PARAM_LENGTH = MAX_MODEL_NAME_LENGTH * 9;

/** Builds the proxy without listening, so tests drive it with `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(deps.config.logLevel),
    bodyLimit: deps.config.maxBodyBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    logController: new OneLineRequestLog(),
  }).withTypeProvider<ZodTypeProvider>();
  // Without a parser of its own, a text/plain body gets 415 (which media types are accepted), not a 400 about JSON.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, { maxBodyBytes: deps.config.maxBodyBytes });
  const metrics = new ProxyMetrics();
  instrumentRequests(app, metrics);
  const stopCountingMlflow = deps.mlflow.onReadOutcome((outcome) => metrics.mlflowRequests.inc({ outcome }));
  app.addHook('onClose', async () => stopCountingMlflow());

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
  const workers =
    deps.queryWorkers && deps.queryWorkers > 0
      ? new QueryWorkerPool({
          config: deps.config,
          size: deps.queryWorkers,
          onMlflowOutcome: (outcome) => metrics.mlflowRequests.inc({ outcome }),
          onWorkerExit: ({ code, pending }) => app.log.error({ code, pending }, 'query worker exited; replaced'),
        })
      : undefined;
  if (workers) app.addHook('onClose', async () => workers.close());
  const monitorView = new FleetMonitorView();
  await app.register(queryRoutes, {
    handlers: deps.handlers ?? queryHandlers,
    mlflow: deps.mlflow,
    config: deps.config,
    metrics,
    store,
    shared: new SharedAnswers(deps.config.answerMaxAgeMs),
    ...(workers ? { workers } : {}),
    ...(store ? { answers: new AnswerCache() } : {}),
    monitorView,
  });
  await app.register(metricsRoutes, { metrics, public: deps.config.metricsPublic });
  if (store) {
    await app.register(ingestPlugin, {
      store,
      metrics,
      maxBodyBytes: deps.config.maxBodyBytes,
      limits: deps.config.limits,
    });
  }
  if (store && deps.config.monitor.intervalMs > 0) {
    const contributorDeps = { mlflow: deps.mlflow, config: deps.config, log: app.log.child({ component: 'monitor' }) };
    const defaultContributors = [
      performanceContributor(contributorDeps),
      fairnessContributor(contributorDeps),
      targetDriftContributor(),
    ];
    // With workers, snapshots (and their default contributors) are computed there; explicit contributors (tests)
    // run here.
    const inWorkers = workers && !deps.monitorContributors ? workers : undefined;
    const monitor = new Monitor(store, metrics.monitor, {
      windowMs: deps.config.monitor.windowMs,
      log: app.log.child({ component: 'monitor' }),
      contributors: deps.monitorContributors ?? defaultContributors,
      onPublish: (samples, atMs) => monitorView.publish(samples, atMs),
      ...(inWorkers
        ? {
            computeSnapshot: (_store, model, window, options = {}) =>
              inWorkers.snapshot(model, window, {
                ...(options.version !== undefined ? { version: options.version } : {}),
                ...(options.nowMs !== undefined ? { nowMs: options.nowMs } : {}),
              }),
          }
        : {}),
    });
    const stopMonitor = scheduleMonitor(monitor, deps.config.monitor.intervalMs);
    // preClose: before any onClose hook (the owner of the store closes it in one), so no run meets a closed store.
    app.addHook('preClose', async () => stopMonitor());
  }
  await app.register(actionRoutes, {
    mlflow: deps.mlflow,
    ...(workers ? { workers } : {}),
    writer:
      deps.mlflowWriter ??
      new MlflowWriteClient({
        baseUrl: deps.config.mlflow.url,
        auth: deps.config.mlflow.auth,
        timeoutMs: deps.config.mlflow.timeoutMs,
      }),
    retrainWebhookUrl: deps.config.retrainWebhookUrl,
    grafanaUrl: deps.config.grafanaUrl,
    timeoutMs: deps.config.mlflow.timeoutMs,
  });
  await app.register(variableRoutes, { mlflow: deps.mlflow, store });
  await app.register(annotationRoutes, { mlflow: deps.mlflow, config: deps.config, ...(store ? { store } : {}) });
  app.get('/api/v1/openapi.json', { config: { scope: 'public' }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
