import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../backend-proxy/src/config/config';
import { buildApp } from '../../backend-proxy/src/server/app';
import { mlflowFromConfig } from '../../backend-proxy/src/server/mlflowFromConfig';
import type { DriftStore } from '../../backend-proxy/src/store/types';
import { percentile } from './loadgen';

/** The read token of the benchmark apps. */
export const BENCH_READ_TOKEN = 'bench-read-token-0123456789abcdef';

export interface Percentiles {
  p50Ms: number;
  p95Ms: number;
  cpuMsPerQuery: number;
}

/**
 * The real proxy app on a benchmark's store: no MLflow behind it (a closed loopback port makes any accidental call
 * fail fast) and no monitor, whose start-up run would compete with the timed queries.
 */
export function storeBenchApp(store: DriftStore): Promise<FastifyInstance> {
  const config = loadConfig({
    MLSIGHT_TOKENS: `${BENCH_READ_TOKEN}:read`,
    MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9',
    MLSIGHT_LOG_LEVEL: 'silent',
    MLSIGHT_MONITOR_INTERVAL: '0',
  });
  return buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), store, logger: false });
}

/** Runs `run` `count` times in sequence: wall-time p50/p95 and this process's CPU per run. */
export async function timeRuns(count: number, run: (i: number) => Promise<unknown>): Promise<Percentiles> {
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    await run(i);
    times.push(performance.now() - began);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return {
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    cpuMsPerQuery: (cpu.user + cpu.system) / 1000 / count,
  };
}
