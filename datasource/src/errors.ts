import { isFetchError } from '@grafana/runtime';

export type ProblemKind = 'unreachable' | 'timeout' | 'auth' | 'forbidden' | 'bad_request' | 'not_found' | 'server';

/** An HTTP failure said the way a Grafana user can act on it. */
export interface Problem {
  kind: ProblemKind;
  status?: number;
  message: string;
  /** Dotted path of the offending field when the proxy named one (`queries[1].model`). */
  field?: string;
}

/** Grafana's data proxy answers an upstream 401 with this 400 body, so the browser session is not logged out. */
const GRAFANA_UPSTREAM_AUTH_FAILED = 'Authentication to data source failed';

interface ErrorBody {
  message?: string;
  field?: string;
}

/** Reads the proxy's `ApiError` body, or the text Grafana's backendSrv wraps non-JSON bodies in. */
export function readErrorBody(data: unknown): ErrorBody {
  if (typeof data === 'string') return data.trim() === '' ? {} : { message: data.trim() };
  if (typeof data !== 'object' || data === null) return {};
  const body: ErrorBody = {};
  const record = data as Record<string, unknown>;
  const message = [record.message, record.response, record.error].find((v) => typeof v === 'string' && v !== '');
  if (typeof message === 'string') body.message = message;
  if (typeof record.field === 'string') body.field = record.field;
  return body;
}

function withDetail(text: string, detail: string | undefined): string {
  return detail ? `${text}: ${detail}` : text;
}

/**
 * Maps a failed `getBackendSrv().fetch` (or a thrown network error) to a message saying what is wrong and what to
 * change. `proxyUrl` is named in connection errors because that is the setting the user must check.
 */
export function describeFetchError(err: unknown, proxyUrl?: string): Problem {
  const where = proxyUrl ? ` at ${proxyUrl}` : '';
  if (!isFetchError(err)) {
    const detail = err instanceof Error ? err.message : undefined;
    return { kind: 'unreachable', message: withDetail('Request to Grafana failed', detail) };
  }
  const status = typeof err.status === 'number' ? err.status : 0;
  const body = readErrorBody(err.data);
  const field = body.field;

  if (status === 401 || (status === 400 && body.message?.includes(GRAFANA_UPSTREAM_AUTH_FAILED))) {
    const detail = body.message?.includes(GRAFANA_UPSTREAM_AUTH_FAILED) ? undefined : body.message;
    return {
      kind: 'auth',
      status: 401,
      message: withDetail(
        'The MLSight proxy rejected the API token (401). Set a valid token in the data source settings',
        detail
      ),
    };
  }
  if (status === 403) {
    return {
      kind: 'forbidden',
      status,
      message: withDetail('The API token is valid but not allowed to do this (403)', body.message),
    };
  }
  if (status <= 0) {
    return {
      kind: 'unreachable',
      status,
      message: withDetail('The browser could not reach Grafana (network error)', err.statusText || body.message),
    };
  }
  if (status === 502) {
    return {
      kind: 'unreachable',
      status,
      message: `Grafana cannot reach the MLSight proxy${where} (502 Bad Gateway). Check the proxy URL in the data source settings and that the proxy is running`,
    };
  }
  if (status === 504) {
    return {
      kind: 'timeout',
      status,
      message: `The MLSight proxy${where} did not answer in time (504 Gateway Timeout)`,
    };
  }
  if (status === 404) {
    return {
      kind: 'not_found',
      status,
      message: withDetail(`Not found (404): is the proxy URL${where} the base URL of an MLSight proxy?`, body.message),
    };
  }
  if (status >= 400 && status < 500) {
    return {
      kind: 'bad_request',
      status,
      message: withDetail(`The MLSight proxy refused the request (${status})`, body.message),
      ...(field ? { field } : {}),
    };
  }
  return {
    kind: 'server',
    status,
    message: withDetail(
      `The MLSight proxy failed (${status}${err.statusText ? ` ${err.statusText}` : ''})`,
      body.message
    ),
  };
}
