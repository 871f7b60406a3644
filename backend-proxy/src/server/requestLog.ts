import type { FastifyInstance } from 'fastify';

/** Probes that Kubernetes and Prometheus call every few seconds: logged at debug, not info. */
const PROBE_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One log line per request, when it completes (method, URL, status, time), instead of Fastify's two (one when it
 * arrives, one when it completes): at a dashboard's rate of cached answers, writing the second line cost more than
 * answering. Probes are logged at debug. Used with `disableRequestLogging: true`.
 */
export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (PROBE_ROUTES.has(route)) request.log.debug(fields, 'request completed');
    else request.log.info(fields, 'request completed');
  });
}
