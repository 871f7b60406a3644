/**
 * Drift verdicts at hourly and daily cells: how often healthy cells are flagged and how fast real shifts are, under
 * calibrated thresholds (the default) and Evidently's fixed rule (`thresholdMode: "fixed"`), through the store and
 * the `drift_heatmap` handler; and the monitor's per-feature verdicts (the `FeatureDrift` alert) over hourly windows.
 *
 *   npx tsx test/bench/verdictBench.ts [--days 30] [--rows-per-hour 150] [--reference 5000] [--monitor-windows 120]
 *
 * Data (fixed seeds): a 5,000-row reference; 150 rows per hour for 30 days; numeric x1 ~ N(0, 1), x2 log-normal,
 * x3 uniform, x4 N(50, 10) rounded to 0.1; categorical c1 (a .4, b .35, c .25) and c2 (six uneven categories).
 * Model `healthy` never changes; model `shift` moves x1 by +0.3 sd and c1's share of `a` from .4 to .3 (b and c
 * take the rest in proportion) from the start of day 15 on. Targets (issue 13): healthy hourly cells flagged ≤ 1 %;
 * after onset ≥ 75 % of hourly x1 cells flagged, first within 3 h; ≥ 50 % of hourly c1 cells, first within 12 h;
 * daily cells after onset 100 % for both. SQLite in a temporary directory; nothing leaves the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFrameJSON, QueryOf, ThresholdMode } from '@mlsight/contract';
import { loadConfig } from '../../backend-proxy/src/config/config';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';
import type { QueryContext } from '../../backend-proxy/src/queries/context';
import { driftHeatmapHandler } from '../../backend-proxy/src/queries/drift/driftHandlers';
import { computeModelSnapshot } from '../../backend-proxy/src/monitor/snapshot';
import { mlflowFromConfig } from '../../backend-proxy/src/server/mlflowFromConfig';
import { openSqliteStore } from '../../backend-proxy/src/store/sqliteStore';
import type { DriftStore } from '../../backend-proxy/src/store/types';
import { parseBenchArgs } from './benchArgs';
import { type BenchRow, recordResults } from './results';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NUMERIC = ['x1', 'x2', 'x3', 'x4'] as const;
const CATEGORICAL = ['c1', 'c2'] as const;
const FEATURES = [...NUMERIC, ...CATEGORICAL];
const C1 = ['a', 'b', 'c'];
const C2 = ['p', 'q', 'r', 's', 't', 'u'];
const C2_WEIGHTS = [0.3, 0.25, 0.2, 0.12, 0.08, 0.05];
const ONSET_DAY = 15;

const args = parseBenchArgs(process.argv.slice(2));
const DAYS = args.number('days', 30);
const PER_HOUR = args.number('rows-per-hour', 150);
const REFERENCE_ROWS = args.number('reference', 5000);
const MONITOR_WINDOWS = args.number('monitor-windows', 120);

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pick<T>(random: () => number, values: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random() * total;
  for (let i = 0; i < values.length; i++) {
    u -= weights[i] ?? 0;
    if (u < 0) return values[i] as T;
  }
  return values[values.length - 1] as T;
}

function row(random: () => number, shifted: boolean): Record<string, number | string> {
  const aShare = shifted ? 0.3 : 0.4;
  return {
    x1: normal(random) + (shifted ? 0.3 : 0),
    x2: Math.exp(0.5 * normal(random)),
    x3: random() * 10,
    x4: Math.round((50 + 10 * normal(random)) * 10) / 10,
    c1: pick(random, C1, [aShare, ((1 - aShare) * 0.35) / 0.6, ((1 - aShare) * 0.25) / 0.6]),
    c2: pick(random, C2, C2_WEIGHTS),
  };
}

async function loadModel(store: DriftStore, model: string, seed: number, start: number, shifts: boolean) {
  const random = seededRandom(seed);
  await store.putReference(model, {
    rows: Array.from({ length: REFERENCE_ROWS }, () => ({ features: row(random, false) })),
  });
  const onset = start + ONSET_DAY * DAY;
  for (let day = 0; day < DAYS; day++) {
    const rows = [];
    for (let h = 0; h < 24; h++) {
      const hourStart = start + day * DAY + h * HOUR;
      for (let i = 0; i < PER_HOUR; i++) {
        const timestamp = hourStart + Math.floor((i * HOUR) / PER_HOUR);
        rows.push({
          prediction_id: `${model}-${timestamp}-${i}`,
          timestamp,
          features: row(random, shifts && timestamp >= onset),
          prediction: 0,
        });
      }
    }
    await store.ingestPredictions(model, rows);
  }
}

function context(store: DriftStore, fromMs: number, toMs: number, intervalMs: number): QueryContext {
  const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
  return {
    window: { fromMs, toMs, intervalMs, maxDataPoints: 10_000 },
    mlflow: mlflowFromConfig(config.mlflow),
    mlflowCall: {},
    store,
    config,
    log: { info: () => undefined } as unknown as QueryContext['log'],
  } as QueryContext;
}

interface Cells {
  times: number[];
  /** Per feature, per bucket: true / false / null. */
  drifted: Map<string, Array<boolean | null>>;
}

async function heatmapVerdicts(
  store: DriftStore,
  model: string,
  start: number,
  bucketMs: number,
  mode: ThresholdMode
): Promise<Cells> {
  const query = { refId: 'A', queryType: 'drift_heatmap', model, thresholdMode: mode } as QueryOf<'drift_heatmap'>;
  const [frame] = (await driftHeatmapHandler(query, context(store, start, start + DAYS * DAY, bucketMs))) as [
    DataFrameJSON,
  ];
  const times = frame.data.values[0] as number[];
  const drifted = new Map<string, Array<boolean | null>>();
  frame.schema.fields.forEach((f) => {
    const feature = f.labels?.feature;
    const custom = f.config?.custom as { drifted?: Array<boolean | null> } | undefined;
    if (feature && custom?.drifted) drifted.set(feature, custom.drifted);
  });
  return { times, drifted };
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);

function share(values: ReadonlyArray<boolean | null>): number | null {
  const judged = values.filter((v) => v !== null);
  return judged.length === 0 ? null : judged.filter((v) => v === true).length / judged.length;
}

function afterOnset(cells: Cells, feature: string, onset: number) {
  const verdicts = cells.drifted.get(feature) ?? [];
  const after = verdicts.filter((_, i) => (cells.times[i] ?? 0) >= onset);
  const firstIndex = cells.times.findIndex((t, i) => t >= onset && verdicts[i] === true);
  const first = firstIndex < 0 ? null : ((cells.times[firstIndex] ?? 0) - onset) / HOUR + 1;
  return { share: share(after), hoursToFirstFlag: first };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-verdict-bench-'));
  const store = await openSqliteStore(join(dir, 'store.db'));
  try {
    const start = Math.floor(Date.now() / DAY) * DAY - DAYS * DAY;
    const onset = start + ONSET_DAY * DAY;
    await loadModel(store, 'healthy', 1, start, false);
    await loadModel(store, 'shift', 2, start, true);
    const data: Record<string, unknown> = {
      setup: { days: DAYS, rowsPerHour: PER_HOUR, referenceRows: REFERENCE_ROWS, onsetDay: ONSET_DAY },
    };
    const rows: BenchRow[] = [];
    for (const mode of ['calibrated', 'fixed'] as const) {
      const t0 = performance.now();
      const healthy = await heatmapVerdicts(store, 'healthy', start, HOUR, mode);
      const firstQueryMs = performance.now() - t0;
      const healthyShares = Object.fromEntries(FEATURES.map((f) => [f, share(healthy.drifted.get(f) ?? [])]));
      const hourly = await heatmapVerdicts(store, 'shift', start, HOUR, mode);
      const daily = await heatmapVerdicts(store, 'shift', start, DAY, mode);
      const shiftHourly = { x1: afterOnset(hourly, 'x1', onset), c1: afterOnset(hourly, 'c1', onset) };
      const shiftDaily = { x1: afterOnset(daily, 'x1', onset), c1: afterOnset(daily, 'c1', onset) };
      data[mode] = { healthyHourly: healthyShares, shiftHourly, shiftDaily, firstHeatmapQueryMs: firstQueryMs };
      rows.push(
        {
          name: `${mode}: healthy hourly cells flagged (${NUMERIC.join(', ')})`,
          ours: NUMERIC.map((f) => pct(healthyShares[f] ?? null)).join(' / '),
          peer: '',
          ratio: '',
          target: '≤ 1 %',
        },
        {
          name: `${mode}: healthy hourly cells flagged (${CATEGORICAL.join(', ')})`,
          ours: CATEGORICAL.map((f) => pct(healthyShares[f] ?? null)).join(' / '),
          peer: '',
          ratio: '',
          target: '≤ 1 %',
        },
        {
          name: `${mode}: x1 +0.3 sd, hourly cells flagged after onset (first flag)`,
          ours: `${pct(shiftHourly.x1.share)} (${shiftHourly.x1.hoursToFirstFlag ?? '–'} h)`,
          peer: '',
          ratio: '',
          target: '≥ 75 % (≤ 3 h)',
        },
        {
          name: `${mode}: c1 share .4 → .3, hourly cells flagged after onset (first flag)`,
          ours: `${pct(shiftHourly.c1.share)} (${shiftHourly.c1.hoursToFirstFlag ?? '–'} h)`,
          peer: '',
          ratio: '',
          target: '≥ 50 % (≤ 12 h)',
        },
        {
          name: `${mode}: daily cells flagged after onset (x1 / c1)`,
          ours: `${pct(shiftDaily.x1.share)} / ${pct(shiftDaily.c1.share)}`,
          peer: '',
          ratio: '',
          target: '100 % / 100 %',
        }
      );
    }
    // The monitor: one-hour windows (its default) spread over the healthy month, the per-feature verdicts the
    // FeatureDrift alert fires on.
    const step = Math.max(1, Math.floor((DAYS * 24) / MONITOR_WINDOWS));
    let evaluations = 0;
    let firing = 0;
    for (let h = 0; h < DAYS * 24; h += step) {
      const fromMs = start + h * HOUR + 7 * 60_000;
      const snapshot = await computeModelSnapshot(store, 'healthy', { fromMs, toMs: fromMs + HOUR });
      for (const f of snapshot.features) {
        if (f.drifted === null) continue;
        evaluations++;
        if (f.drifted) firing++;
      }
    }
    data.monitor = { evaluations, firing, share: evaluations > 0 ? firing / evaluations : null };
    rows.push({
      name: 'monitor (calibrated): FeatureDrift evaluations firing on healthy data, 1 h windows',
      ours: `${pct(evaluations > 0 ? firing / evaluations : null)} (${firing} of ${evaluations})`,
      peer: '',
      ratio: '',
      target: '≤ 1 %',
    });
    recordResults('driftVerdicts', data, rows);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
