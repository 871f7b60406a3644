/**
 * A real MLflow tracking server for integration tests, and the demo seeder run against it.
 *
 * `startMlflow()` spawns `.venv/bin/mlflow server` on a free loopback port with its own sqlite store and artifact
 * root (the same layout as scripts/mlflow.sh: `<dataDir>/mlflow/{mlflow.db,artifacts/,mlflow.log}`), in its own
 * process group so the server and its uvicorn worker stop together. `seedDemo()` runs scripts/seed_demo.py and
 * returns its summary. Nothing is printed unless a `log` callback is given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const HOST = '127.0.0.1';
const DEFAULT_START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const DEFAULT_SEED_TIMEOUT_MS = 300_000;
const LOG_TAIL_LINES = 40;
/** Attempts when the picked port is taken by someone else between our probe and MLflow's bind. */
const PORT_ATTEMPTS = 3;

export type LogFn = (line: string) => void;

export interface StartMlflowOptions {
  /** Fixed port; default: a free loopback port. */
  port?: number;
  /** Data root; default: a fresh temp directory, removed by `stop()` (kept if startup fails, for its log). */
  dataDir?: string;
  /** Bound on the wait for GET /health (default 90 s). */
  startTimeoutMs?: number;
  log?: LogFn;
}

export interface MlflowServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  dataDir: string;
  /** The server's combined stdout/stderr. */
  logFile: string;
  /** TERM the process group, KILL after 20 s; removes a temp data dir. Idempotent. */
  stop(): Promise<void>;
  /** KILL the process group at once (an MLflow outage); keeps the data dir so the server can be started again. */
  kill(): Promise<void>;
}

function venvBin(name: string): string {
  return join(process.env.MLSIGHT_VENV ?? join(REPO_ROOT, '.venv'), 'bin', name);
}

/** A port that was free on 127.0.0.1 a moment ago (listen on 0, read it, close). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('freeLoopbackPort: no port assigned'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '(no log)';
  }
}

/** True while any process of the group exists (signal 0 probes without delivering anything). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(100);
  }
  return true;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

interface Launch {
  child: ChildProcess;
  pgid: number;
  exited: Promise<number | null>;
  hasExited(): boolean;
}

function launch(port: number, mlflowDir: string, logFile: string): Launch {
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    venvBin('mlflow'),
    [
      'server',
      '--host',
      HOST,
      '--port',
      String(port),
      '--workers',
      '1',
      '--backend-store-uri',
      `sqlite:///${join(mlflowDir, 'mlflow.db')}`,
      '--artifacts-destination',
      join(mlflowDir, 'artifacts'),
    ],
    {
      // Own process group: one signal reaches the server and the uvicorn worker it forks.
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: {
        ...process.env,
        // Job execution (GenAI scorers) forks seven more Python processes (~600 MB); nothing here uses it.
        MLFLOW_SERVER_ENABLE_JOB_EXECUTION: process.env.MLFLOW_SERVER_ENABLE_JOB_EXECUTION ?? 'false',
        MLFLOW_DISABLE_TELEMETRY: 'true',
      },
    }
  );
  closeSync(logFd);
  let exitedFlag = false;
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => {
      exitedFlag = true;
      done(code);
    });
    child.once('error', () => {
      exitedFlag = true;
      done(null);
    });
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`startMlflow: could not spawn ${venvBin('mlflow')} (run scripts/setup-python.sh)`);
  }
  return { child, pgid: pid, exited, hasExited: () => exitedFlag };
}

/**
 * Start a real MLflow server on loopback and wait until GET /health answers.
 *
 * @param opts - port, data dir, start timeout and log callback (all optional)
 * @returns the running server, with `stop()` and `kill()`
 * @throws Error with the server log tail if it exits or does not become healthy in time
 */
export async function startMlflow(opts: StartMlflowOptions = {}): Promise<MlflowServer> {
  const log = opts.log ?? (() => undefined);
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'mlsight-mlflow-'));
  const mlflowDir = join(dataDir, 'mlflow');
  const logFile = join(mlflowDir, 'mlflow.log');
  mkdirSync(join(mlflowDir, 'artifacts'), { recursive: true });
  const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  for (let attempt = 1; ; attempt += 1) {
    const port = opts.port ?? (await freeLoopbackPort());
    const url = `http://${HOST}:${port}`;
    const started = Date.now();
    const server = launch(port, mlflowDir, logFile);
    // Safety net: a test run that dies without stop() must not leave MLflow behind.
    const onExit = (): void => signalGroup(server.pgid, 'SIGKILL');
    process.once('exit', onExit);

    let outcome: 'healthy' | 'exited' | 'timeout' = 'timeout';
    while (Date.now() - started < timeoutMs) {
      if (server.hasExited()) {
        outcome = 'exited';
        break;
      }
      if (await healthy(url)) {
        outcome = 'healthy';
        break;
      }
      await sleep(250);
    }

    if (outcome === 'healthy') {
      log(`mlflow ready at ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${server.pgid})`);
      let stopped = false;
      const terminate = async (signal: NodeJS.Signals): Promise<void> => {
        signalGroup(server.pgid, signal);
        if (!(await waitForGroupExit(server.pgid, signal === 'SIGKILL' ? 5_000 : STOP_TIMEOUT_MS))) {
          log(`mlflow pid ${server.pgid} ignored ${signal} for ${STOP_TIMEOUT_MS / 1000} s; sending SIGKILL`);
          signalGroup(server.pgid, 'SIGKILL');
          await waitForGroupExit(server.pgid, 5_000);
        }
        await server.exited;
        process.removeListener('exit', onExit);
      };
      return {
        url,
        port,
        dataDir,
        logFile,
        async stop() {
          if (stopped) {
            return;
          }
          stopped = true;
          await terminate('SIGTERM');
          if (ownsDataDir) {
            rmSync(dataDir, { recursive: true, force: true });
          }
          log(`mlflow at ${url} stopped`);
        },
        async kill() {
          await terminate('SIGKILL');
          log(`mlflow at ${url} killed`);
        },
      };
    }

    signalGroup(server.pgid, 'SIGKILL');
    await waitForGroupExit(server.pgid, 5_000);
    await server.exited;
    process.removeListener('exit', onExit);
    const tail = logTail(logFile);
    const portTaken = /address already in use|Errno 98/i.test(tail);
    if (outcome === 'exited' && portTaken && opts.port === undefined && attempt < PORT_ATTEMPTS) {
      log(`port ${port} was taken before mlflow could bind it; retrying on another port`);
      continue;
    }
    // The data dir (and its log) is kept on failure, for the post-mortem the message points to.
    const reason =
      outcome === 'exited' ? 'exited during startup' : `did not answer ${url}/health within ${timeoutMs / 1000} s`;
    throw new Error(`startMlflow: mlflow server ${reason}. Last lines of ${logFile}:\n${tail}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The demo seeder. These types mirror the JSON written by scripts/seed/summary.py (keep the two in step).

export const SEED_STEPS = ['ingest', 'validate', 'featurize', 'train', 'evaluate', 'register'] as const;
export type SeedStep = (typeof SEED_STEPS)[number];
export type SeedRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface SeedExperiment {
  id: string;
  name: string;
  runCount: number;
}

export interface SeedDatasetInput {
  name: string;
  digest: string;
  /** Input tag `mlflow.data.context`: training | validation | evaluation. */
  context: string | null;
}

export interface SeedRun {
  runId: string;
  runName: string;
  experimentId: string;
  /** Tag `mlflow.parentRunId`; null for pipeline parents and pagination runs. */
  parentRunId: string | null;
  status: SeedRunStatus;
  startTime: number;
  endTime: number | null;
  /** Tag `mlflow.user`. */
  user: string | null;
  /** Parent run name (`pipeline-<date>`) for pipeline runs, null for pagination runs. */
  pipeline: string | null;
  step: SeedStep | null;
  /** Tag `mlsight.error` on failed runs. */
  error: string | null;
  datasets: SeedDatasetInput[];
  /** Logged-model ids in `inputs.model_inputs` (the evaluate step). */
  modelInputs: string[];
  /** Logged-model ids in `outputs.model_outputs` (the train step). */
  modelOutputs: string[];
  /** Run artifact file paths (pipeline runs only; empty for pagination runs). */
  artifacts: string[];
}

export interface SeedPipeline {
  runId: string;
  runName: string;
  logicalDate: string | null;
  status: SeedRunStatus;
  failedStep: SeedStep | null;
  error: string | null;
  /** Step name to run id, for the steps that ran. */
  steps: Partial<Record<SeedStep, string>>;
  modelVersion: string | null;
  modelId: string | null;
}

export interface SeedVersion {
  version: string;
  runId: string;
  /** Logged model id; MLflow OSS keeps it only in `source` (`models:/<model_id>`). */
  modelId: string | null;
  source: string;
  status: string;
  description: string;
  tags: Record<string, string>;
  aliases: string[];
  /** File paths under the logged model's artifact root (MLmodel, model.skops, explanations/shap_values.json, ...). */
  artifacts: string[];
}

export interface SeedDataset {
  name: string;
  digest: string;
  sourceType: string;
  /** JSON text, as MLflow stores it, e.g. `{"uri": "s3://..."}`. */
  source: string;
  contexts: string[];
  runIds: string[];
}

export interface SeedShapArtifact {
  runId: string;
  modelId: string | null;
  version: string | null;
  /** The same file exists under the run and under the logged model. */
  path: string;
  method: 'linear-exact' | 'permutation-sampling' | null;
}

export interface SeedSummary {
  summaryVersion: 1;
  trackingUri: string;
  /** True when the server was already seeded and only the summary (and extra runs) were produced. */
  alreadySeeded: boolean;
  seedSeconds: number;
  modelName: string;
  experiments: {
    pipeline: SeedExperiment & { tags: Record<string, string> };
    pagination: SeedExperiment | null;
  };
  /** Every run of both experiments, ordered by experiment then start time. */
  runs: SeedRun[];
  pipelines: SeedPipeline[];
  versions: SeedVersion[];
  /** Alias to version, e.g. `{ champion: '2', challenger: '3' }`. */
  aliases: Record<string, string>;
  datasets: SeedDataset[];
  shapArtifacts: SeedShapArtifact[];
}

export interface SeedDemoOptions {
  /** Runs to create in experiment `mlsight-pagination` (topped up, never duplicated). */
  extraRuns?: number;
  modelName?: string;
  experiment?: string;
  timeoutMs?: number;
  log?: LogFn;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Shallow shape check of the seeder's JSON: enough to fail loudly if the two sides drift apart. */
export function isSeedSummary(value: unknown): value is SeedSummary {
  return (
    isRecord(value) &&
    value.summaryVersion === 1 &&
    typeof value.modelName === 'string' &&
    isRecord(value.experiments) &&
    isRecord(value.experiments.pipeline) &&
    Array.isArray(value.runs) &&
    Array.isArray(value.pipelines) &&
    Array.isArray(value.versions) &&
    isRecord(value.aliases) &&
    Array.isArray(value.datasets) &&
    Array.isArray(value.shapArtifacts)
  );
}

/**
 * Seed the MLflow server at `url` with the demo (scripts/seed_demo.py) and return what it now holds.
 *
 * @param url - tracking server base URL, e.g. `server.url`
 * @param opts - extra pagination runs, names, timeout, log callback for the seeder's `[seed]` lines
 * @returns the parsed `--summary-out` document
 * @throws Error with the seeder's output tail if it fails, times out or writes an unexpected summary
 */
export async function seedDemo(url: string, opts: SeedDemoOptions = {}): Promise<SeedSummary> {
  const log = opts.log ?? (() => undefined);
  const workDir = mkdtempSync(join(tmpdir(), 'mlsight-seed-'));
  const summaryFile = join(workDir, 'summary.json');
  const args = [join(REPO_ROOT, 'scripts', 'seed_demo.py'), '--tracking-uri', url, '--summary-out', summaryFile];
  args.push('--extra-runs', String(opts.extraRuns ?? 0));
  if (opts.modelName !== undefined) {
    args.push('--model-name', opts.modelName);
  }
  if (opts.experiment !== undefined) {
    args.push('--experiment', opts.experiment);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SEED_TIMEOUT_MS;

  try {
    const output: string[] = [];
    const child = spawn(venvBin('python'), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', PYTHONUNBUFFERED: '1' },
    });
    const emit = (line: string): void => {
      if (line.trim() !== '') {
        output.push(line);
        log(line);
      }
    };
    // Chunks do not end on line boundaries: keep each stream's unfinished line until its newline arrives.
    const lines = (stream: NodeJS.ReadableStream | null): void => {
      let pending = '';
      stream?.on('data', (chunk: Buffer) => {
        const parts = (pending + chunk.toString('utf8')).split('\n');
        pending = parts.pop() ?? '';
        parts.forEach(emit);
      });
      stream?.on('end', () => emit(pending));
    };
    lines(child.stdout);
    lines(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((done) => {
      child.once('close', (exitCode) => done(exitCode));
      child.once('error', () => done(null));
    }).finally(() => clearTimeout(timer));
    if (code !== 0) {
      const why = code === null ? `was killed after ${timeoutMs / 1000} s or could not start` : `exited with ${code}`;
      throw new Error(`seedDemo: seed_demo.py ${why}:\n${output.slice(-LOG_TAIL_LINES).join('\n')}`);
    }
    const parsed: unknown = JSON.parse(readFileSync(summaryFile, 'utf8'));
    if (!isSeedSummary(parsed)) {
      throw new Error(`seedDemo: ${summaryFile} does not look like a SeedSummary (summaryVersion 1)`);
    }
    return parsed;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
