import type { AnnotationEvent, DriftFieldCustom, DataFrameJSON, QueryResponse } from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { alertBucketMs, MAX_DRIFT_ALERTS_PER_FEATURE } from '../../backend-proxy/src/queries/drift/driftAlerts';
import type { DriftStore } from '../../backend-proxy/src/store';
import { AUTH, INGEST_TOKEN, readState, startProxy } from '../support/proxyHarness';
import { runStory, type StoryModel, type StoryRun } from '../support/story';
import { interpolateTarget, mlsightTargets, SAMPLE_VALUES } from '../provisioning/dashboardTargets';

/**
 * The demo story (scripts/seed_story.py) against the real proxy on a real socket: it tells a drift that the
 * heatmap shows, and the store holds exactly the rows and labels the story says it sent, even after a re-run; and
 * every query of the provisioned dashboards is accepted by the proxy and answers frames on the story's data; and the
 * fleet over the three demo models says which needs attention and why (credit-risk: drift, churn-propensity: data
 * quality), fraud-screen OK, over the app's ranges whatever the hour they are asked at.
 */

const MODEL = 'credit-risk';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Daily buckets with fewer rows are too partial to judge (the story's first and last days straddle UTC days). */
const MIN_BUCKET_ROWS = 500;
/** About forty queries, some over 30 days of raw rows: a wider hang guard than the suite's default (not a speed test). */
const DASHBOARD_QUERIES_HANG_GUARD_MS = 900_000;
/** The fleet page's default range is 7 days; its time picker offers the last day and the last 30 days too. */
const FLEET_SPANS_MS = [DAY_MS, 7 * DAY_MS, 30 * DAY_MS];
const ATTENTION = ['critical', 'warning'];

const state = readState();
const nowMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
let app: FastifyInstance;
let store: DriftStore;
let proxyUrl: string;
let first: StoryRun;
/** A second app over the same store, with the monitor off (see fleetRows); started on first use. */
let fleetApp: FastifyInstance | undefined;

async function heatmap(fromMs: number, toMs: number, version?: string, intervalMs = DAY_MS): Promise<DataFrameJSON> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: AUTH,
    payload: {
      from: String(fromMs),
      to: String(toMs),
      intervalMs,
      queries: [{ refId: 'A', queryType: 'drift_heatmap', model: MODEL, ...(version ? { version } : {}) }],
    },
  });
  expect(response.statusCode).toBe(200);
  const result = (response.json() as QueryResponse).results.A;
  if (!result || result.error) throw new Error(`drift_heatmap failed: ${result?.error ?? 'no result'}`);
  const frame = result.frames[0];
  if (!frame) throw new Error('drift_heatmap returned no frame');
  return frame;
}

interface FeatureCells {
  custom: DriftFieldCustom;
  scores: Array<number | null>;
  /** The frame's verdict per kept bucket (its own calibrated threshold, pooled with the buckets before it). */
  verdicts: Array<boolean | null>;
}

/** Per feature: its threshold facts and its daily scores, keeping only the buckets with enough rows. */
function cellsByFeature(frame: DataFrameJSON, minRows = MIN_BUCKET_ROWS): Map<string, FeatureCells> {
  const fields = frame.schema?.fields ?? [];
  const values = frame.data?.values ?? [];
  const out = new Map<string, FeatureCells>();
  fields.forEach((field, index) => {
    const feature = field.labels?.feature;
    if (field.type !== 'number' || !feature) return;
    const custom = field.config?.custom as unknown as DriftFieldCustom | undefined;
    if (!custom) throw new Error(`heatmap field of ${feature} has no drift facts`);
    const scores = (values[index] ?? []) as Array<number | null>;
    const kept = (_: unknown, i: number) => (custom.rows[i] ?? 0) >= minRows;
    out.set(feature, { custom, scores: scores.filter(kept), verdicts: custom.drifted.filter(kept) });
  });
  return out;
}

async function storedCounts(): Promise<{ predictions: Record<string, number>; labels: number }> {
  const range = { model: MODEL, fromMs: nowMs - 31 * DAY_MS, toMs: nowMs + HOUR_MS, limit: 10_000_000 };
  const predictions: Record<string, number> = {};
  for (const version of ['2', '3']) {
    predictions[version] = (await store.getPredictions({ ...range, version })).length;
  }
  return { predictions, labels: (await store.getLabeledPredictions(range)).length };
}

beforeAll(async () => {
  ({ app, store } = await startProxy(state.url));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy did not bind a port');
  proxyUrl = `http://127.0.0.1:${address.port}`;
  first = await runStory(proxyUrl, INGEST_TOKEN, nowMs);
});
afterAll(async () => {
  await fleetApp?.close();
  await app.close();
});

type FleetRowOf = Record<string, unknown>;

/**
 * The fleet's rows by model over [fromMs, toMs], from a second app over the same store with the monitor off: the
 * monitor's alerts and CBPE band come from Date.now()'s trailing hour (so from when the test runs), the drift and
 * quality verdicts asserted here from the range alone.
 */
async function fleetRows(fromMs: number, toMs: number): Promise<{ order: string[]; rows: Map<string, FleetRowOf> }> {
  fleetApp ??= (await startProxy(state.url, { MLSIGHT_MONITOR_INTERVAL: '0' }, store)).app;
  const response = await fleetApp.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: AUTH,
    payload: { from: String(fromMs), to: String(toMs), queries: [{ refId: 'F', queryType: 'fleet' }] },
  });
  expect(response.statusCode).toBe(200);
  const result = (response.json() as QueryResponse).results.F;
  const frame = result?.frames.find((f) => f.schema.name === 'fleet');
  if (!frame || result?.error) throw new Error(`fleet failed: ${result?.error ?? 'no fleet frame'}`);
  const fields = frame.schema.fields;
  const models = (frame.data.values[fields.findIndex((f) => f.name === 'model')] ?? []) as string[];
  const rows = new Map(
    models.map((model, i) => [model, Object.fromEntries(fields.map((f, k) => [f.name, frame.data.values[k]?.[i]]))])
  );
  return { order: models, rows };
}

/** What the fleet must say about a demo model, from the story's summary; returns the failures as sentences. */
function fleetMismatches(model: StoryModel, row: FleetRowOf | undefined, where: string): string[] {
  if (!row) return [`${where}: ${model.model} is not in the fleet`];
  const status = String(row.status);
  const reasons = String(row.reasons);
  const out: string[] = [];
  if (model.expected_status === 'ok' && (status !== 'ok' || reasons !== 'all checks pass')) {
    out.push(`${where}: ${model.model} should be ok, is ${status}: ${reasons}`);
  }
  if (model.expected_status === 'attention' && !ATTENTION.includes(status)) {
    out.push(`${where}: ${model.model} should need attention, is ${status}`);
  }
  if (model.expected_because === 'drift' && !/features drifted/.test(reasons)) {
    out.push(`${where}: ${model.model} should give a drift reason, gives: ${reasons}`);
  }
  // A data-quality incident and nothing else: no feature drifts, the feed is fresh.
  if (
    model.expected_because === 'data quality' &&
    (reasons !== '1 data-quality incident' || row.drifted_features !== 0)
  ) {
    out.push(`${where}: ${model.model} should give one data-quality incident alone, gives: ${reasons}`);
  }
  if (row.champion_version !== model.champion_version) {
    out.push(`${where}: ${model.model} champion ${String(row.champion_version)}, expected ${model.champion_version}`);
  }
  return out;
}

describe('demo story', () => {
  it('prints its progress per day and a summary with everything accepted', () => {
    const dayLines = first.lines.filter((line) => /^\[story\] day +\d+\/30:/.test(line));
    expect(dayLines).toHaveLength(30);
    expect(first.summary.rejected).toBe(0);
    expect(first.summary.reference_rows).toBeGreaterThan(0);
    expect(first.summary.predictions['2']).toBeGreaterThan(first.summary.predictions['3'] ?? 0);
    expect(first.summary.predictions['3']).toBeGreaterThan(0);
  });

  it('stores exactly the predictions and labels the story printed', async () => {
    const stored = await storedCounts();
    expect(stored.predictions).toEqual(first.summary.predictions);
    expect(stored.labels).toBe(first.summary.labels);
    // Delayed labels: fewer outcomes than predictions, and none for the last day.
    const total = Object.values(first.summary.predictions).reduce((a, b) => a + b, 0);
    expect(first.summary.labels).toBeLessThan(total);
    const lastDay = await store.getLabeledPredictions({ model: MODEL, fromMs: nowMs - DAY_MS, toMs: nowMs });
    expect(lastDay).toHaveLength(0);
  });

  it('shows the drifted features above their threshold in the last week and not in the first', async () => {
    const start = nowMs - first.summary.days * DAY_MS;
    // Hourly cells of the calm first week: calibrated verdicts flag a healthy cell with probability 1 % (a false
    // alarm can linger over the two pooled cells after it), so a few flags are expected; Evidently's fixed rule
    // flagged 35–51 % of such cells. 15 % per feature needs nine false alarms out of ~168 cells (p < 1e-4).
    const firstWeek = cellsByFeature(await heatmap(start + DAY_MS, start + 8 * DAY_MS, undefined, HOUR_MS), 1);
    const lastWeek = cellsByFeature(await heatmap(nowMs - 6 * DAY_MS, nowMs));
    expect(first.summary.drifted_features.length).toBeGreaterThanOrEqual(2);
    for (const feature of first.summary.drifted_features) {
      const early = firstWeek.get(feature);
      const late = lastWeek.get(feature);
      if (!early || !late) throw new Error(`${feature} is missing from the heatmap`);
      expect(late.scores.length).toBeGreaterThanOrEqual(5);
      const judged = early.verdicts.filter((d) => d !== null);
      expect(judged.length).toBeGreaterThanOrEqual(100);
      const flagged = judged.filter((d) => d === true).length;
      expect({ feature, flaggedShare: flagged / judged.length <= 0.15 }).toEqual({
        feature,
        flaggedShare: true,
      });
      expect(late.verdicts.every((d) => d === true)).toBe(true);
    }
  });

  it('annotates the start of each drifted run of a feature (drift_alert), where the heatmap of the same buckets drifts', async () => {
    const fromMs = nowMs - 29 * DAY_MS;
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/annotations',
      headers: AUTH,
      payload: { from: String(fromMs), to: String(nowMs), model: MODEL, kinds: ['drift_alert'] },
    });
    expect(response.statusCode).toBe(200);
    const events = response.json() as AnnotationEvent[];
    const featureOf = (e: AnnotationEvent) => e.tags.find((t) => t.startsWith('feature:'))?.slice('feature:'.length);

    // The heatmap over the same range and buckets: a run starts at a drifted cell after a cell that was not.
    const bucketMs = alertBucketMs({ fromMs, toMs: nowMs });
    const frame = await heatmap(fromMs, nowMs, undefined, bucketMs);
    const times = (frame.data.values[0] ?? []) as number[];
    const minRows = (frame.schema.meta?.custom as { minSampleSize: number }).minSampleSize;
    const expected: Array<[string, number]> = [];
    frame.schema.fields.forEach((field) => {
      const feature = field.labels?.feature;
      const custom = field.config?.custom as unknown as DriftFieldCustom | undefined;
      if (field.type !== 'number' || !feature || !custom) return;
      // The frame's own per-bucket verdicts (calibrated, null where the cell has too few rows).
      const isDrifted = (i: number) => custom.drifted[i] === true && (custom.rows[i] ?? 0) >= minRows;
      const starts = times.filter((_, i) => isDrifted(i) && !(i > 0 && isDrifted(i - 1)));
      for (const t of starts.slice(0, MAX_DRIFT_ALERTS_PER_FEATURE)) expected.push([feature, t]);
    });
    const byFeatureAndTime = (a: [string, number], b: [string, number]) => a[0].localeCompare(b[0]) || a[1] - b[1];
    const got = events.map((e): [string, number] => [featureOf(e) ?? '', e.time]);
    expect(got.sort(byFeatureAndTime)).toEqual(expected.sort(byFeatureAndTime));

    // The story's drifted features drift until the end of the range, and each alert names its statistic.
    for (const feature of first.summary.drifted_features) {
      const last = events.filter((e) => featureOf(e) === feature).at(-1);
      expect({ feature, reachesTheEnd: (last?.timeEnd ?? 0) >= nowMs - bucketMs }).toEqual({
        feature,
        reachesTheEnd: true,
      });
      expect(last?.text).toMatch(/= [\d.e-]+ \((above|p-value below) threshold [\d.e-]+\) on \d+ rows/);
      expect(last?.tags).toEqual(expect.arrayContaining([`feature:${feature}`, expect.stringMatching(/^method:/)]));
    }
  });

  it(
    "accepts every provisioned dashboard query and answers frames on the story's data",
    async () => {
      // A real run for the metric-history panel: the boosted challenger's train step logs a loss per iteration.
      const train = state.summary.runs.find((r) => r.step === 'train' && r.pipeline === 'pipeline-2026-11-01');
      if (!train) throw new Error('the seed summary has no train run of pipeline-2026-11-01');
      const values = { ...SAMPLE_VALUES, run_id: train.runId };
      const pending: string[] = [];
      const failures: string[] = [];
      const timings: Array<[string, number]> = [];
      for (const { dashboard, panel, target } of mlsightTargets()) {
        const query = interpolateTarget(target, values);
        const started = Date.now();
        // 29 days: a segment filter reads raw rows, which the store keeps for 30 days measured from the clock.
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/query',
          headers: AUTH,
          payload: { from: String(nowMs - 29 * DAY_MS), to: String(nowMs), intervalMs: HOUR_MS, queries: [query] },
        });
        const where = `${dashboard} / ${panel}`;
        timings.push([`${where} (${String(query.queryType)})`, Date.now() - started]);
        if (response.statusCode !== 200) {
          failures.push(`${where}: HTTP ${response.statusCode} ${response.body.slice(0, 300)}`);
          continue;
        }
        const result = (response.json() as QueryResponse).results[String(query.refId)];
        // Handlers still being built answer 501 with a sentence; everything else must answer frames with rows.
        if (result?.status === 501) {
          pending.push(`${where} (${String(query.queryType)})`);
          continue;
        }
        const rows = (result?.frames ?? []).reduce((n, f) => n + (f.data?.values[0]?.length ?? 0), 0);
        if (result?.error || rows === 0) failures.push(`${where}: ${result?.error ?? 'no rows'}`);
      }
      if (pending.length > 0) console.log(`[demo story] query types not built yet (501): ${pending.join('; ')}`);
      // Information for whoever tunes the handlers, not an assertion.
      const slowest = timings.sort((a, b) => b[1] - a[1]).slice(0, 5);
      console.log(`[demo story] slowest dashboard queries: ${slowest.map(([w, ms]) => `${w} ${ms} ms`).join('; ')}`);
      expect(failures).toEqual([]);
    },
    DASHBOARD_QUERIES_HANG_GUARD_MS
  );

  it('tells the two fleet models too, each with its reference, traffic and delayed labels', async () => {
    const names = first.summary.models.map((m) => m.model);
    expect(names).toEqual([MODEL, 'fraud-screen', 'churn-propensity']);
    for (const model of first.summary.models.slice(1)) {
      // Small on purpose (the story runs in many suites): a few thousand rows each.
      expect(model.predictions).toBeGreaterThan(2000);
      expect(model.predictions).toBeLessThan(10_000);
      expect(model.labels).toBeGreaterThan(0);
      expect(model.labels).toBeLessThan(model.predictions);
      const range = { model: model.model, fromMs: nowMs - 31 * DAY_MS, toMs: nowMs + HOUR_MS, limit: 1_000_000 };
      expect((await store.getPredictions(range)).length).toBe(model.predictions);
      expect((await store.getLabeledPredictions(range)).length).toBe(model.labels);
    }
    expect(
      first.lines.filter((line) => /^\[story\] (fraud-screen|churn-propensity): \d+ days/.test(line))
    ).toHaveLength(2);
  });

  it('gives each demo model its fleet status and reason over the last day, week and 30 days, worst first', async () => {
    const failures: string[] = [];
    for (const span of FLEET_SPANS_MS) {
      const { order, rows } = await fleetRows(nowMs - span, nowMs);
      const where = `last ${span / DAY_MS} d`;
      for (const model of first.summary.models) failures.push(...fleetMismatches(model, rows.get(model.model), where));
      // Worst first: credit-risk's drift, then churn-propensity's incident, then the healthy fraud-screen.
      const positions = ['credit-risk', 'churn-propensity', 'fraud-screen'].map((m) => order.indexOf(m));
      if (positions.join() !== [...positions].sort((a, b) => a - b).join()) failures.push(`${where}: order ${order}`);
    }
    expect(failures).toEqual([]);
  });

  it("keeps fraud-screen calm and counts churn-propensity's incident in the 7-day range of any hour of the next day", async () => {
    // The fleet page's default range asked 0..23 hours after the story ended: the range's start moves through the
    // story's rows (the end adds none), and the buckets with it. Drift and quality must not depend on that hour.
    const seen: string[] = [];
    for (let hours = 0; hours < 24; hours++) {
      const toMs = nowMs + hours * HOUR_MS;
      const { rows } = await fleetRows(toMs - 7 * DAY_MS, toMs);
      const healthy = rows.get('fraud-screen');
      const incident = rows.get('churn-propensity');
      seen.push(
        `+${hours} h: fraud-screen ${String(healthy?.drifted_features)} drifted / ${String(healthy?.quality_incidents)} incidents, ` +
          `churn-propensity ${String(incident?.drifted_features)} drifted / ${String(incident?.quality_incidents)} incidents`
      );
    }
    expect(seen).toEqual(
      Array.from(
        { length: 24 },
        (_, hours) => `+${hours} h: fraud-screen 0 drifted / 0 incidents, churn-propensity 0 drifted / 1 incidents`
      )
    );
  });

  it('changes nothing when run again for the same hour (idempotent batches)', async () => {
    const again = await runStory(proxyUrl, INGEST_TOKEN, nowMs);
    expect(again.summary.replayed_batches).toBeGreaterThan(0);
    expect(again.summary.predictions).toEqual(first.summary.predictions);
    expect(again.summary.labels).toBe(first.summary.labels);
    expect(await storedCounts()).toEqual({ predictions: first.summary.predictions, labels: first.summary.labels });
    expect(again.summary.models).toEqual(first.summary.models);
  });
});
