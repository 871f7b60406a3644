import { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Probes that Kubernetes and Prometheus call every few seconds: logged at debug, not info. */
const PROBE_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One log line per request, when it completes (request, status, time), instead of Fastify's two (one when it
 * arrives, one when it completes): at a dashboard's rate of cached answers, writing the second line cost more than
 * answering. Probes are logged at debug; errors, unknown routes and stream errors as Fastify logs them.
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {
    // Logged with the completion line.
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else if (PROBE_ROUTES.has(request.routeOptions.url ?? '')) reply.log.debug(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}
