/**
 * A query worker thread (see queryWorkers.ts): opens its own store connection and MLflow client from the proxy's
 * settings and answers queries with the same handlers the main thread would run, one message per query.
 */
import type { DataFrameJSON, MLSightQuery } from '@mlsight/contract';
import pino from 'pino';
import { parentPort, workerData } from 'node:worker_threads';
import type { MlflowCallContext } from '../mlflow';
import { queryHandlers, type QueryContext } from '../queries';
import { fairnessContributor, performanceContributor, targetDriftContributor } from '../monitor';
import { computeModelSnapshot } from '../monitor/snapshot';
import { openStore } from '../store';
import { describeFailure } from './executeQueries';
import { mlflowFromConfig } from './mlflowFromConfig';
import { redactErr } from './redact';
import type { WorkerCall, WorkerData, WorkerMessage, WorkerRequest } from './queryWorkers';

const port = parentPort;
if (!port) throw new Error('queryWorker.ts runs as a worker thread (see QueryWorkerPool)');
const { config } = workerData as WorkerData;
// The worker logs no requests; what it logs are errors, whose messages may hold a URL with credentials.
const log = pino({ level: config.logLevel, name: 'mlsight-proxy', serializers: { err: redactErr } }).child({
  component: 'query-worker',
});
const mlflow = mlflowFromConfig(config.mlflow, log.child({ component: 'mlflow' }));
mlflow.onReadOutcome((outcome) => port.postMessage({ type: 'mlflow', outcome } satisfies WorkerMessage));
const store = openStore(config.store);

const contributorDeps = { mlflow, config, log: log.child({ component: 'monitor' }) };
const contributors = [
  performanceContributor(contributorDeps),
  fairnessContributor(contributorDeps),
  targetDriftContributor(),
];

async function answer(request: WorkerCall): Promise<WorkerMessage> {
  if (request.type === 'snapshot') {
    try {
      const snapshot = await computeModelSnapshot(await store, request.model, request.window, {
        ...request.options,
        contributors,
      });
      return { type: 'snapshot', id: request.id, snapshot };
    } catch (err) {
      // The monitor logs the reason and counts it; the snapshot is no answer a panel shows.
      const message = err instanceof Error ? err.message : String(err);
      return { type: 'failure', id: request.id, status: 500, message, internal: false };
    }
  }
  const mlflowCall: MlflowCallContext = {};
  const handler = queryHandlers[request.query.queryType] as (
    q: MLSightQuery,
    c: QueryContext
  ) => Promise<DataFrameJSON[]>;
  try {
    const ctx: QueryContext = {
      window: request.window,
      mlflow,
      mlflowCall,
      config,
      log,
      store: await store,
      ...(request.monitor ? { monitor: request.monitor } : {}),
    };
    const frames = await handler(request.query, ctx);
    const staleSince = mlflowCall.staleSince;
    return { type: 'answer', id: request.id, answer: staleSince === undefined ? { frames } : { frames, staleSince } };
  } catch (err) {
    const failure = describeFailure(err);
    if (failure.internal) {
      log.error({ err, refId: request.query.refId, queryType: request.query.queryType }, 'query failed');
    }
    return { type: 'failure', id: request.id, ...failure };
  }
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'forget_cached_reads') {
    mlflow.forgetCachedReads();
    return;
  }
  void answer(request).then((message) => port.postMessage(message));
});
