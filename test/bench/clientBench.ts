/**
 * Send rate of the Python client (clients/python): rows/s of `Client.log_predictions` and of `mlsight send` (NDJSON
 * file), JSON bodies, into the built proxy on SQLite, side by side with the hand-written urllib snippet
 * the README showed before the client.
 * The proxy offers no Arrow body yet (its OpenAPI document lists JSON and NDJSON), so there is no Arrow line.
 *
 *   npx tsx test/bench/clientBench.ts [--rows 100000] [--batch 5000]
 *
 * Needs the venv with mlsight installed (scripts/bench.sh does `pip install ./clients/python`).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../support/mlflowServer';
import { parseBenchArgs } from './benchArgs';
import { recordResults } from './results';

const TOKEN = 'bench-ingest-token-0123456789abcdef';
const REPO_ROOT = join(__dirname, '../..');

interface Rate {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

interface ClientResult {
  offered: string[];
  client: Rate;
  cli: Rate;
  urllib: Rate;
}

async function startProxy(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freeLoopbackPort();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'backend-proxy/dist/server.js')], {
    env: {
      ...process.env,
      MLSIGHT_PORT: String(port),
      MLSIGHT_TOKENS: `${TOKEN}:ingest`,
      MLSIGHT_SQLITE_PATH: join(dir, 'bench.db'),
      // Ingestion needs no MLflow; the monitor would only compete for the CPU.
      MLSIGHT_MLFLOW_URL: `http://127.0.0.1:${await freeLoopbackPort()}`,
      MLSIGHT_MONITOR_INTERVAL: '0',
      MLSIGHT_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('proxy did not start');
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const rows = args.number('rows', 100_000);
  const batch = args.number('batch', 5_000);
  const python = join(process.env.MLSIGHT_VENV ?? join(REPO_ROOT, '.venv'), 'bin', 'python');
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-bench-client-'));
  console.log(`[bench] python client: starting the proxy (SQLite in ${dir})…`);
  const proxy = await startProxy(dir);
  try {
    const out = spawnSync(
      python,
      [
        join(__dirname, 'client_send.py'),
        '--url',
        proxy.url,
        '--token',
        TOKEN,
        '--rows',
        String(rows),
        '--batch',
        String(batch),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 }
    );
    process.stdout.write(
      out.stdout
        .split('\n')
        .filter((l) => l.startsWith('[bench]'))
        .join('\n') + '\n'
    );
    if (out.status !== 0) throw new Error(`client_send.py failed with ${out.status}`);
    const result = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as ClientResult;
    const peer = `hand-written urllib snippet: ${result.urllib.rowsPerSecond} rows/s`;
    const ratio = (r: Rate) => `${(r.rowsPerSecond / result.urllib.rowsPerSecond).toFixed(2)}×`;
    recordResults('pythonClient', { rows, batch, body: 'json', ...result }, [
      {
        name: `Client.log_predictions ${rows} rows, JSON, batches of ${batch}`,
        ours: `${result.client.rowsPerSecond} rows/s`,
        peer,
        ratio: ratio(result.client),
        target: '—',
      },
      {
        name: `mlsight send ${rows}-row NDJSON file`,
        ours: `${result.cli.rowsPerSecond} rows/s`,
        peer,
        ratio: ratio(result.cli),
        target: '—',
      },
      {
        name: 'Arrow body',
        ours: `not offered by the proxy (${result.offered.join(', ')})`,
        peer: '—',
        ratio: '—',
        target: '—',
      },
    ]);
  } finally {
    proxy.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
