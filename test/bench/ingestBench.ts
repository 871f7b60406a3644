/**
 * Ingestion benchmark of the drift store: rows/s for prediction rows of 20 features (15 numeric, 5 categorical)
 * with random UUID ids, into SQLite and PostgreSQL (a throwaway server from test/support/postgres.ts).
 *
 *   npx tsx test/bench/ingestBench.ts [--rows 1000000] [--batch 10000] [--engines sqlite,postgres]
 *     [--span-hours 0.003] [--http-rows 200000] [--postgres-url postgres://…]
 *
 * Timed: `ingestPredictions` per batch (validation, dedupe, columnar rows, sketches, commit with fsync) — not the
 * generation of rows. The `sqlite+http` line times the whole ingestion route instead (JSON parsing, the plugin's
 * checks, the store), with the body already serialised. Prints a table and one JSON line (`BENCH_RESULT …`).
 */
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus } from 'node:os';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { ingestPlugin } from '../../backend-proxy/src/ingest/plugin';
import { openPostgresStore } from '../../backend-proxy/src/store/postgresStore';
import { openSqliteStore } from '../../backend-proxy/src/store/sqliteStore';
import type { DriftStore } from '../../backend-proxy/src/store/types';
import { startPostgres } from '../support/postgres';
import { recordResults } from './results';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { parseBenchArgs } from './benchArgs';

interface Args {
  postgresUrl: string | undefined;
  /** Rows sent through the HTTP plugin (JSON bodies, `app.inject`) into SQLite; 0 skips. */
  httpRows: number;
  /** Rows whylogs profiles side by side (the first rows of the same stream); 0 skips. */
  whylogsRows: number;
  rows: number;
  batch: number;
  engines: string[];
  spanMs: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args = parseBenchArgs(argv);
  const rows = args.number('rows', 1_000_000);
  const spanHours = args.text('span-hours');
  return {
    postgresUrl: args.text('postgres-url'),
    httpRows: args.number('http-rows', 200_000),
    whylogsRows: args.number('whylogs-rows', 200_000),
    rows,
    batch: args.number('batch', 10_000),
    engines: args.list('engines', 'sqlite,postgres'),
    // Default: timestamps of a live stream at the 100k rows/s target; --span-hours 24 spreads them over a day.
    spanMs: spanHours === undefined ? rows / 100 : Number(spanHours) * 3_600_000,
  };
}

/** A throwaway PostgreSQL (fsync on, as in production). */
function startTestPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  return startPostgres({ fsync: true });
}

const NUMERIC = Array.from({ length: 15 }, (_, i) => `num_${i}`);
const CATEGORICAL = Array.from({ length: 5 }, (_, i) => `cat_${i}`);
const CATEGORIES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

function features(random: () => number, shift: number): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const name of NUMERIC) out[name] = Math.round((random() * 100 + shift) * 1000) / 1000;
  for (const name of CATEGORICAL) out[name] = CATEGORIES[Math.floor(random() * CATEGORIES.length)] ?? 'a';
  return out;
}

function referenceRows(n: number) {
  const random = seededRandom(1);
  return Array.from({ length: n }, () => ({ features: features(random, 0), prediction: random() < 0.5 ? 0 : 1 }));
}

function predictionBatch(random: () => number, start: number, size: number, t0: number, stepMs: number) {
  return Array.from({ length: size }, (_, k) => ({
    prediction_id: randomUUID(),
    timestamp: t0 + (start + k) * stepMs,
    features: features(random, 5),
    prediction: random() < 0.5 ? 0 : 1,
    score: Math.round(random() * 1e4) / 1e4,
  }));
}

async function benchEngine(name: string, store: DriftStore, args: Args): Promise<Record<string, number | string>> {
  await store.putReference('bench', { rows: referenceRows(10_000) });
  const random = seededRandom(2);
  const nowMs = Date.now();
  const t0 = nowMs - args.spanMs;
  const stepMs = args.spanMs / args.rows;
  let busyMs = 0;
  let cpuMs = 0;
  let accepted = 0;
  for (let start = 0; start < args.rows; start += args.batch) {
    const rows = predictionBatch(random, start, Math.min(args.batch, args.rows - start), t0, stepMs);
    const began = performance.now();
    const cpuBefore = process.cpuUsage();
    const { result } = await store.ingestPredictions('bench', rows, { nowMs });
    const cpu = process.cpuUsage(cpuBefore);
    cpuMs += (cpu.user + cpu.system) / 1000;
    busyMs += performance.now() - began;
    accepted += result.accepted;
  }
  if (accepted !== args.rows) throw new Error(`${name}: accepted ${accepted} of ${args.rows} rows`);
  return {
    engine: name,
    rows: args.rows,
    batch: args.batch,
    seconds: busyMs / 1000,
    rowsPerSecond: Math.round(args.rows / (busyMs / 1000)),
    // Rows per second of this process's CPU time: the one-core rate, unaffected by other load on the machine
    // (for PostgreSQL the server's own CPU is not included).
    rowsPerCpuSecond: Math.round(args.rows / (cpuMs / 1000)),
  };
}

async function benchHttp(args: Args): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-bench-http-'));
  const store = await openSqliteStore(join(dir, 'bench.db'));
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(ingestPlugin, { store, maxBodyBytes: 256 * 1024 * 1024 });
  try {
    await store.putReference('bench', { rows: referenceRows(10_000) });
    const random = seededRandom(3);
    const nowMs = Date.now();
    const stepMs = args.spanMs / args.httpRows;
    let busyMs = 0;
    for (let start = 0; start < args.httpRows; start += args.batch) {
      const rows = predictionBatch(
        random,
        start,
        Math.min(args.batch, args.httpRows - start),
        nowMs - args.spanMs,
        stepMs
      );
      const payload = JSON.stringify({ rows });
      const began = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/models/bench/predictions',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      busyMs += performance.now() - began;
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 200)}`);
    }
    const seconds = busyMs / 1000;
    return {
      engine: 'sqlite+http',
      rows: args.httpRows,
      batch: args.batch,
      seconds,
      rowsPerSecond: Math.round(args.httpRows / seconds),
    };
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * whylogs profiling the first `whylogsRows` rows of the same stream (same seed, same features), in the same batch
 * size, in the project's venv. Its rows/s is compared with the store's.
 */
function benchWhylogs(args: Args): { rows: number; rowsPerSecond: number } | undefined {
  if (args.whylogsRows <= 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-bench-whylogs-'));
  try {
    const random = seededRandom(2);
    const file = join(dir, 'rows.csv');
    const header = [...NUMERIC, ...CATEGORICAL];
    const lines = [header.join(',')];
    for (let start = 0; start < args.whylogsRows; start += args.batch) {
      const rows = predictionBatch(random, start, Math.min(args.batch, args.whylogsRows - start), 0, 1);
      for (const r of rows) lines.push(header.map((h) => r.features[h]).join(','));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    console.log(`[bench] whylogs: profiling ${args.whylogsRows} rows in batches of ${args.batch}…`);
    const out = spawnSync(
      join(__dirname, '../../.venv/bin/python'),
      [join(__dirname, 'whylogs_profile.py'), file, String(args.batch)],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, WHYLOGS_NO_ANALYTICS: 'True' } }
    );
    if (out.status !== 0) throw new Error(`whylogs_profile.py failed: ${out.stderr.slice(-2000)}`);
    const result = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { rows: number; rows_per_second: number };
    return { rows: result.rows, rowsPerSecond: Math.round(result.rows_per_second) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const results: Array<Record<string, number | string>> = [];
  if (args.engines.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'mlsight-bench-'));
    const file = join(dir, 'bench.db');
    const store = await openSqliteStore(file);
    try {
      const r = await benchEngine('sqlite', store, args);
      r.fileMB = Math.round((statSync(file).size / 1e6) * 10) / 10;
      results.push(r);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (args.engines.includes('postgres')) {
    const server = args.postgresUrl
      ? { url: args.postgresUrl, stop: async () => undefined }
      : await startTestPostgres();
    try {
      const store = await openPostgresStore(server.url);
      try {
        results.push(await benchEngine('postgres', store, args));
      } finally {
        await store.close();
      }
    } finally {
      await server.stop();
    }
  }
  if (args.httpRows > 0 && args.engines.includes('sqlite')) results.push(await benchHttp(args));
  const whylogs = benchWhylogs(args);
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  console.log(
    `drift-store ingest: ${args.rows} rows x 20 features, batches of ${args.batch}, ${cpu}, node ${process.version}`
  );
  console.log('engine           rows      rows/s   seconds   rows/cpu-s');
  for (const r of results) {
    const cells = [String(r.engine).padEnd(12), String(r.rows).padStart(8), String(r.rowsPerSecond).padStart(11)];
    const perCpu = r.rowsPerCpuSecond === undefined ? '' : String(r.rowsPerCpuSecond).padStart(12);
    console.log(`${cells.join(' ')} ${Number(r.seconds).toFixed(1).padStart(9)} ${perCpu}`);
  }
  console.log(`BENCH_RESULT ${JSON.stringify({ benchmark: 'store-ingest', cpu, node: process.version, results })}`);
  recordResults(
    'storeIngest',
    { rows: args.rows, batch: args.batch, results, whylogs: whylogs ?? null },
    results.map((r) => ({
      name: `ingest ${r.rows} rows x 20 features (${String(r.engine)})`,
      ours: `${r.rowsPerSecond} rows/s${r.rowsPerCpuSecond === undefined ? '' : `, ${r.rowsPerCpuSecond} per CPU-s`}`,
      peer: whylogs ? `whylogs 1.6 profiling ${whylogs.rows} of the same rows: ${whylogs.rowsPerSecond} rows/s` : '—',
      ratio: whylogs ? `${(Number(r.rowsPerSecond) / whylogs.rowsPerSecond).toFixed(1)}×` : '—',
      target: String(r.engine) === 'sqlite' ? '≥100k rows/s on one core' : '—',
    }))
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
