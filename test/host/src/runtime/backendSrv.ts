import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable } from 'rxjs';

/** Every request the plugin made through backendSrv, for the host's network log (tests read it too). */
export interface RecordedRequest {
  method: string;
  url: string;
  status: number;
}

function queryString(params: BackendSrvRequest['params']): string {
  if (!params || typeof params !== 'object') return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(key, String(v)));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Grafana parses JSON bodies and keeps text as text; an empty body is undefined. */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function requestInit(options: BackendSrvRequest): RequestInit {
  const headers = new Headers({ Accept: 'application/json, text/plain, */*', 'X-Grafana-Org-Id': '1' });
  for (const [key, value] of Object.entries(options.headers ?? {})) headers.set(key, String(value));
  let body: BodyInit | undefined;
  if (options.data !== undefined) {
    if (typeof options.data === 'string') body = options.data;
    else {
      body = JSON.stringify(options.data);
      if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    }
  }
  return { method: options.method ?? 'GET', headers, body, credentials: 'same-origin' };
}

/**
 * Grafana's backendSrv, reduced to what plugins call: `fetch` returns an Observable of `FetchResponse`, and a
 * non-2xx answer errors with a `FetchError` ({ status, statusText, data, config }) — the shape plugins test with
 * `isFetchError`. Requests go to the host server, which plays the Grafana server.
 */
export class HostBackendSrv implements BackendSrv {
  readonly requests: RecordedRequest[] = [];

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      const url = `${options.url}${queryString(options.params)}`;
      const init = requestInit(options);
      fetch(url, { ...init, signal: controller.signal })
        .then(async (response) => {
          const data = await readBody(response);
          this.requests.push({ method: init.method ?? 'GET', url, status: response.status });
          if (!response.ok) {
            const error: FetchError = {
              status: response.status,
              statusText: response.statusText,
              data,
              config: options,
            };
            subscriber.error(error);
            return;
          }
          subscriber.next({
            data: data as T,
            status: response.status,
            statusText: response.statusText,
            ok: response.ok,
            headers: response.headers,
            redirected: response.redirected,
            type: response.type,
            url: response.url,
            config: options,
          });
          subscriber.complete();
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted) return;
          const error: FetchError = {
            status: -1,
            statusText: err instanceof Error ? err.message : 'network error',
            data: undefined,
            config: options,
          };
          subscriber.error(error);
        });
      return () => controller.abort();
    });
  }

  async datasourceRequest<T = unknown>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  async request<T = unknown>(options: BackendSrvRequest): Promise<T> {
    return (await this.datasourceRequest<T>(options)).data;
  }

  get<T = unknown>(url: string, params?: BackendSrvRequest['params'], requestId?: string): Promise<T> {
    return this.request<T>({ url, params, method: 'GET', ...(requestId ? { requestId } : {}) });
  }

  delete<T = unknown>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'DELETE' });
  }

  post<T = unknown>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'POST' });
  }

  patch<T = unknown>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'PATCH' });
  }

  put<T = unknown>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'PUT' });
  }

  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    return new Observable((subscriber) =>
      subscriber.error(new Error('chunked requests are not supported by the host'))
    );
  }
}
