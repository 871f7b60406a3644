/**
 * Performance query benchmark: `performance` (realised) and `estimated_performance` (CBPE) p50/p95 over 30 days ×
 * hourly buckets of a binary classifier (≥1M labelled predictions with score), on SQLite and PostgreSQL, through the
 * proxy's query route (zod, handler, frames, JSON) — side by side with NannyML 0.13 computing CBPE (and its realised
 * PerformanceCalculator) on the same rows in the same run. `performance` is timed twice: from the per-bucket
 * summaries (the default) and with `exact: true` (the row-level path every query took before the summaries); each
 * timed query ends 1 ms earlier than the one before, so none is served from the answer cache.
 *
 *   npx tsx test/bench/performanceBench.ts [--hours 720] [--rows-per-hour 1700] [--queries 5]
 *     [--engines sqlite,postgres] [--features 10] [--estimated-queries 5]
 *     [--exact-queries 5]
 *
 * Layout: one labelled reference day before the 30-day window (what the handler's CBPE fits on: the labelled
 * predictions before the window), then the window; labels arrive for 90% of the window's rows except its last three
 * days (still waiting). Both handlers read raw rows (CBPE needs per-row scores), so this is the store's raw-row read
 * path; the table also shows how much of a query the store read alone takes. Loopback only.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openPostgresStore } from '../../backend-proxy/src/store/postgresStore';
import { openSqliteStore } from '../../backend-proxy/src/store/sqliteStore';
import type { DriftStore, StoreOptions } from '../../backend-proxy/src/store/types';
import { startPostgres } from '../support/postgres';
import { recordResults } from './results';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { BENCH_READ_TOKEN, type Percentiles, storeBenchApp, timeRuns } from './queryTiming';
import { parseBenchArgs } from './benchArgs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MODEL = 'bench-perf';
const REFERENCE_HOURS = 24;
const UNLABELLED_HOURS = 72;
const LABEL_SHARE = 0.9;
/** The reference day lies just over 30 days back: keep raw rows a little longer than the default 30 days. */
const STORE_OPTIONS: StoreOptions = { rawRetentionMs: 40 * DAY };

interface Args {
  hours: number;
  rowsPerHour: number;
  queries: number;
  engines: string[];
  features: number;
  estimatedQueries: number;
  exactQueries: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args = parseBenchArgs(argv);
  return {
    hours: args.number('hours', 720),
    rowsPerHour: args.number('rows-per-hour', 1700),
    queries: args.number('queries', 5),
    engines: args.list('engines', 'sqlite,postgres'),
    features: args.number('features', 10),
    estimatedQueries: args.number('estimated-queries', args.number('queries', 5)),
    exactQueries: args.number('exact-queries', args.number('queries', 5)),
  };
}

interface Row {
  id: string;
  ts: number;
  features: Record<string, number>;
  score: number;
  prediction: 0 | 1;
  /** Undefined: the label has not arrived. */
  label: 0 | 1 | undefined;
}

interface Layout {
  args: Args;
  /** Start of the reference day; the window starts REFERENCE_HOURS later and ends at `endMs`. */
  startMs: number;
  windowFromMs: number;
  endMs: number;
  totalHours: number;
}

function layout(args: Args): Layout {
  const endMs = Math.floor(Date.now() / HOUR) * HOUR;
  const windowFromMs = endMs - args.hours * HOUR;
  return { args, startMs: windowFromMs - REFERENCE_HOURS * HOUR, windowFromMs, endMs, totalHours: args.hours + 24 };
}

/**
 * The rows of one hour (hour 0 = the reference day's first). A slightly over-confident classifier (so CBPE
 * calibrates) whose inputs drift during the window: the share of positives and the score spread change by day.
 */
function hourRows(l: Layout, hour: number): Row[] {
  const random = seededRandom(7919 + hour);
  const t0 = l.startMs + hour * HOUR;
  const windowHour = hour - REFERENCE_HOURS;
  const shift = windowHour < 0 ? 0 : 0.25 * Math.sin((2 * Math.PI * windowHour) / (24 * 12));
  const labelled = t0 < l.endMs - UNLABELLED_HOURS * HOUR;
  const rows: Row[] = [];
  for (let k = 0; k < l.args.rowsPerHour; k++) {
    const truth = Math.min(0.99, Math.max(0.01, random() + shift * (random() - 0.3)));
    const raw = truth + 0.35 * (truth - 0.5) + 0.1 * (random() - 0.5);
    const score = Math.round(Math.min(0.999, Math.max(0.001, raw)) * 1e6) / 1e6;
    const features: Record<string, number> = {};
    for (let f = 0; f < l.args.features; f++) features[`f${f}`] = Math.round((random() + (f === 0 ? truth : 0)) * 1e4);
    const hasLabel = labelled && random() < LABEL_SHARE;
    rows.push({
      id: `p${hour}-${k}`,
      ts: Math.floor(t0 + (k * HOUR) / l.args.rowsPerHour),
      features,
      score,
      prediction: score >= 0.5 ? 1 : 0,
      label: hasLabel ? (random() < truth ? 1 : 0) : undefined,
    });
  }
  return rows;
}

/** Writes one CSV line per row for NannyML; the reference gets only the labelled rows of the reference day. */
function csvLine(row: Row): string {
  return `${row.ts},${row.score},${row.prediction},${row.label ?? ''}\n`;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

async function load(
  store: DriftStore,
  l: Layout,
  label: string,
  csv?: { reference: WriteStream; analysis: WriteStream }
): Promise<{ rows: number; labels: number; seconds: number }> {
  const began = performance.now();
  const reference = hourRows(l, 0)
    .slice(0, 5000)
    .map((r) => ({ features: r.features, prediction: r.prediction, label: r.label ?? 0 }));
  await store.putReference(MODEL, { rows: reference });
  let rows = 0;
  let labels = 0;
  for (let hour = 0; hour < l.totalHours; hour++) {
    const batch = hourRows(l, hour);
    const stored = await store.ingestPredictions(
      MODEL,
      batch.map((r) => ({
        prediction_id: r.id,
        timestamp: r.ts,
        features: r.features,
        prediction: r.prediction,
        score: r.score,
      })),
      { nowMs: l.endMs }
    );
    if (stored.result.rejected > 0)
      throw new Error(`${label}: ${stored.result.rejected} rows rejected in hour ${hour}`);
    rows += stored.result.accepted;
    const labelled = batch.filter((r) => r.label !== undefined);
    if (labelled.length > 0) {
      const joined = await store.ingestLabels(
        MODEL,
        labelled.map((r) => ({ prediction_id: r.id, label: r.label, timestamp: r.ts + 2 * DAY })),
        { nowMs: l.endMs }
      );
      if (joined.result.rejected > 0) throw new Error(`${label}: ${joined.result.rejected} labels rejected`);
      labels += joined.result.accepted;
    }
    if (csv) {
      if (hour < REFERENCE_HOURS) await write(csv.reference, labelled.map(csvLine).join(''));
      else await write(csv.analysis, batch.map(csvLine).join(''));
    }
    if (hour % 72 === 71 || hour === l.totalHours - 1) {
      const s = (performance.now() - began) / 1000;
      console.log(
        `[bench] ${label}: ${rows.toLocaleString()} rows, ${labels.toLocaleString()} labels (${hour + 1}/${l.totalHours} h) in ${s.toFixed(0)} s`
      );
    }
  }
  return { rows, labels, seconds: (performance.now() - began) / 1000 };
}

type Frames = Array<{
  schema: { name?: string; fields: Array<{ name: string }>; meta?: { notices?: Array<{ text: string }> } };
  data: { values: unknown[][] };
}>;

const REALISED_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece'] as const;

/** Largest |summaries − rows| per metric over the buckets of the two answers, and the ROC AUC bound stated. */
function pathAgreement(summaries: Frames, rows: Frames) {
  const out: Record<string, number> = {};
  for (const m of REALISED_METRICS) {
    const a = column(summaries, 'performance', m);
    const b = column(rows, 'performance', m);
    let max = 0;
    a.forEach((v, i) => {
      if (typeof v === 'number' && typeof b[i] === 'number') max = Math.max(max, Math.abs(v - (b[i] as number)));
    });
    out[m] = max;
  }
  const notice = summaries[0]?.schema.meta?.notices?.find((n) => n.text.startsWith('ROC AUC from'))?.text ?? '';
  const bound = Number(/within ±([0-9.e+-]+)/.exec(notice)?.[1] ?? NaN);
  return { maxAbsDiff: out, statedAucBound: bound };
}

/** One query over the window; `run` moves its end back by that many ms, so each run is computed, not cached. */
async function ask(
  app: FastifyInstance,
  l: Layout,
  queryType: string,
  label: string,
  options: { run?: number; exact?: boolean } = {}
): Promise<Frames> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: { authorization: `Bearer ${BENCH_READ_TOKEN}` },
    payload: {
      from: l.windowFromMs,
      to: l.endMs - 1 - (options.run ?? 0),
      intervalMs: HOUR,
      queries: [
        { refId: 'A', queryType, model: MODEL, ...(options.exact !== undefined ? { exact: options.exact } : {}) },
      ],
    },
  });
  if (res.statusCode !== 200) throw new Error(`${label}: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
  const result = (res.json() as { results: Record<string, { frames: Frames; error?: string }> }).results.A;
  if (!result || result.error) throw new Error(`${label} ${queryType}: ${result?.error ?? 'no result'}`);
  return result.frames;
}

function column(frames: Frames, frame: string, field: string): unknown[] {
  const f = frames.find((x) => x.schema.name === frame);
  const i = f?.schema.fields.findIndex((x) => x.name === field) ?? -1;
  return f && i >= 0 ? (f.data.values[i] ?? []) : [];
}

async function benchEngine(
  name: string,
  store: DriftStore,
  l: Layout,
  csv?: { reference: WriteStream; analysis: WriteStream }
) {
  const loaded = await load(store, l, name, csv);
  const app = await storeBenchApp(store);
  try {
    const performanceFrames = await ask(app, l, 'performance', name);
    const exactFrames = await ask(app, l, 'performance', name, { exact: true });
    const agreement = pathAgreement(performanceFrames, exactFrames);
    console.log(`[bench] ${name}: summaries vs rows, max |Δ| per metric ${JSON.stringify(agreement)}`);
    const estimatedFrames = await ask(app, l, 'estimated_performance', name);
    const buckets = column(estimatedFrames, 'estimated_performance', 'time').length;
    const realisedBuckets = column(performanceFrames, 'performance', 'time').length;
    console.log(`[bench] ${name}: timing performance (${realisedBuckets} buckets) × ${l.args.queries}…`);
    const realised = await timeRuns(l.args.queries, (run) => ask(app, l, 'performance', name, { run: run + 1 }));
    console.log(`[bench] ${name}: timing performance exact: true (rows) × ${l.args.exactQueries}…`);
    const realisedRows = await timeRuns(l.args.exactQueries, (run) =>
      ask(app, l, 'performance', name, { run: run + 1, exact: true })
    );
    console.log(`[bench] ${name}: timing estimated_performance (${buckets} buckets) × ${l.args.estimatedQueries}…`);
    const estimated = await timeRuns(l.args.estimatedQueries, (run) =>
      ask(app, l, 'estimated_performance', name, { run: run + 1 })
    );
    // What the store's raw-row reads alone cost: whole prediction rows (features included) and labelled rows.
    const window = { model: MODEL, fromMs: l.windowFromMs, toMs: l.endMs, limit: 5_000_000 };
    const readPredictions = await timeRuns(Math.min(2, l.args.queries), () => store.getPredictions(window));
    const readLabels = await timeRuns(Math.min(2, l.args.queries), () => store.getLabeledPredictions(window));
    console.log(
      `[bench] ${name}: performance p95 ${realised.p95Ms.toFixed(0)} ms, estimated_performance p95 ${estimated.p95Ms.toFixed(0)} ms`
    );
    return {
      engine: name,
      ...loaded,
      buckets,
      realisedBuckets,
      realised,
      realisedRows,
      summaryAgreement: agreement,
      estimated,
      readPredictions,
      readLabels,
      estimatedAccuracy: new Map(
        column(estimatedFrames, 'estimated_performance', 'time').map((t, i) => [
          Number(t),
          column(estimatedFrames, 'estimated_performance', 'accuracy')[i] as number | null,
        ])
      ),
    };
  } finally {
    await app.close();
  }
}

interface NannymlResult {
  read_seconds: number;
  cbpe_seconds: number;
  realised_seconds: number;
  chunks: number;
  estimated_accuracy: Record<string, number | null>;
}

function runNannyml(referenceCsv: string, analysisCsv: string): NannymlResult {
  console.log('[bench] nannyml: CBPE and realised performance on the same rows…');
  const python = process.env.MLSIGHT_PYTHON ?? join(__dirname, '../../.venv/bin/python');
  const out = spawnSync(python, [join(__dirname, 'nannyml_performance.py'), referenceCsv, analysisCsv], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60 * 60_000,
    env: { ...process.env, NML_DISABLE_USAGE_LOGGING: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (out.status !== 0) throw new Error(`nannyml_performance.py failed (status ${out.status})`);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as NannymlResult;
}

function openCsv(dir: string): { reference: WriteStream; analysis: WriteStream; close(): Promise<void> } {
  const header = 'timestamp,score,prediction,label\n';
  const reference = createWriteStream(join(dir, 'reference.csv'));
  const analysis = createWriteStream(join(dir, 'analysis.csv'));
  reference.write(header);
  analysis.write(header);
  const end = (s: WriteStream) => new Promise<void>((resolve) => s.end(resolve));
  return { reference, analysis, close: async () => void (await Promise.all([end(reference), end(analysis)])) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const l = layout(args);
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-bench-performance-'));
  const engines: Array<Awaited<ReturnType<typeof benchEngine>>> = [];
  let nannyml: NannymlResult;
  try {
    const csv = openCsv(dir);
    if (args.engines.includes('sqlite')) {
      const store = await openSqliteStore(join(dir, 'bench.db'), STORE_OPTIONS);
      try {
        engines.push(await benchEngine('sqlite', store, l, csv));
      } finally {
        await store.close();
      }
    }
    if (args.engines.includes('postgres')) {
      const server = await startPostgres({ fsync: true });
      try {
        const store = await openPostgresStore(server.url, STORE_OPTIONS);
        try {
          engines.push(await benchEngine('postgres', store, l, engines.length === 0 ? csv : undefined));
        } finally {
          await store.close();
        }
      } finally {
        await server.stop();
      }
    }
    await csv.close();
    nannyml = runNannyml(join(dir, 'reference.csv'), join(dir, 'analysis.csv'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Same rows, same hourly chunks: how far apart the two CBPE estimates of accuracy are (calibration folds differ).
  const agreement = engines.map((e) => {
    let maxDiff = 0;
    let compared = 0;
    for (const [start, value] of Object.entries(nannyml.estimated_accuracy)) {
      const ours = e.estimatedAccuracy.get(Number(start));
      if (typeof ours !== 'number' || typeof value !== 'number') continue;
      maxDiff = Math.max(maxDiff, Math.abs(ours - value));
      compared++;
    }
    return { engine: e.engine, compared, maxAbsDiffEstimatedAccuracy: maxDiff };
  });
  for (const a of agreement)
    console.log(
      `[bench] ${a.engine}: estimated accuracy vs NannyML, ${a.compared} chunks, max |Δ| ${a.maxAbsDiffEstimatedAccuracy.toExponential(2)}`
    );
  const fmt = (p: Percentiles) =>
    `p50 ${p.p50Ms.toFixed(0)} ms, p95 ${p.p95Ms.toFixed(0)} ms (${p.cpuMsPerQuery.toFixed(0)} ms CPU)`;
  recordResults(
    'performance',
    {
      hours: args.hours,
      rowsPerHour: args.rowsPerHour,
      features: args.features,
      engines: engines.map(({ estimatedAccuracy: _dropped, ...e }) => e),
      nannyml: { ...nannyml, estimated_accuracy: undefined },
      agreement,
    },
    engines.flatMap((e) => {
      const over = `${args.hours}×1h over ${e.rows.toLocaleString()} rows, ${e.labels.toLocaleString()} labels (${e.engine})`;
      return [
        {
          name: `performance (bucket summaries) ${over}`,
          ours: fmt(e.realised),
          peer: `NannyML PerformanceCalculator ${nannyml.realised_seconds.toFixed(1)} s (+ ${nannyml.read_seconds.toFixed(1)} s CSV read)`,
          ratio: `${((nannyml.realised_seconds * 1000) / e.realised.p95Ms).toFixed(1)}× faster`,
          target: 'p95 ≤ 50 ms; ≥ 1000× NannyML',
        },
        {
          name: `performance exact: true (labelled rows, the path before summaries) (${e.engine})`,
          ours: fmt(e.realisedRows),
          peer: `NannyML PerformanceCalculator ${nannyml.realised_seconds.toFixed(1)} s`,
          ratio: `${((nannyml.realised_seconds * 1000) / e.realisedRows.p95Ms).toFixed(1)}× faster; summaries ${(e.realisedRows.p95Ms / e.realised.p95Ms).toFixed(0)}× faster than rows`,
          target: '',
        },
        {
          name: `estimated_performance ${over}`,
          ours: fmt(e.estimated),
          peer: `NannyML CBPE fit+estimate ${nannyml.cbpe_seconds.toFixed(1)} s`,
          ratio: `${((nannyml.cbpe_seconds * 1000) / e.estimated.p95Ms).toFixed(1)}× faster`,
          target: 'faster than NannyML',
        },
        {
          name: `store reads alone (${e.engine})`,
          ours: `getPredictions ${fmt(e.readPredictions)}; getLabeledPredictions ${fmt(e.readLabels)}`,
          peer: '',
          ratio: `${((100 * e.readPredictions.p50Ms) / e.estimated.p50Ms).toFixed(0)}% of estimated_performance p50`,
          target: '',
        },
      ];
    })
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
