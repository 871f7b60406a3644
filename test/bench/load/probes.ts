/**
 * What an operator watches during a load: `/healthz` answering (its latency is the event loop's delay as a client
 * sees it), the proxy's own event-loop p99 from `/metrics`, and the resident memory over time.
 */
import { rssMiB } from '../../support/proxyProcess';

export interface ProbeSeries {
  /** [seconds since start, MiB] every sample. */
  rssMiB: Array<[number, number]>;
  healthzMs: number[];
  /** The proxy's `mlsight_proxy_nodejs_eventloop_lag_p99_seconds`, in ms, at each scrape. */
  eventLoopP99Ms: number[];
}

export interface ProbeOptions {
  url: string;
  /** The proxy's pid now (it changes across a restart). */
  pid: () => number;
  everyMs: number;
  deadlineMs: number;
  /** Bearer token for `/metrics` when it is not public. */
  token: string;
}

const EVENT_LOOP_P99 = /^mlsight_proxy_nodejs_eventloop_lag_p99_seconds (\S+)$/m;

export async function runProbes(opts: ProbeOptions): Promise<ProbeSeries> {
  const series: ProbeSeries = { rssMiB: [], healthzMs: [], eventLoopP99Ms: [] };
  const began = performance.now();
  let tick = 0;
  while (performance.now() < opts.deadlineMs) {
    const t0 = performance.now();
    try {
      const response = await fetch(`${opts.url}/healthz`);
      await response.arrayBuffer();
      if (response.ok) series.healthzMs.push(performance.now() - t0);
    } catch {
      // down during a restart: no sample
    }
    const rss = rssMiB(opts.pid());
    if (Number.isFinite(rss)) series.rssMiB.push([(performance.now() - began) / 1000, rss]);
    if (tick++ % 10 === 0) {
      try {
        const text = await (
          await fetch(`${opts.url}/metrics`, { headers: { authorization: `Bearer ${opts.token}` } })
        ).text();
        const match = EVENT_LOOP_P99.exec(text);
        if (match) series.eventLoopP99Ms.push(Number(match[1]) * 1000);
      } catch {
        // down during a restart
      }
    }
    await new Promise((r) => setTimeout(r, Math.max(0, opts.everyMs - (performance.now() - t0))));
  }
  return series;
}

/**
 * Growth of resident memory after warm-up, in percent: the median of the last fifth of the samples against the
 * median of the fifth after `warmupSeconds` (medians, so one GC pause does not decide it).
 */
export function rssGrowthPercent(samples: ReadonlyArray<[number, number]>, warmupSeconds: number): number {
  const warm = samples.filter(([t]) => t >= warmupSeconds).map(([, mib]) => mib);
  if (warm.length < 10) return Number.NaN;
  const fifth = Math.max(1, Math.floor(warm.length / 5));
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const early = median(warm.slice(0, fifth));
  const late = median(warm.slice(-fifth));
  return ((late - early) / early) * 100;
}
