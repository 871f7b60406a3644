/**
 * People looking at dashboards: each viewer has one persona dashboard open and, every refresh, sends all its
 * panels' requests at once (as Grafana does), then waits for the next refresh (open loop: a slow answer does not
 * slow the next refresh down, it overlaps it).
 */
import { assertLoopback } from '../loadgen';
import type { PanelRequest } from './dashboardMix';

export interface ViewerOptions {
  url: string;
  token: string;
  requests: readonly PanelRequest[];
  viewers: number;
  refreshMs: number;
  deadlineMs: number;
}

export interface ViewerTally {
  requests: number;
  /** HTTP answers other than 200, and connection failures (expected only while the proxy is restarting). */
  httpErrors: number;
  connectionErrors: number;
  /** When each connection failure happened (performance.now()), to tell a restart's gap from a fault. */
  connectionErrorAtMs: number[];
  /** Queries answered inside a 200 with a 5xx status of their own (the proxy's fault, not the data's). */
  queryServerErrors: number;
  /** Distinct error messages seen, with counts. */
  messages: Map<string, number>;
  latenciesMs: number[];
  /** Per query type, the latencies of the panels that contain it. */
  byType: Map<string, number[]>;
}

export function emptyTally(): ViewerTally {
  return {
    requests: 0,
    httpErrors: 0,
    connectionErrors: 0,
    connectionErrorAtMs: [],
    queryServerErrors: 0,
    messages: new Map(),
    latenciesMs: [],
    byType: new Map(),
  };
}

function note(tally: ViewerTally, message: string): void {
  tally.messages.set(message, (tally.messages.get(message) ?? 0) + 1);
}

/** Sends one panel's request and adds what happened to `tally`. */
export async function sendPanel(url: string, token: string, request: PanelRequest, tally: ViewerTally): Promise<void> {
  const began = performance.now();
  tally.requests++;
  try {
    const response = await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: request.body(),
    });
    const body = Buffer.from(await response.arrayBuffer());
    const elapsed = performance.now() - began;
    tally.latenciesMs.push(elapsed);
    for (const type of request.queryTypes) {
      const list = tally.byType.get(type) ?? [];
      list.push(elapsed);
      tally.byType.set(type, list);
    }
    if (response.status !== 200) {
      tally.httpErrors++;
      note(tally, `HTTP ${response.status}: ${body.toString('utf8', 0, 200)}`);
      return;
    }
    // Every failed query's result carries an "error" key (server/executeQueries.ts): without those bytes in the body
    // nothing failed, and the generator need not decode and parse a megabyte heatmap on the cores it shares with the
    // proxy (doing so for every answer made the generator, not the proxy, the limit of a cached storm).
    if (!body.includes('"error":')) return;
    const results = (
      JSON.parse(body.toString('utf8')) as { results: Record<string, { status?: number; error?: string }> }
    ).results;
    for (const result of Object.values(results)) {
      if ((result.status ?? 200) >= 500) {
        tally.queryServerErrors++;
        note(tally, `${request.panel}: ${result.status} ${result.error ?? ''}`);
      }
    }
  } catch (err) {
    tally.connectionErrors++;
    tally.connectionErrorAtMs.push(performance.now());
    note(tally, `connection: ${(err as Error).message}`);
  }
}

/** Runs the viewers until the deadline; returns what they saw. */
export async function runViewers(opts: ViewerOptions): Promise<ViewerTally> {
  assertLoopback(opts.url);
  const dashboards = [...new Set(opts.requests.map((r) => r.dashboard))];
  const tally = emptyTally();
  const inFlight = new Set<Promise<void>>();
  const viewer = async (v: number) => {
    const dashboard = dashboards[v % dashboards.length];
    const panels = opts.requests.filter((r) => r.dashboard === dashboard);
    // Viewers open their dashboards spread over one refresh interval, as people do.
    let next = performance.now() + (v / opts.viewers) * opts.refreshMs;
    while (next < opts.deadlineMs) {
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
      for (const panel of panels) {
        const sent = sendPanel(opts.url, opts.token, panel, tally).finally(() => inFlight.delete(sent));
        inFlight.add(sent);
      }
      next += opts.refreshMs;
    }
  };
  await Promise.all(Array.from({ length: opts.viewers }, (_, v) => viewer(v)));
  await Promise.all([...inFlight]);
  return tally;
}
