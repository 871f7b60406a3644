import {
  type DataFrameJSON,
  type MLSightQuery,
  type QueryRequest,
  type QueryResponse,
  type QueryResult,
  type TimeWindow,
  toEpochMs,
  withNotice,
  withRefId,
} from '@mlsight/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config/config';
import { MlflowError, type MlflowCallContext, type MlflowClient } from '../mlflow';
import { QueryError, type QueryContext, type QueryHandlers } from '../queries';
import { alertingWorkKey } from '../queries/alertingWork';
import type { FleetMonitorView } from '../monitor/fleetMonitorState';
import type { DriftStore } from '../store';
import type { AnswerCache } from '../cache/answerCache';
import type { QueryWorkerPool } from './queryWorkers';
import type { SharedAnswer, SharedAnswers } from './sharedAnswers';
import type { ProxyMetrics } from './metrics';

/** A request that is well-formed JSON but means nothing (e.g. `from` after `to`); 400 naming the field. */
export class RequestFieldError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(`${field}: ${message}`);
    this.name = 'RequestFieldError';
  }
}

const DEFAULT_MAX_DATA_POINTS = 1000;

export function timeWindowOf(request: QueryRequest): TimeWindow {
  const fromMs = toEpochMs(request.from);
  const toMs = toEpochMs(request.to);
  if (fromMs === undefined) throw new RequestFieldError('from', 'is not epoch milliseconds or an ISO-8601 time');
  if (toMs === undefined) throw new RequestFieldError('to', 'is not epoch milliseconds or an ISO-8601 time');
  if (toMs < fromMs) throw new RequestFieldError('to', 'is before from');
  const maxDataPoints = request.maxDataPoints ?? DEFAULT_MAX_DATA_POINTS;
  const intervalMs = request.intervalMs ?? Math.max(1000, Math.ceil((toMs - fromMs) / maxDataPoints));
  return { fromMs, toMs, intervalMs, maxDataPoints };
}

/** Maps any handler failure to what the panel shows: a status and a sentence, never a stack trace. */
export function describeFailure(err: unknown): { status: number; message: string; internal: boolean } {
  if (err instanceof QueryError) return { status: err.status, message: err.message, internal: false };
  if (err instanceof MlflowError) {
    const status = err.kind === 'timeout' ? 504 : err.kind === 'not_found' ? 404 : err.kind === 'http' ? 502 : 503;
    return { status, message: err.message, internal: false };
  }
  return { status: 500, message: 'internal error while answering this query (see the proxy log)', internal: true };
}

export function staleNotice(staleSince: number): { severity: 'warning'; text: string } {
  return {
    severity: 'warning',
    text: `MLflow is unreachable: showing cached data from ${new Date(staleSince).toISOString()}`,
  };
}

export interface ExecuteDeps {
  handlers: QueryHandlers;
  mlflow: MlflowClient;
  config: AppConfig;
  log: FastifyBaseLogger;
  metrics?: ProxyMetrics;
  store?: DriftStore;
  /** Answers of bucketed store queries (drift heatmap/trend) while the model's data is unchanged. */
  answers?: AnswerCache;
  /** One computation shared by identical queries asked at once (and for a bounded age, when configured). */
  shared?: SharedAnswers;
  /** Worker threads that run the handlers off this event loop; without, they run here. */
  workers?: QueryWorkerPool;
  /** The monitor's latest run, for the `fleet` query. */
  monitorView?: FleetMonitorView;
}

/** The handler's answer, computed once for every identical query being asked now when `shared` is given. */
function compute(query: MLSightQuery, window: TimeWindow, ctx: QueryContext, deps: ExecuteDeps): Promise<SharedAnswer> {
  const handler = deps.handlers[query.queryType] as (q: MLSightQuery, c: QueryContext) => Promise<DataFrameJSON[]>;
  const workers = deps.workers;
  const run = async (): Promise<SharedAnswer> => {
    if (workers) {
      const alerting = 'format' in query && query.format === 'alerting';
      return workers.run(query, window, ctx.monitor, alerting ? alertingWorkKey(query, window) : undefined);
    }
    const frames = await handler(query, ctx);
    const staleSince = ctx.mlflowCall.staleSince;
    return staleSince === undefined ? { frames } : { frames, staleSince };
  };
  return deps.shared ? deps.shared.getOrCompute(deps.shared.keyFor(query, window), run) : run();
}

async function runOne(query: MLSightQuery, window: TimeWindow, deps: ExecuteDeps): Promise<QueryResult> {
  if (query.hide) return { frames: [] };
  const mlflowCall: MlflowCallContext = {};
  const ctx: QueryContext = {
    window,
    mlflow: deps.mlflow,
    mlflowCall,
    config: deps.config,
    log: deps.log,
    ...(deps.store ? { store: deps.store } : {}),
  };
  const monitor = query.queryType === 'fleet' ? deps.monitorView?.current() : undefined;
  if (monitor) ctx.monitor = monitor;
  try {
    const key = deps.answers ? await deps.answers.keyFor(query, window, deps.store) : undefined;
    const cached = key === undefined ? undefined : deps.answers?.get(key);
    let answer: SharedAnswer;
    if (cached !== undefined) {
      answer = { frames: cached };
    } else {
      answer = await compute(query, window, ctx, deps);
      if (key !== undefined) deps.answers?.set(key, answer.frames);
    }
    const staleSince = answer.staleSince;
    let frames = answer.frames.map((f) => withRefId(f, query.refId));
    if (staleSince !== undefined) {
      const notice = staleNotice(staleSince);
      frames = frames.map((f) => {
        const noticed = withNotice(f, notice);
        return { ...noticed, schema: { ...noticed.schema, meta: { ...noticed.schema.meta, custom: { stale: true } } } };
      });
    }
    deps.metrics?.queries.inc({
      query_type: query.queryType,
      outcome: staleSince === undefined ? 'ok' : 'stale',
    });
    return { frames, status: 200 };
  } catch (err) {
    const failure = describeFailure(err);
    deps.metrics?.queries.inc({ query_type: query.queryType, outcome: 'error' });
    if (failure.internal) deps.log.error({ err, refId: query.refId, queryType: query.queryType }, 'query failed');
    else deps.log.info({ refId: query.refId, queryType: query.queryType, status: failure.status }, failure.message);
    return { frames: [], error: failure.message, status: failure.status };
  }
}

/**
 * Answers every query of a request independently: one failing query (MLflow down, unknown model) yields an
 * error for its refId while the others still return frames.
 */
export async function executeQueries(request: QueryRequest, deps: ExecuteDeps): Promise<QueryResponse> {
  const window = timeWindowOf(request);
  const seen = new Set<string>();
  request.queries.forEach((q, i) => {
    if (seen.has(q.refId)) throw new RequestFieldError(`queries[${i}].refId`, `duplicates refId "${q.refId}"`);
    seen.add(q.refId);
  });
  const results = await Promise.all(request.queries.map((q) => runOne(q, window, deps)));
  return { results: Object.fromEntries(request.queries.map((q, i) => [q.refId, results[i] as QueryResult])) };
}
