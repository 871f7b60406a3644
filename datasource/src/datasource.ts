import {
  DataSourceApi,
  type CoreApp,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type LegacyMetricFindQueryOptions,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv, isFetchError } from '@grafana/runtime';
import {
  VARIABLE_NEEDS_MODEL,
  type AnnotationRequest,
  type MLSightQuery,
  type QueryRequest,
  type VariableKind,
} from '@mlsight/contract';
import { catchError, forkJoin, lastValueFrom, map, of, type Observable } from 'rxjs';
import { annotationsToFrame, createAnnotationSupport, readAnnotationEvents } from './annotations';
import { PROXY_PATHS, routeUrl } from './api';
import { describeFetchError, type Problem } from './errors';
import { parseReadiness, summarizeHealth, type DependencyCheck } from './health';
import { awaitsModel, interpolateQuery, prepareQuery } from './prepareQuery';
import { decodeQueryResponse } from './response';
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

/** The proxy's 400 names `queries[i]…`; that is the query to blame, the others only were not run. */
function batchFieldIndex(field: string | undefined): number | undefined {
  const match = field === undefined ? null : /^queries\[(\d+)\]/.exec(field);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * MLSight data source: a browser-only plugin (no Go backend). Every call goes through Grafana's data proxy route
 * `api` (plugin.json), which adds the proxy URL and the bearer token on the server, so the token never reaches the
 * browser.
 */
export class DataSource extends DataSourceApi<MLSightDataSourceQuery, MLSightOptions> {
  readonly instanceUrl: string;
  readonly proxyUrl: string;
  readonly defaultModel?: string;
  readonly mlflowUiUrl?: string;

  constructor(instanceSettings: DataSourceInstanceSettings<MLSightOptions>) {
    super(instanceSettings);
    const jsonData = instanceSettings.jsonData ?? {};
    this.instanceUrl = instanceSettings.url ?? '';
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

  /** All visible panel queries in ONE `POST /api/v1/query`; annotation-layer queries to `/api/v1/annotations`. */
  query(request: DataQueryRequest<MLSightDataSourceQuery>): Observable<DataQueryResponse> {
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

  private runDataQueries(
    targets: MLSightDataQuery[],
    request: DataQueryRequest<MLSightDataSourceQuery>
  ): Observable<DataQueryResponse> {
    const ctx = {
      templateSrv: getTemplateSrv(),
      scopedVars: request.scopedVars,
      ...(this.defaultModel ? { defaultModel: this.defaultModel } : {}),
    };
    const errors: DataQueryError[] = [];
    const queries: MLSightQuery[] = [];
    for (const target of targets) {
      const prepared = prepareQuery(target, ctx);
      if (prepared.ok) queries.push(prepared.query);
      else errors.push({ refId: prepared.refId, message: prepared.error });
    }
    if (queries.length === 0) return of(emptyResponse(errors));

    const body: QueryRequest = {
      from: request.range.from.valueOf(),
      to: request.range.to.valueOf(),
      ...(request.intervalMs > 0 ? { intervalMs: request.intervalMs } : {}),
      ...(request.maxDataPoints ? { maxDataPoints: Math.round(request.maxDataPoints) } : {}),
      queries,
    };
    const refIds = queries.map((q) => q.refId);
    return getBackendSrv()
      .fetch<unknown>({
        url: routeUrl(this.instanceUrl, PROXY_PATHS.query),
        method: 'POST',
        data: body,
        requestId: request.requestId,
        showErrorAlert: false,
      })
      .pipe(
        map((response) => {
          const decoded = decodeQueryResponse(response.data, refIds);
          const all = [...errors, ...decoded.errors];
          return all.length > 0 ? { data: decoded.data, errors: all } : { data: decoded.data };
        }),
        catchError((err: unknown) => of(emptyResponse([...errors, ...this.batchErrors(err, refIds)])))
      );
  }

  /** A failed batch: every query gets the message, except that a 400 naming `queries[i]` blames query i only. */
  private batchErrors(err: unknown, refIds: string[]): DataQueryError[] {
    const problem = describeFetchError(err, this.proxyUrl);
    const blamed = problem.kind === 'bad_request' ? batchFieldIndex(problem.field) : undefined;
    const blamedRefId = blamed === undefined ? undefined : refIds[blamed];
    return refIds.map((refId) => {
      const message =
        blamedRefId === undefined || refId === blamedRefId
          ? problem.message
          : `Not run: the proxy refused the batch because of query ${blamedRefId}`;
      return { refId, message, ...(problem.status !== undefined ? { status: problem.status } : {}) };
    });
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
    return getBackendSrv()
      .fetch<unknown>({
        url: routeUrl(this.instanceUrl, PROXY_PATHS.annotations),
        method: 'POST',
        data: body,
        showErrorAlert: false,
      })
      .pipe(
        map((response) => ({ data: [annotationsToFrame(readAnnotationEvents(response.data), anno.refId)] })),
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
      const response = await lastValueFrom(
        getBackendSrv().fetch<unknown>({
          url: routeUrl(this.instanceUrl, PROXY_PATHS.variables(kind)),
          method: 'GET',
          params: searchParams,
          showErrorAlert: false,
        })
      );
      const values = Array.isArray(response.data) ? response.data.filter(isMetricFindValue) : [];
      return values.map((v) => ({ text: v.text, value: v.value ?? v.text }));
    } catch (err) {
      throw new Error(describeFetchError(err, this.proxyUrl).message);
    }
  }

  /**
   * "Save & test": `/readyz` says whether the proxy answers and which dependency (MLflow, drift store) is down;
   * `/readyz` needs no token, so an authenticated probe then tells a wrong token apart from a working one.
   */
  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.proxyUrl) {
      return { status: 'error', message: 'Set the MLSight proxy URL (for example http://localhost:8450) and save' };
    }
    const readiness = await this.checkReadiness();
    if ('problem' in readiness) return { status: 'error', message: readiness.problem.message };
    const authProblem = await this.checkToken();
    return summarizeHealth({
      proxyUrl: this.proxyUrl,
      checks: readiness.checks,
      ...(authProblem ? { authProblem } : {}),
    });
  }

  private async checkReadiness(): Promise<{ checks: DependencyCheck[] } | { problem: Problem }> {
    const notProxy: Problem = {
      kind: 'not_found',
      message: `${this.proxyUrl} answered, but not like an MLSight proxy (no readiness report at /readyz)`,
    };
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<unknown>({
          url: routeUrl(this.instanceUrl, PROXY_PATHS.readiness),
          method: 'GET',
          showErrorAlert: false,
        })
      );
      const checks = parseReadiness(response.data);
      return checks ? { checks } : { problem: notProxy };
    } catch (err) {
      // 503 is the proxy's own answer when a dependency is down; its body still lists every check.
      const checks = isFetchError(err) && err.status === 503 ? parseReadiness(err.data) : undefined;
      return checks ? { checks } : { problem: describeFetchError(err, this.proxyUrl) };
    }
  }

  /**
   * The proxy authenticates before it validates, so an empty batch answers 400 with a valid token and 401/403
   * without one, and touches neither MLflow nor the store.
   */
  private async checkToken(): Promise<Problem | undefined> {
    try {
      await lastValueFrom(
        getBackendSrv().fetch<unknown>({
          url: routeUrl(this.instanceUrl, PROXY_PATHS.query),
          method: 'POST',
          data: { from: 0, to: 0, queries: [] },
          showErrorAlert: false,
        })
      );
      return undefined;
    } catch (err) {
      const problem = describeFetchError(err, this.proxyUrl);
      return problem.kind === 'bad_request' ? undefined : problem;
    }
  }
}
