import { type ApiError, formatPath } from '@mlsight/contract';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { QueryError } from '../queries';
import { RequestFieldError } from './executeQueries';

/** `/queries/0/model` → ['queries', 0, 'model'] (the validator reports JSON-pointer-like paths). */
function pathOf(instancePath: string): Array<string | number> {
  return instancePath
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function send(reply: { code(n: number): { send(b: ApiError): unknown } }, body: ApiError) {
  return reply.code(body.statusCode).send(body);
}

/**
 * One error shape for every route. Validation failures name the offending field (`queries[0].model`), so a
 * Grafana user or a model server author can fix their request without reading the proxy's code.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const prefix = where === 'body' ? [] : [where];
      const issues = err.validation.map((v) => ({
        field: formatPath([...prefix, ...pathOf(v.instancePath)]),
        message: v.message ?? 'is invalid',
      }));
      const first = issues[0];
      return send(reply, {
        statusCode: 400,
        error: 'Bad Request',
        message: first ? `${first.field || where}: ${first.message}` : 'invalid request',
        ...(first ? { field: first.field } : {}),
        issues,
      });
    }
    if (err instanceof RequestFieldError) {
      return send(reply, { statusCode: 400, error: 'Bad Request', message: err.message, field: err.field });
    }
    if (err instanceof QueryError) {
      const field = /^([\w.[\]]+):/.exec(err.message)?.[1];
      return send(reply, {
        statusCode: err.status,
        error: err.status === 404 ? 'Not Found' : err.status === 501 ? 'Not Implemented' : 'Bad Request',
        message: err.message,
        ...(field ? { field } : {}),
      });
    }
    if (err.statusCode === 413) {
      return send(reply, { statusCode: 413, error: 'Payload Too Large', message: err.message });
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, { statusCode: err.statusCode, error: err.name, message: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, {
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error (see the proxy log)',
    });
  });
}
