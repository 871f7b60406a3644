/**
 * A real Prometheus (Debian's `/usr/bin/prometheus`) for integration tests: a temp config that scrapes the given
 * targets and loads the given rule files, a temp TSDB, a free loopback port. `startPrometheus()` resolves once
 * `/-/ready` answers; `stop()` ends the process and removes the temp directory.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLoopbackPort } from './mlflowServer';

export const PROMETHEUS_BIN = process.env.MLSIGHT_PROMETHEUS ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.MLSIGHT_PROMTOOL ?? '/usr/bin/promtool';
const READY_ATTEMPTS = 300;
const READY_PAUSE_MS = 100;
const STOP_TIMEOUT_MS = 10_000;

export interface StartPrometheusOptions {
  /** `host:port` targets of the scrape job. */
  scrapeTargets: string[];
  /** Rule files to load (absolute or repository-relative paths). */
  ruleFiles?: string[];
  /** Scrape and rule-evaluation interval, e.g. `1s`. Default `1s`. */
  scrapeInterval?: string;
  /** Scrape job name; default `mlsight-proxy`, the job the shipped rules name. */
  jobName?: string;
  /** Bearer token for the scrape, when /metrics needs one. */
  bearerToken?: string;
}

export interface PrometheusServer {
  url: string;
  /** Prometheus' own stdout/stderr. */
  logFile: string;
  /** GET `<url><path>` parsed as Prometheus' API envelope; throws on a non-success status. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

function configText(options: StartPrometheusOptions, tokenFile: string | undefined): string {
  const interval = options.scrapeInterval ?? '1s';
  const rules = (options.ruleFiles ?? []).map((f) => resolve(REPO_ROOT, f));
  // JSON is YAML: no YAML writer needed, and every string is quoted.
  return JSON.stringify(
    {
      global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
      rule_files: rules,
      scrape_configs: [
        {
          job_name: options.jobName ?? 'mlsight-proxy',
          metrics_path: '/metrics',
          ...(tokenFile ? { authorization: { type: 'Bearer', credentials_file: tokenFile } } : {}),
          static_configs: [{ targets: options.scrapeTargets }],
        },
      ],
    },
    null,
    2
  );
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(`${PROMETHEUS_BIN} not found: run scripts/setup-system.sh (Debian package "prometheus")`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-prometheus-'));
  let tokenFile: string | undefined;
  if (options.bearerToken) {
    tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, options.bearerToken, { mode: 0o600 });
  }
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configText(options, tokenFile));
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'prometheus.log');
  const out = openSync(logFile, 'a');
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    { stdio: ['ignore', out, out] }
  );
  closeSync(out);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let alive = true;
  void exited.then(() => (alive = false));

  const stop = async () => {
    if (alive) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  for (let attempt = 0; ; attempt++) {
    if (!alive) {
      const log = readFileSync(logFile, 'utf8');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`prometheus exited before it was ready:\n${log.split('\n').slice(-30).join('\n')}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false
    );
    if (ready) break;
    if (attempt >= READY_ATTEMPTS) {
      await stop();
      throw new Error(`prometheus at ${url} not ready after ${READY_ATTEMPTS} attempts`);
    }
    await new Promise((done) => setTimeout(done, READY_PAUSE_MS));
  }

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  return { url, logFile, api, stop };
}

/** Runs `promtool <args>`; resolves with its exit code and output. */
export function promtool(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, reject) => {
    const child = spawn(PROMTOOL_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => done({ code, output }));
  });
}
