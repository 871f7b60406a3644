import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { of, throwError, type Observable } from 'rxjs';

type Reply = { ok: true; response: FetchResponse<unknown> } | { ok: false; error: FetchError | Error };
export type Handler = (request: BackendSrvRequest) => Reply;

export function ok(data: unknown, status = 200): Reply {
  return {
    ok: true,
    response: {
      data,
      status,
      statusText: 'OK',
      ok: true,
      headers: {} as Headers,
      redirected: false,
      type: 'basic',
      url: '',
      config: { url: '' },
    },
  };
}

/** A non-2xx answer as Grafana's backendSrv reports it (a FetchError with status and parsed body). */
export function httpError(status: number, data: unknown, statusText = ''): Reply {
  return { ok: false, error: { status, statusText, data, config: { url: '' } } };
}

/** A failure before any HTTP status (e.g. fetch rejected). */
export function networkError(message: string): Reply {
  return { ok: false, error: new TypeError(message) };
}

/** Records every request and answers through `handler`; only `fetch`, which is all the data source uses. */
export class FakeBackendSrv implements Pick<BackendSrv, 'fetch'> {
  readonly requests: BackendSrvRequest[] = [];

  constructor(private handler: Handler) {}

  respond(handler: Handler): void {
    this.handler = handler;
  }

  fetch<T>(request: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.requests.push(request);
    const reply = this.handler(request);
    if (!reply.ok) return throwError(() => reply.error);
    // The data source reads bodies as unknown and checks them; the fake hands them over as they are.
    return of(reply.response as FetchResponse<T>);
  }
}
