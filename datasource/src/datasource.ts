import {
  type CoreApp,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type LegacyMetricFindQueryOptions,
  type MetricFindValue,
  type ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { VARIABLE_NEEDS_MODEL, type AnnotationRequest, type VariableKind } from '@mlsight/contract';
import { catchError, forkJoin, from, map, of, type Observable } from 'rxjs';
import { annotationsToFrame, createAnnotationSupport, readAnnotationEvents } from './annotations';
import { RESOURCE_PATHS } from './api';
import { describeFetchError } from './errors';
import { awaitsModel, interpolateQuery, prepareQuery } from './prepareQuery';
import {
  DEFAULT_QUERY,
  isAnnotationQuery,
  type MLSightAnnotationQuery,
  type MLSightDataQuery,
  type MLSightDataSourceQuery,
  type MLSightOptions,
  type MLSightVariableQuery,
} from './types';
import { parseVariableQuery } from './variableQuery';
import { MLSightVariableSupport } from './variableSupport';

/** One picker entry for the query editor. */
export interface PickerOption {
  label: string;
  value: string;
  description?: string;
}

function isMetricFindValue(value: unknown): value is MetricFindValue {
  return typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string';
}

function emptyResponse(errors: DataQueryError[] = []): DataQueryResponse {
  return errors.length > 0 ? { data: [], errors } : { data: [] };
}

/**
 * MLSight data source. Queries go to Grafana's `/api/ds/query`, variables and annotations to the plugin's resources,
 * "Save & test" to its health check: all answered by the Go backend (pkg/), which adds the bearer token on the
 * server (it never reaches the browser) and relays to the proxy. Grafana-managed alert rules and shared dashboards
 * use the same backend.
 */
export class DataSource extends DataSourceWithBackend<MLSightDataSourceQuery, MLSightOptions> {
  readonly proxyUrl: string;
  readonly defaultModel?: string;
  readonly mlflowUiUrl?: string;

  constructor(instanceSettings: DataSourceInstanceSettings<MLSightOptions>) {
    super(instanceSettings);
    const jsonData = instanceSettings.jsonData ?? {};
    this.proxyUrl = jsonData.proxyUrl ?? '';
    if (jsonData.defaultModel) this.defaultModel = jsonData.defaultModel;
    if (jsonData.mlflowUiUrl) this.mlflowUiUrl = jsonData.mlflowUiUrl;
    this.annotations = createAnnotationSupport();
    this.variables = new MLSightVariableSupport(this);
  }

  override getDefaultQuery(_app: CoreApp): Partial<MLSightDataQuery> {
    return this.defaultModel ? { ...DEFAULT_QUERY, model: this.defaultModel } : { ...DEFAULT_QUERY };
  }

  /**
   * Hidden queries are not run (Grafana also calls this before `query`), nor are queries still waiting for their
   * model: a new panel on a data source without a default model shows "No data" and the editor's model picker,
   * not an error for a field the user has not had a chance to fill.
   */
  override filterQuery(query: MLSightDataSourceQuery): boolean {
    if (query.hide === true) return false;
    if (isAnnotationQuery(query)) return true;
    return !awaitsModel(query, this.defaultModel);
  }

  /** Variables replaced, for Explore's "run in another data source" and dashboard export. */
  override interpolateVariablesInQueries(
    queries: MLSightDataSourceQuery[],
    scopedVars: ScopedVars
  ): MLSightDataSourceQuery[] {
    const templateSrv = getTemplateSrv();
    return queries.map((query) => {
      if (isAnnotationQuery(query)) {
        return query.model ? { ...query, model: templateSrv.replace(query.model, scopedVars) } : query;
      }
      const result = interpolateQuery({ ...query }, templateSrv, scopedVars);
      return 'error' in result ? query : { ...query, ...result.query };
    });
  }

  /**
   * Variables replaced, the data source's default model filled in and the saved query migrated, for every query
   * Grafana sends to the backend (DataSourceWithBackend.query). A query that cannot be prepared is returned as it
   * is; `query()` reports it and does not send it.
   */
  override applyTemplateVariables(query: MLSightDataSourceQuery, scopedVars: ScopedVars): MLSightDataSourceQuery {
    if (isAnnotationQuery(query)) return query;
    const prepared = prepareQuery(query, this.prepareContext(scopedVars));
    if (!prepared.ok) return query;
    // The contract's shape plus the key Grafana routes by; DataSourceWithBackend adds the rest.
    const ready: MLSightDataQuery = {
      ...prepared.query,
      ...(query.datasource ? { datasource: query.datasource } : {}),
    };
    return ready;
  }

  /** Panel queries through the backend in one `/api/ds/query`; annotation-layer queries to the annotations resource. */
  override query(request: DataQueryRequest<MLSightDataSourceQuery>): Observable<DataQueryResponse> {
    const visible = request.targets.filter((t) => this.filterQuery(t));
    const dataQueries: MLSightDataQuery[] = [];
    const annotationQueries: MLSightAnnotationQuery[] = [];
    for (const target of visible) {
      if (isAnnotationQuery(target)) annotationQueries.push(target);
      else dataQueries.push(target);
    }
    const parts: Array<Observable<DataQueryResponse>> = [];
    if (dataQueries.length > 0) parts.push(this.runDataQueries(dataQueries, request));
    for (const anno of annotationQueries) parts.push(this.runAnnotationQuery(anno, request));
    if (parts.length === 0) return of(emptyResponse());
    return forkJoin(parts).pipe(
      map((responses) => {
        const data = responses.flatMap((r) => r.data);
        const errors = responses.flatMap((r) => r.errors ?? []);
        return errors.length > 0 ? { data, errors } : { data };
      })
    );
  }

  private prepareContext(scopedVars: ScopedVars | undefined) {
    return {
      templateSrv: getTemplateSrv(),
      ...(scopedVars ? { scopedVars } : {}),
      ...(this.defaultModel ? { defaultModel: this.defaultModel } : {}),
    };
  }

  /** Queries that fail validation here get their error at once and are not sent; the others go to the backend. */
  private runDataQueries(
    targets: MLSightDataQuery[],
    request: DataQueryRequest<MLSightDataSourceQuery>
  ): Observable<DataQueryResponse> {
    const ctx = this.prepareContext(request.scopedVars);
    const errors: DataQueryError[] = [];
    const runnable: MLSightDataQuery[] = [];
    for (const target of targets) {
      const prepared = prepareQuery(target, ctx);
      if (prepared.ok) runnable.push(target);
      else errors.push({ refId: prepared.refId, message: prepared.error });
    }
    if (runnable.length === 0) return of(emptyResponse(errors));
    return super.query({ ...request, targets: runnable }).pipe(
      map((response) => {
        const all = [...errors, ...(response.errors ?? [])];
        return all.length > 0 ? { ...response, errors: all } : response;
      })
    );
  }

  private runAnnotationQuery(
    anno: MLSightAnnotationQuery,
    request: DataQueryRequest<MLSightDataSourceQuery>
  ): Observable<DataQueryResponse> {
    const model = anno.model ? getTemplateSrv().replace(anno.model, request.scopedVars) : this.defaultModel;
    const body: AnnotationRequest = {
      from: request.range.from.valueOf(),
      to: request.range.to.valueOf(),
      ...(model ? { model } : {}),
      ...(anno.kinds && anno.kinds.length > 0 ? { kinds: anno.kinds } : {}),
      ...(anno.limit ? { limit: anno.limit } : {}),
    };
    return from(this.postResource<unknown>(RESOURCE_PATHS.annotations, body, { showErrorAlert: false })).pipe(
      map((events) => ({ data: [annotationsToFrame(readAnnotationEvents(events), anno.refId)] })),
      catchError((err: unknown) => {
        const problem = describeFetchError(err, this.proxyUrl);
        return of(emptyResponse([{ refId: anno.refId, message: problem.message }]));
      })
    );
  }

  /**
   * Values of a query variable from `GET /api/v1/variables/{kind}`. Accepts the editor's object or the text form
   * `versions?model=$model`; dashboard variables inside it are replaced first.
   */
  override async metricFindQuery(
    query: MLSightVariableQuery | string | undefined,
    options?: LegacyMetricFindQueryOptions
  ): Promise<MetricFindValue[]> {
    const parsed = parseVariableQuery(query);
    const templateSrv = getTemplateSrv();
    const replace = (value: string | undefined) =>
      value ? templateSrv.replace(value, options?.scopedVars) || undefined : undefined;
    const model = replace(parsed.model) ?? (VARIABLE_NEEDS_MODEL[parsed.kind] ? this.defaultModel : undefined);
    if (VARIABLE_NEEDS_MODEL[parsed.kind] && !model) {
      throw new Error(
        `Variables of kind "${parsed.kind}" need a model: set one here or a default model in the data source`
      );
    }
    return this.fetchVariableValues(parsed.kind, {
      model,
      experiment: replace(parsed.experiment),
      search: replace(parsed.search ?? options?.searchFilter),
    });
  }

  /** Options for the editor's pickers: dashboard variables first (so `$model` can be chosen), then live values. */
  async getPickerOptions(
    kind: VariableKind,
    params: { model?: string; search?: string } = {}
  ): Promise<PickerOption[]> {
    const templateSrv = getTemplateSrv();
    const model = params.model ? templateSrv.replace(params.model) : this.defaultModel;
    if (VARIABLE_NEEDS_MODEL[kind] && !model) return [];
    const values = await this.fetchVariableValues(kind, { model, search: params.search || undefined });
    const variables = templateSrv.getVariables().map((v) => `$${v.name}`);
    const matching = params.search ? variables.filter((v) => v.includes(params.search ?? '')) : variables;
    return [
      ...matching.map((v) => ({ label: v, value: v, description: 'Dashboard variable' })),
      ...values.map((v) => ({ label: v.text, value: String(v.value ?? v.text) })),
    ];
  }

  private async fetchVariableValues(
    kind: VariableKind,
    params: { model?: string; experiment?: string; search?: string }
  ): Promise<MetricFindValue[]> {
    const searchParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      if (typeof value === 'string' && value !== '') searchParams[key] = value;
    }
    try {
      const values: unknown = await this.getResource(RESOURCE_PATHS.variables(kind), searchParams, {
        showErrorAlert: false,
      });
      const found = Array.isArray(values) ? values.filter(isMetricFindValue) : [];
      return found.map((v) => ({ text: v.text, value: v.value ?? v.text }));
    } catch (err) {
      throw new Error(describeFetchError(err, this.proxyUrl).message);
    }
  }
}
