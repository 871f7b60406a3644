import type { VariableKind } from '@mlsight/contract';

/**
 * The backend's resource paths (`getResource`/`postResource`), which pkg/plugin/resources.go relays to the proxy's
 * `/api/v1/variables/{kind}` and `/api/v1/annotations`; queries and the health check have their own backend calls.
 */
export const RESOURCE_PATHS = {
  annotations: 'annotations',
  variables: (kind: VariableKind) => `variables/${encodeURIComponent(kind)}`,
} as const;
