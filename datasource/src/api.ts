import type { VariableKind } from '@mlsight/contract';

/** `routes[].path` in plugin.json: Grafana's data proxy swaps `<instance url>/api` for the proxy URL + token. */
export const API_ROUTE = 'api';

/** Proxy endpoints, as paths under the proxy's base URL (see contract/src/request.ts, variables.ts, annotations.ts). */
export const PROXY_PATHS = {
  query: '/api/v1/query',
  annotations: '/api/v1/annotations',
  variables: (kind: VariableKind) => `/api/v1/variables/${encodeURIComponent(kind)}`,
  readiness: '/readyz',
} as const;

/** URL the browser calls: Grafana's data-proxy URL of this instance, the route, then the proxy's own path. */
export function routeUrl(instanceUrl: string, proxyPath: string): string {
  return `${instanceUrl.replace(/\/+$/, '')}/${API_ROUTE}${proxyPath}`;
}
