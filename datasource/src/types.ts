import type { DataQuery, DataSourceJsonData } from '@grafana/data';
import {
  DEFAULT_QUERY as CONTRACT_DEFAULT_QUERY,
  type AnnotationKind,
  type MLSightQuery,
  type VariableKind,
} from '@mlsight/contract';

/** A panel query as Grafana stores it: one of the contract's queries plus Grafana's own keys (datasource, key). */
export type MLSightDataQuery = MLSightQuery & DataQuery;

/** The query an annotation layer stores; answered by `POST /api/v1/annotations`, not by `/api/v1/query`. */
export interface MLSightAnnotationQuery extends DataQuery {
  queryType: typeof ANNOTATIONS_QUERY_TYPE;
  model?: string;
  kinds?: AnnotationKind[];
  limit?: number;
}

export const ANNOTATIONS_QUERY_TYPE = 'annotations';

/** Everything `DataSource.query()` may be handed: panel queries and annotation-layer queries. */
export type MLSightDataSourceQuery = MLSightDataQuery | MLSightAnnotationQuery;

/** A query variable's definition (`GET /api/v1/variables/{kind}`). */
export interface MLSightVariableQuery extends DataQuery {
  kind: VariableKind;
  model?: string;
  experiment?: string;
  search?: string;
}

/** New panels start with the KPI query of the default model, so they show data at once. */
export const DEFAULT_QUERY: Partial<MLSightDataQuery> = { ...CONTRACT_DEFAULT_QUERY };

/** Options configured per data-source instance (`jsonData`, readable by the browser). */
export interface MLSightOptions extends DataSourceJsonData {
  /** Base URL of the MLSight proxy as the Grafana server reaches it; the `api` route in plugin.json targets it. */
  proxyUrl?: string;
  /** MLflow UI base URL, for links from frames to runs and models. */
  mlflowUiUrl?: string;
  /** Model used when a query names none. */
  defaultModel?: string;
}

/** Secrets per instance: only the Grafana server reads them, injecting the token through the `api` route. */
export interface MLSightSecureJsonData {
  apiToken?: string;
}

export function isAnnotationQuery(query: { queryType?: string }): query is MLSightAnnotationQuery {
  return query.queryType === ANNOTATIONS_QUERY_TYPE;
}
