import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { MonitorGauges } from '../monitor';

/**
 * The proxy's Prometheus metrics, one registry per app (tests build many apps in one process). Names follow
 * Prometheus conventions: `mlsight_` prefix, base units in the name, `_total` for counters.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'mlsight_http_requests_total',
    help: 'HTTP requests answered by the proxy, by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'mlsight_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly queries = new Counter({
    name: 'mlsight_queries_total',
    help: 'Grafana queries answered, by queryType and outcome (ok, stale, error).',
    labelNames: ['query_type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly dependencyUp = new Gauge({
    name: 'mlsight_dependency_up',
    help: 'Whether a dependency answered its last readiness check (1) or not (0).',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });
  readonly ingestRows = new Counter({
    name: 'mlsight_ingest_rows_total',
    help: 'Rows sent to the ingestion API, by model, kind (predictions, labels, reference) and outcome (accepted, rejected).',
    labelNames: ['model', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly ingestDuration = new Histogram({
    name: 'mlsight_ingest_batch_duration_seconds',
    help: 'Time to validate and durably store one ingestion batch, by kind.',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly mlflowRequests = new Counter({
    name: 'mlsight_mlflow_requests_total',
    help: 'Reads from MLflow that needed the server (cache misses), by outcome: ok, error, or stale (MLflow failed and a cached value stood in).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  /** Drift, data-quality, volume and freshness gauges, recomputed by the monitor on its schedule. */
  readonly monitor = new MonitorGauges(this.registry);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mlsight_proxy_' });
  }
}

/** `GET /metrics` in Prometheus text format, and request counting for every route. */
export const metricsRoutes: FastifyPluginAsync<{ metrics: ProxyMetrics; public: boolean }> = async (app, opts) => {
  app.get(
    '/metrics',
    { config: { scope: opts.public ? 'public' : 'read' }, schema: { hide: true } },
    async (_r, reply) => reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics())
  );
};

/** Hooks that count and time every request by its route pattern (never the raw URL: label cardinality). */
export function instrumentRequests(app: FastifyInstance, metrics: ProxyMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
}
