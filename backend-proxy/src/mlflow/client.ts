import { CircuitBreaker } from './circuitBreaker';
import { allowsStale, displayUrl, MlflowError } from './errors';
import { MlflowHttp, type MlflowAuth, type MlflowLogger, type MlflowRequest } from './http';
import { arrayField, collectPages, objectField, pageToken, type Page } from './pagination';
import { TtlCache } from './ttlCache';
import type {
  Experiment,
  FileInfo,
  LoggedModel,
  LoggedModelOrderBy,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  ViewType,
} from './types';

export interface MlflowClientConfig {
  /** e.g. `http://127.0.0.1:5000`; a path prefix is kept. */
  baseUrl: string;
  auth: MlflowAuth;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  breaker: { failureThreshold: number; resetMs: number };
  cacheTtlMs: number;
  /** How long after `cacheTtlMs` a value may still stand in while MLflow is down. */
  staleTtlMs: number;
  /** Runs / model versions / metric history per page; default 1000. */
  pageSize?: number;
  /** Bound on cached answers; default 1000. */
  cacheMaxEntries?: number;
  /** Largest answer (e.g. artifact) accepted; default 256 MiB. */
  maxResponseBytes?: number;
  logger?: MlflowLogger & { info?(obj: object, msg?: string): void };
}

/** Test seams; production passes none. */
export interface MlflowClientDeps {
  fetch?: typeof fetch;
  /** Clock for the breaker and the cache. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Per-query bookkeeping: when any value served during the query came from the stale cache, `staleSince` is
 * the fetch time of the oldest one, so the answer can say "cached data from …, MLflow is down".
 */
export interface MlflowCallContext {
  staleSince?: number;
}

/**
 * How a read that needed MLflow (a cache miss) ended: `ok` — MLflow answered, including "no such thing" and other
 * answers to a bad request; `error` — it failed (unreachable, timeout, 5xx, 429, refused credentials, circuit open,
 * unreadable answer) and nothing stood in; `stale` — it failed and an expired cached value stood in.
 */
export type MlflowReadOutcome = 'ok' | 'error' | 'stale';

/** A 4xx MLflow answers because of the request itself (not auth, not rate limiting): MLflow is working. */
function isAnsweredRefusal(err: unknown): boolean {
  if (!(err instanceof MlflowError)) return false;
  if (err.kind === 'not_found') return true;
  const status = err.kind === 'http' ? (err.status ?? 0) : 0;
  return status >= 400 && status < 500 && ![401, 403, 429].includes(status);
}

export interface SearchExperimentsOptions {
  filter?: string;
  viewType?: ViewType;
}

export interface SearchRunsOptions {
  experimentIds: readonly string[];
  /** AND-only MLflow filter, e.g. `tags.mlflow.parentRunId = '…'`. */
  filter?: string;
  /** e.g. `attributes.start_time DESC`. */
  orderBy?: readonly string[];
  /** Most runs to return; all when undefined. */
  limit?: number;
  viewType?: ViewType;
}

export interface SearchLoggedModelsOptions {
  experimentIds: readonly string[];
  /** Use bare `creation_time`, not `attributes.creation_time` (HTTP 500, mlflow#25951). */
  filter?: string;
  /** Objects as MLflow takes them, or `"<field> [ASC|DESC]"` strings. */
  orderBy?: ReadonlyArray<LoggedModelOrderBy | string>;
  limit?: number;
}

const API = '/api/2.0/mlflow';
const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_CACHE_ENTRIES = 1000;
/** MLflow's server-side caps on `max_results` per endpoint (handlers.py, MLflow 3.x). */
const MAX_PAGE = { runs: 50_000, experiments: 50_000, registeredModels: 1000, modelVersions: 200_000 } as const;
/** logged-models/search pages; the design fixes 50 and the client follows every token (mlflow#25766). */
const LOGGED_MODELS_PAGE = 50;
/** Above this many model names, one registered-models search beats one get per name. */
const ALIAS_LOOKUP_GETS = 8;

/** Parses `"creation_time DESC"` into logged-models/search's order object. */
export function toLoggedModelOrderBy(clause: LoggedModelOrderBy | string): LoggedModelOrderBy {
  if (typeof clause !== 'string') return clause;
  const [field = '', direction = 'ASC'] = clause.trim().split(/\s+/);
  return { field_name: field, ascending: direction.toUpperCase() !== 'DESC' };
}

/**
 * Reads MLflow's REST API (2.0 routes of MLflow 2.x/3.x): experiments, runs, metric history, the model
 * registry, logged models and artifacts. Every read goes through a TTL cache that serves stale data while
 * MLflow is down; every request has a timeout, bounded retries and a circuit breaker (see `http.ts`).
 */
export class MlflowClient {
  readonly baseUrl: string;
  private readonly http: MlflowHttp;
  private readonly cache: TtlCache<unknown>;
  private readonly pageSize: number;
  private readonly outcomeListeners = new Set<(outcome: MlflowReadOutcome) => void>();

  constructor(
    private readonly config: MlflowClientConfig,
    deps: MlflowClientDeps = {}
  ) {
    // Public and in errors without user info; MlflowHttp turns user info into basic auth.
    this.baseUrl = displayUrl(config.baseUrl);
    this.pageSize = config.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new RangeError('MlflowClient: pageSize must be an integer ≥ 1');
    }
    const log = config.logger;
    const breaker = new CircuitBreaker({
      ...config.breaker,
      ...(deps.now ? { now: deps.now } : {}),
      onStateChange: (from, to) => {
        const url = this.baseUrl;
        if (to === 'open') log?.warn({ url, from }, 'MLflow circuit opened: failing fast');
        else if (to === 'closed') (log?.info ?? log?.warn)?.call(log, { url }, 'MLflow answers again: circuit closed');
        else log?.debug({ url }, 'MLflow circuit half-open: trying one call');
      },
    });
    this.http = new MlflowHttp({
      baseUrl: config.baseUrl,
      auth: config.auth,
      timeoutMs: config.timeoutMs,
      retries: config.retries,
      backoffMs: config.backoffMs,
      breaker,
      ...(config.maxResponseBytes !== undefined ? { maxResponseBytes: config.maxResponseBytes } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(log ? { logger: log } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
    this.cache = new TtlCache<unknown>({
      ttlMs: config.cacheTtlMs,
      staleTtlMs: config.staleTtlMs,
      maxEntries: config.cacheMaxEntries ?? DEFAULT_CACHE_ENTRIES,
      canServeStale: allowsStale,
      ...(deps.now ? { now: deps.now } : {}),
    });
  }

  /**
   * Cheap reachability check, never cached: GET /health (older or prefixed servers without it: a one-item
   * experiments search). /health is open even under basic-auth, so with credentials configured a one-item
   * search also proves MLflow accepts them.
   * @throws MlflowError when MLflow is down or refuses the credentials
   */
  async ping(): Promise<void> {
    const probe: MlflowRequest = { method: 'POST', path: `${API}/experiments/search`, body: { max_results: 1 } };
    try {
      await this.http.text({ method: 'GET', path: '/health', retries: 0 });
    } catch (err) {
      if (!(err instanceof MlflowError && err.status === 404)) throw err;
      await this.http.json({ ...probe, retries: 0 });
      return;
    }
    if (this.config.auth.type !== 'none') await this.http.json({ ...probe, retries: 0 });
  }

  /**
   * Calls `listener` once per read that needed MLflow (cache hits and reads sharing another's in-flight request are
   * not counted); the proxy counts them in `mlsight_mlflow_requests_total`.
   * @returns a function that removes the listener
   */
  onReadOutcome(listener: (outcome: MlflowReadOutcome) => void): () => void {
    this.outcomeListeners.add(listener);
    return () => this.outcomeListeners.delete(listener);
  }

  private report(outcome: MlflowReadOutcome): void {
    for (const listener of this.outcomeListeners) listener(outcome);
  }

  /** Forgets every cached answer (e.g. after a write the dashboard must see at once). */
  clearCache(): void {
    this.cache.clear();
  }

  /** All experiments matching the filter (active only by default), every page. */
  searchExperiments(options: SearchExperimentsOptions = {}, ctx?: MlflowCallContext): Promise<Experiment[]> {
    const path = `${API}/experiments/search`;
    return this.cached('searchExperiments', [options.filter, options.viewType], ctx, () =>
      this.pages<Experiment>(
        path,
        'experiments',
        { pageSize: Math.min(this.pageSize, MAX_PAGE.experiments) },
        (token, max) => ({
          method: 'POST',
          path,
          body: { filter: options.filter, view_type: options.viewType, max_results: max, page_token: token },
        })
      )
    );
  }

  /** The experiment with this exact name, or undefined when there is none. */
  getExperimentByName(name: string, ctx?: MlflowCallContext): Promise<Experiment | undefined> {
    const path = `${API}/experiments/get-by-name`;
    return this.cached('getExperimentByName', [name], ctx, async () => {
      try {
        return await this.one<Experiment>({ method: 'GET', path, query: { experiment_name: name } }, 'experiment');
      } catch (err) {
        if (err instanceof MlflowError && err.kind === 'not_found') return undefined;
        throw err;
      }
    });
  }

  /** @throws MlflowError `not_found` when there is no such experiment */
  getExperiment(experimentId: string, ctx?: MlflowCallContext): Promise<Experiment> {
    return this.cached('getExperiment', [experimentId], ctx, () =>
      this.one<Experiment>(
        { method: 'GET', path: `${API}/experiments/get`, query: { experiment_id: experimentId } },
        'experiment'
      )
    );
  }

  /** Runs of the experiments matching the filter, following `next_page_token` until `limit` or the end. */
  searchRuns(options: SearchRunsOptions, ctx?: MlflowCallContext): Promise<Run[]> {
    const path = `${API}/runs/search`;
    const { experimentIds, filter, orderBy, limit, viewType } = options;
    if (experimentIds.length === 0 || (limit !== undefined && limit <= 0)) return Promise.resolve([]);
    return this.cached('searchRuns', [experimentIds, filter, orderBy, limit, viewType], ctx, () =>
      this.pages<Run>(path, 'runs', { pageSize: Math.min(this.pageSize, MAX_PAGE.runs), limit }, (token, max) => ({
        method: 'POST',
        path,
        body: {
          experiment_ids: experimentIds,
          filter,
          order_by: orderBy,
          run_view_type: viewType,
          max_results: max,
          page_token: token,
        },
      }))
    );
  }

  /** One run with its latest metrics, params, tags, dataset inputs and model inputs/outputs. */
  getRun(runId: string, ctx?: MlflowCallContext): Promise<Run> {
    return this.cached('getRun', [runId], ctx, () =>
      this.one<Run>({ method: 'GET', path: `${API}/runs/get`, query: { run_id: runId } }, 'run')
    );
  }

  /** Every logged value of one metric of one run (all pages). */
  getMetricHistory(runId: string, key: string, ctx?: MlflowCallContext): Promise<Metric[]> {
    const path = `${API}/metrics/get-history`;
    return this.cached('getMetricHistory', [runId, key], ctx, () =>
      // max_results is always sent: without it some MLflow versions paginate by 0 forever (see pagination.ts).
      this.pages<Metric>(path, 'metrics', { pageSize: this.pageSize }, (token, max) => ({
        method: 'GET',
        path,
        query: { run_id: runId, metric_key: key, max_results: max, page_token: token },
      }))
    );
  }

  /**
   * Drops every cached read, after this proxy changed MLflow (an alias move), so its next answers show the change.
   * Query workers have their own clients: the promote route tells them too (QueryWorkerPool.forgetCachedReads).
   */
  forgetCachedReads(): void {
    this.cache.clear();
  }

  /** Registered models matching the filter (all when undefined), every page, with their aliases. */
  searchRegisteredModels(filter?: string, ctx?: MlflowCallContext): Promise<RegisteredModel[]> {
    return this.cached('searchRegisteredModels', [filter], ctx, () => this.fetchRegisteredModels(filter));
  }

  /** One registered model, including its aliases. */
  getRegisteredModel(name: string, ctx?: MlflowCallContext): Promise<RegisteredModel> {
    return this.cached('getRegisteredModel', [name], ctx, () => this.fetchRegisteredModel(name));
  }

  /**
   * Model versions matching the filter (e.g. `name='churn'`), every page. MLflow's search answers
   * `aliases: []` for every version (mlflow#9783), so aliases are filled from the registered models.
   */
  searchModelVersions(filter?: string, ctx?: MlflowCallContext): Promise<ModelVersion[]> {
    const path = `${API}/model-versions/search`;
    return this.cached('searchModelVersions', [filter], ctx, async () => {
      const versions = await this.pages<ModelVersion>(
        path,
        'model_versions',
        { pageSize: Math.min(this.pageSize, MAX_PAGE.modelVersions) },
        (token, max) => ({ method: 'GET', path, query: { filter, max_results: max, page_token: token } })
      );
      return this.withAliases(versions);
    });
  }

  /** @throws MlflowError `not_found` when the model or version does not exist */
  getModelVersion(name: string, version: string, ctx?: MlflowCallContext): Promise<ModelVersion> {
    return this.cached('getModelVersion', [name, version], ctx, async () =>
      withModelId(
        await this.one<ModelVersion>(
          { method: 'GET', path: `${API}/model-versions/get`, query: { name, version } },
          'model_version'
        )
      )
    );
  }

  /** The version an alias (e.g. `champion`) points at. @throws MlflowError `not_found` for an unknown alias */
  getModelVersionByAlias(name: string, alias: string, ctx?: MlflowCallContext): Promise<ModelVersion> {
    return this.cached('getModelVersionByAlias', [name, alias], ctx, async () => {
      try {
        return withModelId(
          await this.one<ModelVersion>(
            { method: 'GET', path: `${API}/registered-models/alias`, query: { name, alias } },
            'model_version'
          )
        );
      } catch (err) {
        throw unknownAliasAsNotFound(err, name, alias);
      }
    });
  }

  /** MLflow 3 logged models of the experiments, every page (MLflow serves them 50 at a time). */
  searchLoggedModels(options: SearchLoggedModelsOptions, ctx?: MlflowCallContext): Promise<LoggedModel[]> {
    const path = `${API}/logged-models/search`;
    const { experimentIds, filter, limit } = options;
    if (experimentIds.length === 0 || (limit !== undefined && limit <= 0)) return Promise.resolve([]);
    const orderBy = options.orderBy?.map(toLoggedModelOrderBy);
    return this.cached('searchLoggedModels', [experimentIds, filter, orderBy, limit], ctx, () =>
      this.pages<LoggedModel>(path, 'models', { pageSize: LOGGED_MODELS_PAGE, limit }, (token, max) => ({
        method: 'POST',
        path,
        body: { experiment_ids: experimentIds, filter, order_by: orderBy, max_results: max, page_token: token },
      }))
    );
  }

  /** @throws MlflowError `not_found` when there is no such logged model */
  getLoggedModel(modelId: string, ctx?: MlflowCallContext): Promise<LoggedModel> {
    return this.cached('getLoggedModel', [modelId], ctx, () =>
      this.one<LoggedModel>({ method: 'GET', path: `${API}/logged-models/${encodeURIComponent(modelId)}` }, 'model')
    );
  }

  /** Files and folders directly under `path` (the run's artifact root when undefined). */
  listArtifacts(runId: string, path?: string, ctx?: MlflowCallContext): Promise<FileInfo[]> {
    const endpoint = `${API}/artifacts/list`;
    return this.cached('listArtifacts', [runId, path], ctx, () =>
      this.pages<FileInfo>(endpoint, 'files', { pageSize: this.pageSize }, (token) => ({
        method: 'GET',
        path: endpoint,
        query: { run_id: runId, path, page_token: token },
      }))
    );
  }

  /**
   * The bytes of one run artifact, through the tracking server (`/get-artifact`, which also resolves
   * `mlflow-artifacts:` roots of `--serve-artifacts`, the default).
   */
  downloadArtifact(runId: string, path: string, ctx?: MlflowCallContext): Promise<Buffer> {
    return this.cached('downloadArtifact', [runId, path], ctx, () =>
      this.http.bytes({ method: 'GET', path: '/get-artifact', query: { run_id: runId, path } })
    );
  }

  /** Files and folders of a logged model's artifacts (where MLflow 3 keeps model files). */
  listLoggedModelArtifacts(modelId: string, path?: string, ctx?: MlflowCallContext): Promise<FileInfo[]> {
    const endpoint = `${API}/logged-models/${encodeURIComponent(modelId)}/artifacts/directories`;
    return this.cached('listLoggedModelArtifacts', [modelId, path], ctx, () =>
      this.pages<FileInfo>(endpoint, 'files', { pageSize: this.pageSize }, (token) => ({
        method: 'GET',
        path: endpoint,
        query: { artifact_directory_path: path, page_token: token },
      }))
    );
  }

  /** The bytes of one logged-model artifact (MLflow serves this under `/ajax-api` only). */
  downloadLoggedModelArtifact(modelId: string, path: string, ctx?: MlflowCallContext): Promise<Buffer> {
    const endpoint = `/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}/artifacts/files`;
    return this.cached('downloadLoggedModelArtifact', [modelId, path], ctx, () =>
      this.http.bytes({ method: 'GET', path: endpoint, query: { artifact_file_path: path } })
    );
  }

  private async cached<T>(
    method: string,
    args: readonly unknown[],
    ctx: MlflowCallContext | undefined,
    loader: () => Promise<T>
  ): Promise<T> {
    let loaded = false;
    let hit;
    try {
      hit = await this.cache.getOrLoad(`${method}:${JSON.stringify(args)}`, () => {
        loaded = true;
        return loader();
      });
    } catch (err) {
      if (loaded) this.report(isAnsweredRefusal(err) ? 'ok' : 'error');
      throw err;
    }
    if (loaded) this.report(hit.stale ? 'stale' : 'ok');
    if (hit.stale && ctx) ctx.staleSince = Math.min(ctx.staleSince ?? Infinity, hit.fetchedAt);
    // The key starts with the method name and each method stores one type, so the value is a T.
    return hit.value as T;
  }

  private async one<T extends object>(request: MlflowRequest, key: string): Promise<T> {
    return objectField<T>(await this.http.json(request), key, { baseUrl: this.baseUrl, endpoint: describe(request) });
  }

  private pages<T extends object>(
    endpoint: string,
    key: string,
    paging: { pageSize: number; limit?: number | undefined },
    request: (pageToken: string | undefined, maxResults: number) => MlflowRequest
  ): Promise<T[]> {
    const where = { baseUrl: this.baseUrl, endpoint };
    const fetchPage = async (token: string | undefined, max: number): Promise<Page<T>> => {
      const body = await this.http.json(request(token, max));
      const next = pageToken(body);
      return { items: arrayField<T>(body, key, where), ...(next ? { nextPageToken: next } : {}) };
    };
    return collectPages(fetchPage, { ...where, pageSize: paging.pageSize, limit: paging.limit });
  }

  private fetchRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.one<RegisteredModel>(
      { method: 'GET', path: `${API}/registered-models/get`, query: { name } },
      'registered_model'
    );
  }

  private fetchRegisteredModels(filter: string | undefined): Promise<RegisteredModel[]> {
    const path = `${API}/registered-models/search`;
    return this.pages<RegisteredModel>(
      path,
      'registered_models',
      { pageSize: Math.min(this.pageSize, MAX_PAGE.registeredModels) },
      (token, max) => ({ method: 'GET', path, query: { filter, max_results: max, page_token: token } })
    );
  }

  /** Copies of the versions with `aliases` read from their registered models. */
  private async withAliases(versions: ModelVersion[]): Promise<ModelVersion[]> {
    const names = [...new Set(versions.map((v) => v.name).filter((n): n is string => typeof n === 'string'))];
    if (names.length === 0) return versions;
    let models: RegisteredModel[];
    if (names.length <= ALIAS_LOOKUP_GETS) {
      const found = await Promise.all(
        names.map((name) =>
          this.fetchRegisteredModel(name).catch((err: unknown) => {
            // Deleted between the two calls: its versions keep no aliases.
            if (err instanceof MlflowError && err.kind === 'not_found') return undefined;
            throw err;
          })
        )
      );
      models = found.filter((m): m is RegisteredModel => m !== undefined);
    } else {
      models = await this.fetchRegisteredModels(undefined);
    }
    const aliases = new Map<string, string[]>();
    for (const model of models) {
      for (const { alias, version } of model.aliases ?? []) {
        if (!model.name || !alias || !version) continue;
        const key = `${model.name}\u0000${version}`;
        aliases.set(key, [...(aliases.get(key) ?? []), alias]);
      }
    }
    return versions.map((v) =>
      withModelId({ ...v, aliases: aliases.get(`${v.name ?? ''}\u0000${v.version ?? ''}`) ?? [] })
    );
  }
}

/**
 * The version with `model_id` set from a `models:/<model_id>` source when MLflow left it out (3.x servers do
 * for versions registered from a logged-model URI). `models:/<name>/<version>` sources are left alone.
 */
export function withModelId(version: ModelVersion): ModelVersion {
  if (version.model_id) return version;
  const match = /^models:\/(m-[A-Za-z0-9]+)$/.exec(version.source ?? '');
  return match?.[1] ? { ...version, model_id: match[1] } : version;
}

/** MLflow answers an unknown alias of a known model with 400 INVALID_PARAMETER_VALUE; it is a not-found. */
function unknownAliasAsNotFound(err: unknown, name: string, alias: string): unknown {
  if (err instanceof MlflowError && err.status === 400 && /alias .* not found/i.test(err.message)) {
    return new MlflowError(
      'not_found',
      `MLflow at ${displayUrl(err.baseUrl ?? '')} has no alias "${alias}" on model "${name}"`,
      {
        ...(err.status !== undefined ? { status: err.status } : {}),
        ...(err.baseUrl !== undefined ? { baseUrl: err.baseUrl } : {}),
        ...(err.errorCode !== undefined ? { errorCode: err.errorCode } : {}),
        cause: err,
      }
    );
  }
  return err;
}

function describe(request: MlflowRequest): string {
  return `${request.method} ${request.path}`;
}
