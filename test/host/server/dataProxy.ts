/**
 * Grafana's data-source proxy (`/api/datasources/proxy/uid/<uid>/<path>`), the parts a browser-only plugin relies
 * on: the plugin.json `routes` (first route whose path prefixes the request path), Go-template values
 * `{{ .JsonData.x }}` / `{{ .SecureJsonData.x }}` in the route URL and headers, the headers Grafana strips (Cookie,
 * Origin, Referer, X-Forwarded-*), an upstream 401 turned into 400 "Authentication to data source failed"
 * (grafana#28962), Set-Cookie dropped from answers, and 502/504 when the upstream cannot be reached or is too slow.
 */
import type { DataSourceRecord } from './settingsStore';

export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
}

/** What the browser sent to the data proxy. */
export interface ProxyRequest {
  method: string;
  /** The path after `/api/datasources/proxy/uid/<uid>/`, without the query string. */
  proxyPath: string;
  search: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Go's text/template on a map: a missing JsonData key prints "<no value>", a missing secret prints "". */
export function interpolateRouteTemplate(
  template: string,
  ds: Pick<DataSourceRecord, 'jsonData' | 'secureJsonData'>
): string {
  return template.replace(/{{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*}}/g, (_match, scope: string, key: string) => {
    if (scope === 'SecureJsonData') return ds.secureJsonData[key] ?? '';
    const value = ds.jsonData[key];
    if (value === undefined || value === null) return '<no value>';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** The first route whose path is a prefix of the request path and whose method (if any) matches. */
export function matchRoute(routes: readonly PluginRoute[], proxyPath: string, method: string): PluginRoute | undefined {
  return routes.find(
    (route) =>
      proxyPath.startsWith(route.path) &&
      (route.method === undefined ||
        route.method === '' ||
        route.method === '*' ||
        route.method.toUpperCase() === method.toUpperCase())
  );
}

/** Joins a base URL and a path as Go's `util.JoinURLFragments`: exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

const STRIPPED_REQUEST_HEADERS = new Set([
  'cookie',
  'origin',
  'referer',
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-grafana-org-id',
  'authorization',
]);

export interface UpstreamRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
}

/** The request Grafana would send upstream, or an error answer when the data source cannot be proxied. */
export function buildUpstreamRequest(
  ds: DataSourceRecord,
  routes: readonly PluginRoute[],
  request: ProxyRequest
): UpstreamRequest | ProxyAnswer {
  const route = matchRoute(routes, request.proxyPath, request.method);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!STRIPPED_REQUEST_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  headers['user-agent'] = 'Grafana/12.0.2 (MLSight plugin host)';
  let base: string;
  let rest: string;
  if (route) {
    base = interpolateRouteTemplate(route.url ?? ds.url, ds);
    rest = request.proxyPath.slice(route.path.length);
    for (const header of route.headers ?? [])
      headers[header.name.toLowerCase()] = interpolateRouteTemplate(header.content, ds);
  } else {
    base = ds.url;
    rest = request.proxyPath;
  }
  if (!/^https?:\/\/[^/]/.test(base)) return jsonAnswer(400, { message: 'Invalid data source URL' });
  return { url: `${joinUrl(base, rest)}${request.search}`, method: request.method, headers };
}

export function jsonAnswer(status: number, body: unknown): ProxyAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

const STRIPPED_RESPONSE_HEADERS = new Set([
  'set-cookie',
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'www-authenticate',
]);

/** Forwards to the upstream and applies Grafana's answer rules. */
export async function forward(
  upstream: UpstreamRequest,
  body: Buffer | undefined,
  timeoutMs: number
): Promise<ProxyAnswer> {
  let response: Response;
  try {
    response = await fetch(upstream.url, {
      method: upstream.method,
      headers: upstream.headers,
      body:
        body && body.length > 0 && upstream.method !== 'GET' && upstream.method !== 'HEAD'
          ? new Uint8Array(body)
          : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return timedOut
      ? { status: 504, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Gateway Timeout') }
      : { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Bad Gateway') };
  }
  if (response.status === 401) return jsonAnswer(400, { message: 'Authentication to data source failed' });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!STRIPPED_RESPONSE_HEADERS.has(name)) headers[name] = value;
  });
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}
