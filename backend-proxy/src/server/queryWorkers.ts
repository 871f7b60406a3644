import type { MLSightQuery, TimeWindow } from '@mlsight/contract';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../config/config';
import type { MlflowReadOutcome } from '../mlflow';
import type { ModelSnapshot, SnapshotOptions, Window } from '../monitor/snapshot';
import { type QueryContext, QueryError } from '../queries';
import { idHash } from '../store/hash';
import type { SharedAnswer } from './sharedAnswers';

/** What the main thread asks a query worker and waits for: a query's answer, or a monitor snapshot of one model. */
export type WorkerCall =
  | { type: 'query'; id: number; query: MLSightQuery; window: TimeWindow; monitor?: QueryContext['monitor'] }
  | {
      type: 'snapshot';
      id: number;
      model: string;
      window: Window;
      options: Pick<SnapshotOptions, 'version' | 'nowMs'>;
    };

/**
 * Every message a worker receives: a call, or the notice that this proxy changed MLflow (an alias move), after which
 * the worker drops its cached MLflow reads. It has no answer; messages arrive in order, so a query sent after it
 * reads MLflow fresh.
 */
export type WorkerRequest = WorkerCall | { type: 'forget_cached_reads' };

/** What a worker answers: frames, a failure already described (status and sentence), or an MLflow read outcome. */
export type WorkerMessage =
  | { type: 'answer'; id: number; answer: SharedAnswer }
  | { type: 'snapshot'; id: number; snapshot: ModelSnapshot }
  | { type: 'failure'; id: number; status: number; message: string; internal: boolean }
  | { type: 'mlflow'; outcome: MlflowReadOutcome };

export interface WorkerData {
  config: AppConfig;
}

interface Pending {
  resolve: (value: SharedAnswer | ModelSnapshot) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export interface QueryWorkerPoolOptions {
  config: AppConfig;
  size: number;
  /** Each worker's MLflow reads, so the proxy's `mlsight_proxy_mlflow_requests_total` still counts them. */
  onMlflowOutcome?: (outcome: MlflowReadOutcome) => void;
  /** A worker died and was replaced (its queries failed with a 503). */
  onWorkerExit?: (info: { code: number; pending: number }) => void;
  /** The compiled worker script; default the `queryWorker.js` beside this module. */
  script?: string;
}

/**
 * Query handlers run in worker threads, each with its own store connection (another reader of the same SQLite
 * file in WAL mode, or its own PostgreSQL pool) and MLflow client, so a heatmap computed for seconds never holds
 * the event loop that acknowledges ingestion and answers `/healthz`. A query goes to the worker with the fewest
 * queries in flight; a worker that dies fails its queries with a 503 and is replaced.
 */
export class QueryWorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: QueryWorkerPoolOptions) {
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const data: WorkerData = { config: this.opts.config };
    const worker = new Worker(this.opts.script ?? join(__dirname, 'queryWorker.js'), { workerData: data });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'mlflow') {
        this.opts.onMlflowOutcome?.(message.outcome);
        return;
      }
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      if (message.type === 'answer') pending.resolve(message.answer);
      else if (message.type === 'snapshot') pending.resolve(message.snapshot);
      else if (message.internal) pending.reject(new Error(`query worker: ${message.message}`));
      else pending.reject(new QueryError(message.message, message.status));
    });
    // An uncaught error ends the worker: 'exit' follows and does the bookkeeping.
    worker.on('error', () => undefined);
    worker.on('exit', (code) => {
      const failed = [...slot.pending.values()];
      slot.pending.clear();
      for (const p of failed) p.reject(new QueryError('the query worker stopped while answering; try again', 503));
      if (this.closed) return;
      this.opts.onWorkerExit?.({ code, pending: failed.length });
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
    });
    return slot;
  }

  /** Runs one query's handler in the least busy worker. */
  /**
   * Answers `query` in a worker. Queries with the same `affinity` go to the same worker, so work they share
   * in memory there (the values of one alert rule, queries/alertingWork.ts) is done once.
   */
  run(
    query: MLSightQuery,
    window: TimeWindow,
    monitor?: QueryContext['monitor'],
    affinity?: string
  ): Promise<SharedAnswer> {
    return this.send(
      (id) => ({
        type: 'query',
        id,
        query,
        window,
        ...(monitor ? { monitor } : {}),
      }),
      affinity
    ) as Promise<SharedAnswer>;
  }

  /**
   * The monitor's snapshot of one model (computeModelSnapshot with the default contributors, realised and
   * estimated performance and fairness) computed in a worker.
   */
  snapshot(model: string, window: Window, options: Pick<SnapshotOptions, 'version' | 'nowMs'>): Promise<ModelSnapshot> {
    return this.send((id) => ({ type: 'snapshot', id, model, window, options })) as Promise<ModelSnapshot>;
  }

  /**
   * Every worker drops its cached MLflow reads, so a query answered after an alias move shows it (without this, a
   * worker's deployments or versions answer lags by up to the MLflow cache TTL).
   */
  forgetCachedReads(): void {
    for (const slot of this.slots) slot.worker.postMessage({ type: 'forget_cached_reads' } satisfies WorkerRequest);
  }

  private send(request: (id: number) => WorkerCall, affinity?: string): Promise<SharedAnswer | ModelSnapshot> {
    if (this.closed) return Promise.reject(new QueryError('the proxy is shutting down', 503));
    const slot =
      affinity === undefined
        ? this.slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best))
        : (this.slots[idHash(affinity) % this.slots.length] as Slot);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage(request(id));
    });
  }

  get size(): number {
    return this.slots.length;
  }

  /** Stops every worker; queries still running fail with a 503. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
