import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { type ApiError, formatPath } from '@mlsight/contract';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { MetricsError } from '../stats';
import { MlflowError } from '../mlflow';
import { QueryError } from '../queries';
import { StoreRequestError } from '../store/profile';
import { drainRequestBody } from './drainBody';
import { describeFailure, RequestFieldError } from './executeQueries';

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

const statusText = (status: number) => STATUS_CODES[status] ?? 'Error';

/** `field: message` → field, for errors whose message starts with the field it is about. */
const leadingField = (message: string) => /^([\w.[\]]+):/.exec(message)?.[1];

export interface ErrorHandlerOptions {
  /** The body limit, stated in the 413 answer. */
  maxBodyBytes: number;
}

/**
 * One error shape for every route. Validation failures name the offending field (`queries[0].model`), so a
 * Grafana user or a model server author can fix their request without reading the proxy's code. Known error
 * classes map to their 4xx/5xx (MLflow down → 503, as the query route answers per query); anything else is a 500
 * whose answer carries an id to find the logged stack by, never the stack itself.
 */
export function installErrorHandler(app: FastifyInstance, opts: ErrorHandlerOptions): void {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
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
    if (err instanceof QueryError || err instanceof MlflowError) {
      const { status, message } = describeFailure(err);
      const field = err instanceof QueryError ? leadingField(message) : undefined;
      if (err instanceof MlflowError) request.log.warn({ status, kind: err.kind }, message);
      return send(reply, { statusCode: status, error: statusText(status), message, ...(field ? { field } : {}) });
    }
    if (err instanceof StoreRequestError) {
      return send(reply, { statusCode: err.statusCode, error: statusText(err.statusCode), message: err.message });
    }
    if (err instanceof MetricsError) {
      return send(reply, { statusCode: 400, error: 'Bad Request', message: err.message });
    }
    if (err.statusCode === 413) {
      await drainRequestBody(request.raw);
      return send(reply, {
        statusCode: 413,
        error: 'Payload Too Large',
        message: `request body is larger than the limit of ${opts.maxBodyBytes} bytes (MLSIGHT_MAX_BODY_BYTES)`,
      });
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, { statusCode: err.statusCode, error: statusText(err.statusCode), message: err.message });
    }
    const errorId = randomUUID();
    request.log.error({ err, errorId }, 'unhandled error');
    return send(reply, {
      statusCode: 500,
      error: 'Internal Server Error',
      message: `internal error ${errorId} (the proxy log has the details under this errorId)`,
      errorId,
    });
  });
}
