/**
 * The built proxy (backend-proxy/dist/server.js) as its own process on a loopback port, as `npm start` runs it:
 * for benchmarks and fault trials that need a real socket, a kill -9 and a restart on the same store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from './mlflowServer';

const SERVER_JS = join(__dirname, '..', '..', 'backend-proxy', 'dist', 'server.js');
/** Bound on the wait for `/healthz` after a start. */
const START_ATTEMPTS = 300;
const START_POLL_MS = 100;

export interface ProxyProcessOptions {
  /** Environment on top of the parent's (MLSIGHT_PORT and MLSIGHT_HOST are set here). */
  env: Record<string, string>;
  /** Fixed port; default a free loopback port, kept across restarts. */
  port?: number;
  /** Where the child's stdout/stderr go: ignored (default), the parent's, or kept for `output()`. */
  stdio?: 'ignore' | 'inherit' | 'pipe';
}

export interface ProxyProcess {
  readonly url: string;
  /** The running child's pid (changes on restart). */
  pid(): number;
  /** Everything the children printed so far (with `stdio: 'pipe'`). */
  output(): string;
  /** The exit code of the last child once it has exited, else undefined. */
  exitCode(): number | null | undefined;
  /** SIGKILL now and wait for the exit: an acknowledged write must survive it. */
  kill9(): Promise<void>;
  /** Starts again on the same port and environment (the same store), plus `env`, and waits for `/healthz`. */
  restart(env?: Record<string, string>): Promise<void>;
  /** SIGTERM and wait for the exit (SIGKILL after `graceMs`); returns how long the stop took. */
  stop(graceMs?: number): Promise<number>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < START_ATTEMPTS; i++) {
    if (child.exitCode !== null) throw new Error(`proxy exited with code ${child.exitCode} during start-up`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, START_POLL_MS));
  }
  child.kill('SIGKILL');
  throw new Error(`proxy at ${url} did not answer /healthz`);
}

/**
 * `MLSIGHT_BENCH_PROXY_PROFILE=<dir>`: the proxy writes a V8 CPU profile there when it exits (benchmarks: where a
 * load profile's time goes inside the proxy rather than in the load generator).
 */
function profileArgs(): string[] {
  const dir = process.env.MLSIGHT_BENCH_PROXY_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts the proxy and resolves once `/healthz` answers. */
export async function startProxyProcess(opts: ProxyProcessOptions): Promise<ProxyProcess> {
  const port = opts.port ?? (await freeLoopbackPort());
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const launch = (extra: Record<string, string> = {}) => {
    const launched = spawn(process.execPath, [...profileArgs(), SERVER_JS], {
      env: { ...process.env, ...opts.env, ...extra, MLSIGHT_HOST: '127.0.0.1', MLSIGHT_PORT: String(port) },
      stdio: ['ignore', opts.stdio ?? 'ignore', opts.stdio ?? 'ignore'],
    });
    const keep = (chunk: Buffer) => (output += chunk.toString('utf8'));
    launched.stdout?.on('data', keep);
    launched.stderr?.on('data', keep);
    return launched;
  };
  let child = launch();
  await waitHealthy(url, child);
  return {
    url,
    pid: () => child.pid ?? -1,
    output: () => output,
    exitCode: () => (child.exitCode === null && child.signalCode === null ? undefined : child.exitCode),
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart(env) {
      child = launch(env);
      await waitHealthy(url, child);
    },
    async stop(graceMs = 20_000) {
      const began = performance.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
      return performance.now() - began;
    },
  };
}

/** Resident set size of a process in MiB (Linux /proc), or NaN once it is gone. */
export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
