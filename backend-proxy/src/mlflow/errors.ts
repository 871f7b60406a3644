/**
 * Why a call to MLflow failed. `not_found` is MLflow saying the entity does not exist; `http` is any other
 * non-2xx answer; `circuit_open` means the proxy did not even try because MLflow failed repeatedly just before.
 */
export type MlflowErrorKind = 'unreachable' | 'timeout' | 'http' | 'circuit_open' | 'not_found' | 'bad_response';

export interface MlflowErrorDetails {
  /** MLflow's base URL as configured; credentials in it never reach the message. */
  baseUrl?: string;
  status?: number;
  /** MLflow's `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`. */
  errorCode?: string;
  cause?: unknown;
}

/** A failed MLflow call, with a message that names MLflow and its URL and says what to check. */
export class MlflowError extends Error {
  readonly kind: MlflowErrorKind;
  readonly status?: number;
  readonly errorCode?: string;
  readonly baseUrl?: string;

  constructor(kind: MlflowErrorKind, message: string, details: MlflowErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MlflowError';
    this.kind = kind;
    if (details.baseUrl !== undefined) this.baseUrl = details.baseUrl;
    if (details.status !== undefined) this.status = details.status;
    if (details.errorCode !== undefined) this.errorCode = details.errorCode;
  }
}

/** The base URL without user info or a trailing slash, fit for messages and logs. */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return baseUrl.replace(/\/+$/, '');
  }
}

/**
 * True when the error says MLflow is down or overloaded (unreachable, timeout, 429, 5xx) rather than that the
 * request was wrong. Only these trip the circuit breaker, are retried, and may be answered from stale cache;
 * an answered 404 proves MLflow is up. One 5xx is excluded: a 500 that MLflow's own code labelled
 * `INTERNAL_ERROR` is that request crashing the handler (e.g. `attributes.creation_time` in a logged-model
 * filter, mlflow#25951) — retrying repeats it and counting it would let one bad panel cut everyone off.
 * MLflow reports a failing database as 503 `TEMPORARILY_UNAVAILABLE`, which does count.
 */
export function isOutage(err: unknown): boolean {
  if (!(err instanceof MlflowError)) return false;
  if (err.kind === 'unreachable' || err.kind === 'timeout') return true;
  if (err.kind !== 'http' || err.status === undefined) return false;
  if (err.status === 500 && err.errorCode === 'INTERNAL_ERROR') return false;
  return err.status >= 500 || err.status === 429;
}

/** True when a cached value may stand in for a failed load: an outage, or the breaker refusing to try. */
export function allowsStale(err: unknown): boolean {
  return isOutage(err) || (err instanceof MlflowError && err.kind === 'circuit_open');
}

/**
 * The system error code (ECONNREFUSED, ENOTFOUND…) buried in a failed `fetch`'s cause chain, if any.
 * Duck-typed: undici's errors may come from another realm (jest's sandbox), where `instanceof Error` is false.
 */
export function networkErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    if (Array.isArray(errors) && errors.length > 0) {
      const first = networkErrorCode(errors[0]);
      if (first) return first;
    }
    current = cause;
  }
  return undefined;
}

function messageOf(err: unknown): string | undefined {
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/** Builds the user-facing errors; each message names MLflow and its URL. */
export const mlflowErrors = {
  unreachable(baseUrl: string, cause: unknown): MlflowError {
    const code = networkErrorCode(cause) ?? messageOf(cause) ?? 'network error';
    return new MlflowError(
      'unreachable',
      `MLflow at ${displayUrl(baseUrl)} is unreachable (${code}): check that the server is running and the URL is right`,
      { baseUrl, cause }
    );
  },

  timeout(baseUrl: string, endpoint: string, timeoutMs: number): MlflowError {
    return new MlflowError(
      'timeout',
      `MLflow at ${displayUrl(baseUrl)} did not answer ${endpoint} within ${timeoutMs} ms (timeout)`,
      { baseUrl }
    );
  },

  circuitOpen(baseUrl: string, retryInMs: number): MlflowError {
    const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
    return new MlflowError(
      'circuit_open',
      `MLflow at ${displayUrl(baseUrl)} failed repeatedly; not calling it again for ${seconds} s (circuit open)`,
      { baseUrl }
    );
  },

  http(baseUrl: string, endpoint: string, status: number, body: MlflowErrorBody | undefined): MlflowError {
    const url = displayUrl(baseUrl);
    const code = body?.error_code;
    const said = body?.message ? `: ${body.message}` : '';
    const details: MlflowErrorDetails = { baseUrl, status, ...(code ? { errorCode: code } : {}) };
    if (status === 404 && (code === 'RESOURCE_DOES_NOT_EXIST' || code === 'NOT_FOUND')) {
      return new MlflowError('not_found', `MLflow at ${url} has no such entity${said}`, details);
    }
    if (status === 404) {
      return new MlflowError(
        'http',
        `MLflow at ${url} has no endpoint ${endpoint} (HTTP 404): the server may be older than MLflow 3 or the URL path wrong`,
        details
      );
    }
    if (status === 401 || status === 403) {
      return new MlflowError(
        'http',
        `MLflow at ${url} refused the proxy's credentials (HTTP ${status}${code ? ` ${code}` : ''})${said}: check the MLflow auth settings`,
        details
      );
    }
    const verb = status === 429 ? 'is rate-limiting the proxy' : status >= 500 ? 'failed' : 'rejected the request';
    return new MlflowError(
      'http',
      `MLflow at ${url} ${verb} (HTTP ${status}${code ? ` ${code}` : ''} on ${endpoint})${said}`,
      details
    );
  },

  badResponse(baseUrl: string, endpoint: string, problem: string, cause?: unknown): MlflowError {
    return new MlflowError(
      'bad_response',
      `MLflow at ${displayUrl(baseUrl)} sent an unusable answer to ${endpoint}: ${problem}`,
      { baseUrl, cause }
    );
  },
};

/** The JSON body MLflow sends with an error status. */
export interface MlflowErrorBody {
  error_code?: string;
  message?: string;
}

/** Reads MLflow's `{error_code, message}` out of an error body, tolerating HTML or plain text. */
export function parseErrorBody(text: string): MlflowErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const record = parsed as Record<string, unknown>;
    const out: MlflowErrorBody = {};
    if (typeof record.error_code === 'string') out.error_code = record.error_code;
    if (typeof record.message === 'string') out.message = truncate(record.message, 500);
    return out;
  } catch {
    const plain = text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return plain ? { message: truncate(plain, 200) } : undefined;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
