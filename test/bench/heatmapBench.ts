/**
 * Drift heatmap query benchmark: `drift_heatmap` p50/p95 for 50 features × 720 hourly buckets over ≥1M stored
 * prediction rows, on SQLite and PostgreSQL, through the proxy's query route (zod, handler, frames, JSON) —
 * side by side with Evidently's DataDriftPreset computing the same per-bucket drift from the raw rows.
 *
 *   npx tsx test/bench/heatmapBench.ts [--hours 720] [--rows-per-hour 1400] [--queries 30]
 *     [--engines sqlite,postgres] [--evidently-buckets 12]
 *
 * Evidently has no stored summaries: a heatmap is one report per bucket over that bucket's raw rows. It runs on
 * `--evidently-buckets` buckets sampled evenly across the range (the same rows the store holds) and its time is
 * scaled to all buckets; the table says so. Loopback only; bounded by the counts above.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openPostgresStore } from '../../backend-proxy/src/store/postgresStore';
import { openSqliteStore } from '../../backend-proxy/src/store/sqliteStore';
import type { DriftStore } from '../../backend-proxy/src/store/types';
import { startPostgres } from '../support/postgres';
import { recordResults } from './results';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { BENCH_READ_TOKEN, type Percentiles, storeBenchApp, timeRuns } from './queryTiming';
import { parseBenchArgs } from './benchArgs';

const HOUR = 3_600_000;
const NUMERIC = Array.from({ length: 40 }, (_, i) => `num_${String(i).padStart(2, '0')}`);
const CATEGORICAL = Array.from({ length: 10 }, (_, i) => `cat_${i}`);
const CATEGORIES = ['a', 'b', 'c', 'd', 'e', 'f'];
const REFERENCE_ROWS = 5000;

interface Args {
  hours: number;
  rowsPerHour: number;
  queries: number;
  engines: string[];
  evidentlyBuckets: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args = parseBenchArgs(argv);
  return {
    hours: args.number('hours', 720),
    rowsPerHour: args.number('rows-per-hour', 1400),
    queries: args.number('queries', 30),
    engines: args.list('engines', 'sqlite,postgres'),
    evidentlyBuckets: args.number('evidently-buckets', 12),
  };
}

/** Box–Muller normal from two uniforms. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** One row's features; `drift` in [0, 1] shifts a quarter of the numeric features and skews two categoricals. */
function features(random: () => number, drift: number): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  NUMERIC.forEach((name, i) => {
    const shift = i % 4 === 0 ? drift * 0.8 : 0;
    out[name] = Math.round((normal(random) + shift) * 1e4) / 1e4;
  });
  CATEGORICAL.forEach((name, i) => {
    const skew = i < 2 ? drift * 0.5 : 0;
    const u = random();
    out[name] = u < skew ? 'a' : (CATEGORIES[Math.floor(random() * CATEGORIES.length)] ?? 'a');
  });
  return out;
}

/** Drift ramps up over the last third of the range. */
function driftAt(hour: number, hours: number): number {
  const start = (hours * 2) / 3;
  return hour < start ? 0 : Math.min(1, (hour - start) / (hours / 6));
}

interface Dataset {
  reference: Array<Record<string, number | string>>;
  /** Hour index → the rows of that hour (only generated on demand, to keep memory flat). */
  hourRows(hour: number): Array<Record<string, number | string>>;
  endMs: number;
}

function dataset(args: Args): Dataset {
  const refRandom = seededRandom(11);
  const reference = Array.from({ length: REFERENCE_ROWS }, () => features(refRandom, 0));
  const endMs = Math.floor(Date.now() / HOUR) * HOUR;
  return {
    reference,
    endMs,
    hourRows: (hour) => {
      const random = seededRandom(1000 + hour);
      const drift = driftAt(hour, args.hours);
      return Array.from({ length: args.rowsPerHour }, () => features(random, drift));
    },
  };
}

async function load(store: DriftStore, data: Dataset, args: Args, label: string): Promise<number> {
  await store.putReference('bench', { rows: data.reference.map((f) => ({ features: f })) });
  const startMs = data.endMs - args.hours * HOUR;
  const began = performance.now();
  let rows = 0;
  for (let hour = 0; hour < args.hours; hour++) {
    const t0 = startMs + hour * HOUR;
    const step = HOUR / args.rowsPerHour;
    const batch = data.hourRows(hour).map((f, k) => ({
      prediction_id: `h${hour}-${k}`,
      timestamp: Math.floor(t0 + k * step),
      features: f,
      prediction: 0,
    }));
    const { result } = await store.ingestPredictions('bench', batch, { nowMs: data.endMs });
    if (result.rejected > 0) throw new Error(`${label}: ${result.rejected} rows rejected in hour ${hour}`);
    rows += result.accepted;
    if (hour % 72 === 71 || hour === args.hours - 1) {
      const s = (performance.now() - began) / 1000;
      console.log(`[bench] ${label}: ${rows.toLocaleString()} rows (${hour + 1}/${args.hours} h) in ${s.toFixed(0)} s`);
    }
  }
  return rows;
}

interface QueryTimes {
  /** Every query computed: each asks with another minimum sample size, so no cached answer fits. */
  cold: Percentiles;
  /** A dashboard refreshing the same panel while no rows arrive: the answer cache serves it. */
  warm: Percentiles;
  cells: number;
}

type HeatmapResponse = { results: Record<string, { frames: Array<{ data: { values: unknown[][] } }> }> };

async function timeHeatmap(app: FastifyInstance, data: Dataset, args: Args, label: string): Promise<QueryTimes> {
  const run = async (minSampleSize: number) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: { authorization: `Bearer ${BENCH_READ_TOKEN}` },
      payload: {
        from: data.endMs - args.hours * HOUR,
        to: data.endMs - 1,
        intervalMs: HOUR,
        queries: [{ refId: 'A', queryType: 'drift_heatmap', model: 'bench', minSampleSize }],
      },
    });
    if (res.statusCode !== 200) throw new Error(`${label}: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json() as HeatmapResponse;
  };
  const first = await run(30);
  const values = first.results.A?.frames[0]?.data.values ?? [];
  const cells = (values.length - 1) * (values[0]?.length ?? 0);
  const timed = (sizeOf: (i: number) => number) => timeRuns(args.queries, (i) => run(sizeOf(i)));
  const profile = process.env.MLSIGHT_BENCH_PROFILE ? await startProfile() : undefined;
  const cold = await timed((i) => 31 + i);
  if (profile) await profile.stop(join(process.env.MLSIGHT_BENCH_PROFILE ?? '.', `heatmap-${label}.cpuprofile`));
  const warm = await timed(() => 30);
  return { cold, warm, cells };
}

/** MLSIGHT_BENCH_PROFILE=<dir>: a V8 CPU profile of the timed queries only (not of loading), for DevTools. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, result) => (err ? reject(err) : resolve(result)))
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`[bench] CPU profile of the queries: ${file}`);
    },
  };
}

async function benchEngine(name: string, store: DriftStore, data: Dataset, args: Args) {
  const rows = await load(store, data, args, name);
  const app = await storeBenchApp(store);
  try {
    const t = await timeHeatmap(app, data, args, name);
    console.log(
      `[bench] ${name}: drift_heatmap computed p95 ${t.cold.p95Ms.toFixed(1)} ms, cached p95 ${t.warm.p95Ms.toFixed(1)} ms`
    );
    return { engine: name, rows, ...t };
  } finally {
    await app.close();
  }
}

/** Evidently on the raw rows of sampled buckets: seconds per bucket, scaled to all buckets. */
function benchEvidently(data: Dataset, args: Args): { sampledBuckets: number; secondsPerBucket: number } {
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-bench-evidently-'));
  try {
    const k = Math.max(1, Math.min(args.evidentlyBuckets, args.hours));
    const hours = Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * args.hours) / k));
    const file = join(dir, 'data.json');
    writeFileSync(
      file,
      JSON.stringify({
        numerical: NUMERIC,
        categorical: CATEGORICAL,
        reference: data.reference,
        buckets: hours.map((h) => data.hourRows(h)),
      })
    );
    console.log(`[bench] evidently: DataDriftPreset on ${k} sampled buckets of ${args.rowsPerHour} rows…`);
    const python = join(__dirname, '../../.venv/bin/python');
    const out = spawnSync(python, [join(__dirname, 'evidently_heatmap.py'), file], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 30 * 60_000,
    });
    if (out.status !== 0) throw new Error(`evidently_heatmap.py failed: ${out.stderr.slice(-2000)}`);
    const result = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { seconds_per_bucket: number };
    return { sampledBuckets: k, secondsPerBucket: result.seconds_per_bucket };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const data = dataset(args);
  const engines: Array<Awaited<ReturnType<typeof benchEngine>>> = [];
  if (args.engines.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'mlsight-bench-heatmap-'));
    const store = await openSqliteStore(join(dir, 'bench.db'));
    try {
      engines.push(await benchEngine('sqlite', store, data, args));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (args.engines.includes('postgres')) {
    const server = await startPostgres({ fsync: true });
    try {
      const store = await openPostgresStore(server.url);
      try {
        engines.push(await benchEngine('postgres', store, data, args));
      } finally {
        await store.close();
      }
    } finally {
      await server.stop();
    }
  }
  const evidently = benchEvidently(data, args);
  const evidentlyMs = evidently.secondsPerBucket * args.hours * 1000;
  recordResults(
    'drift_heatmap',
    {
      features: NUMERIC.length + CATEGORICAL.length,
      buckets: args.hours,
      rowsPerBucket: args.rowsPerHour,
      engines,
      evidently: { ...evidently, msForAllBuckets: evidentlyMs },
    },
    engines.flatMap((e) => {
      const name = `drift_heatmap ${NUMERIC.length + CATEGORICAL.length}×${args.hours} over ${e.rows.toLocaleString()} rows (${e.engine})`;
      const peer = `Evidently ${(evidentlyMs / 1000).toFixed(0)} s (${evidently.secondsPerBucket.toFixed(2)} s/bucket × ${args.hours}, from ${evidently.sampledBuckets} buckets)`;
      const row = (kind: string, p: Percentiles) => ({
        name: `${name}, ${kind}`,
        ours: `p50 ${p.p50Ms.toFixed(1)} ms, p95 ${p.p95Ms.toFixed(1)} ms (${p.cpuMsPerQuery.toFixed(0)} ms CPU)`,
        peer,
        ratio: `${(evidentlyMs / p.p95Ms).toFixed(0)}× faster`,
        target: 'p95 ≤ 50 ms, ≥ 1000× Evidently',
      });
      return [row('computed', e.cold), row('cached (refresh, no new rows)', e.warm)];
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
