/**
 * Model servers streaming predictions: each sends batches of generated rows with an `Idempotency-Key`, and resends
 * the same body with the same key until it is acknowledged (a 2xx), as a well-behaved client does through a
 * restart of the proxy. What was acknowledged is remembered, to be compared with what the store holds.
 */
import { assertLoopback } from '../loadgen';
import { seededRandom } from '../../../backend-proxy/src/stats/testRandom';

export interface ModelServerOptions {
  url: string;
  token: string;
  /** Models `${prefix}0 … ${prefix}{servers-1}`, one per server. */
  prefix: string;
  servers: number;
  rowsPerBatch: number;
  numericFeatures: number;
  categoricalFeatures: number;
  /** Stop sending new batches after this many (per server) or at `deadlineMs` (performance.now()), first wins. */
  maxBatches: number;
  deadlineMs: number;
  /** Pause between a server's batches (0: closed loop). */
  pauseMs?: number;
  /** Epoch ms of the first row; rows are one second apart per server. */
  startMs: number;
  seed?: number;
}

export interface ServerTally {
  model: string;
  /** Batches answered 2xx, and the rows the proxy said it accepted in them. */
  batches: number;
  acknowledgedRows: number;
  acknowledgedIds: string[];
  /** Attempts that found no proxy (refused or reset during a restart), resent with the same key; and when. */
  connectionRetries: number;
  connectionRetryAtMs: number[];
  /** Attempts answered 5xx or 429, resent with the same key: the proxy's fault or its back-pressure. */
  serverErrors: Array<{ status: number; body: string }>;
  /** Answers that are not retryable (4xx other than 429): a load test that sees one has a bug to report. */
  rejections: Array<{ status: number; body: string }>;
  /** Latency of every acknowledged attempt, ms. */
  latenciesMs: number[];
}

const CATEGORIES = ['a', 'b', 'c', 'd', 'e'];

function featureRow(random: () => number, opts: ModelServerOptions): Record<string, number | string> {
  const features: Record<string, number | string> = {};
  for (let f = 0; f < opts.numericFeatures; f++) features[`x${f}`] = Math.round(random() * 1e6) / 1e4;
  for (let f = 0; f < opts.categoricalFeatures; f++) {
    features[`c${f}`] = CATEGORIES[Math.floor(random() * CATEGORIES.length)] as string;
  }
  return features;
}

/** Freezes a reference for every server's model (2,000 generated rows each). */
export async function putReferences(opts: ModelServerOptions): Promise<void> {
  assertLoopback(opts.url);
  const random = seededRandom(opts.seed ?? 7);
  for (let s = 0; s < opts.servers; s++) {
    const rows = Array.from({ length: 2000 }, () => ({
      features: featureRow(random, opts),
      prediction: random() < 0.3 ? 1 : 0,
    }));
    const response = await fetch(`${opts.url}/api/v1/models/${opts.prefix}${s}/reference`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rows }),
    });
    if (!response.ok)
      throw new Error(`reference of ${opts.prefix}${s}: HTTP ${response.status} ${await response.text()}`);
  }
}

const RETRY_PAUSE_MS = 100;

async function runServer(index: number, opts: ModelServerOptions): Promise<ServerTally> {
  const model = `${opts.prefix}${index}`;
  const random = seededRandom((opts.seed ?? 7) * 1000 + index);
  const tally: ServerTally = {
    model,
    batches: 0,
    acknowledgedRows: 0,
    acknowledgedIds: [],
    connectionRetries: 0,
    connectionRetryAtMs: [],
    serverErrors: [],
    rejections: [],
    latenciesMs: [],
  };
  const url = `${opts.url}/api/v1/models/${model}/predictions`;
  for (let b = 0; b < opts.maxBatches && performance.now() < opts.deadlineMs; b++) {
    const ids: string[] = [];
    const rows = Array.from({ length: opts.rowsPerBatch }, (_, r) => {
      const id = `${model}-b${b}-r${r}`;
      ids.push(id);
      const score = random();
      return {
        prediction_id: id,
        timestamp: new Date(opts.startMs + (b * opts.rowsPerBatch + r) * 1000).toISOString(),
        features: featureRow(random, opts),
        prediction: score > 0.7 ? 1 : 0,
        score,
      };
    });
    const body = JSON.stringify({ rows });
    const key = `${model}-batch-${b}`;
    // A batch is resent until acknowledged, even past the deadline: nothing started is abandoned.
    for (;;) {
      const began = performance.now();
      let status = 0;
      let text = '';
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${opts.token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body,
        });
        status = response.status;
        text = await response.text();
      } catch {
        status = 0; // connection refused or reset: the proxy is down or restarting
      }
      if (status >= 200 && status < 300) {
        tally.latenciesMs.push(performance.now() - began);
        tally.batches++;
        tally.acknowledgedRows += (JSON.parse(text) as { accepted: number }).accepted;
        tally.acknowledgedIds.push(...ids);
        break;
      }
      if (status !== 0 && status !== 429 && status < 500) {
        tally.rejections.push({ status, body: text.slice(0, 500) });
        break;
      }
      if (status === 0) {
        tally.connectionRetries++;
        tally.connectionRetryAtMs.push(performance.now());
      } else {
        tally.serverErrors.push({ status, body: text.slice(0, 500) });
      }
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    }
    if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
  }
  return tally;
}

/** Runs every model server until its batches or the deadline run out. */
export function runModelServers(opts: ModelServerOptions): Promise<ServerTally[]> {
  assertLoopback(opts.url);
  return Promise.all(Array.from({ length: opts.servers }, (_, i) => runServer(i, opts)));
}
