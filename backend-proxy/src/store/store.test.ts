import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres';
import { coarsenCounts, FINE_BINS, PSI_BINS, quantileEdges } from './binning';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './buckets';
import { migrate, MIGRATIONS, SchemaTooNewError } from './migrations';
import { PostgresClient, openPostgresStore } from './postgresStore';
import { SqliteClient, openSqliteStore } from './sqliteStore';
import type { SqlClient } from './sql';
import type { DriftStore, NumericProfile, StoreOptions } from './types';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { seededRandom } from '../stats/testRandom';
import {
  classSetupOfSummary,
  evaluateClassification,
  evaluateClassificationSummary,
  PerformanceSummary,
} from '../stats';
import { SqlDriftStore } from './sqlStore';

jest.setTimeout(120_000);

/** Standard normal by Box-Muller. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const COLORS = ['red', 'green', 'blue'];

function referenceRows(n: number, seed = 1) {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => ({
    features: {
      x: normal(random) * 10 + 50,
      color: COLORS[Math.floor(random() * COLORS.length)] ?? 'red',
      flag: random() < 0.3 ? 1 : 0,
    },
    prediction: random() < 0.5 ? 'yes' : 'no',
    label: random() < 0.5 ? 'yes' : 'no',
  }));
}

interface GeneratedRow {
  prediction_id: string;
  timestamp: number;
  features: { x: number | null; color: string | null; flag: number };
  prediction: string;
  score: number;
  segment: { region: string };
}

/** Predictions spread over `spanMs` before NOW, shifted and with new categories, missing values and outliers. */
function predictionRows(n: number, seed: number, spanMs: number, prefix = 'p'): GeneratedRow[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const r = random();
    return {
      prediction_id: `${prefix}-${seed}-${i}`,
      timestamp: NOW - Math.floor(random() * spanMs),
      features: {
        x: r < 0.05 ? null : r < 0.08 ? 500 + random() : normal(random) * 12 + 55,
        color: r > 0.97 ? null : r > 0.9 ? 'purple' : (COLORS[Math.floor(random() * COLORS.length)] ?? 'red'),
        flag: random() < 0.4 ? 1 : 0,
      },
      prediction: random() < 0.5 ? 'yes' : 'no',
      score: random(),
      segment: { region: random() < 0.5 ? 'eu' : 'us' },
    };
  });
}

/** Index in the [below, bins…, above] layout by a linear scan — deliberately not the store's binary search. */
function linearIndex(edges: readonly number[], x: number): number {
  const last = edges.length - 1;
  if (x < (edges[0] ?? 0)) return 0;
  if (x > (edges[last] ?? 0)) return last + 1;
  let bin = 0;
  for (let i = 0; i < last; i++) if ((edges[i] ?? 0) <= x) bin = i;
  return bin + 1;
}

interface Engine {
  name: 'sqlite' | 'postgres';
  open(options?: StoreOptions): Promise<DriftStore>;
  /** A client on a fresh, empty database, for migration tests. */
  freshClient(): Promise<SqlClient>;
  /** Two stores on one fresh database, as two proxy replicas would open it. */
  openShared(options?: StoreOptions): Promise<[DriftStore, DriftStore]>;
}

let postgres: PostgresServer | undefined;
const dirs: string[] = [];
let dbCounter = 0;

async function freshPostgresUrl(): Promise<string> {
  if (!postgres) throw new Error('postgres not started');
  const name = `t${process.pid}_${++dbCounter}`;
  const admin = new Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return postgres.url.replace(/\/[^/]+$/, `/${name}`);
}

function freshSqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-store-test-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

const engines: Engine[] = [
  {
    name: 'sqlite',
    open: (options) => openSqliteStore(freshSqlitePath(), options),
    freshClient: async () => new SqliteClient(new Database(freshSqlitePath())),
    openShared: async (options) => {
      const path = freshSqlitePath();
      const first = await openSqliteStore(path, options);
      return [first, await openSqliteStore(path, options)];
    },
  },
  {
    name: 'postgres',
    open: async (options) => openPostgresStore(await freshPostgresUrl(), options),
    freshClient: async () => new PostgresClient(new Pool({ connectionString: await freshPostgresUrl(), max: 2 })),
    openShared: async (options) => {
      const url = await freshPostgresUrl();
      const first = await openPostgresStore(url, options);
      return [first, await openPostgresStore(url, options)];
    },
  },
];

beforeAll(async () => {
  postgres = await startPostgres({ fsync: false });
});

afterAll(async () => {
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(engines)('drift store on $name', (engine) => {
  let store: DriftStore;
  const options: StoreOptions = { minuteRetentionMs: 30 * DAY_MS, chunkRows: 128 };

  beforeEach(async () => {
    store = await engine.open(options);
  });
  afterEach(async () => {
    await store.close();
  });

  describe('migrations', () => {
    it('apply once, record every step, and are a no-op the second time', async () => {
      const client = await engine.freshClient();
      try {
        expect(await migrate(client)).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await migrate(client)).toEqual([]);
        const rows = await client.read((tx) => tx.all<{ version: number }>('SELECT version FROM schema_migrations'));
        expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
        const tables = [
          'models',
          'reference_profiles',
          'chunks',
          'chunk_columns',
          'labels',
          'sketches',
          'sketch_series',
        ];
        for (const table of tables) {
          await expect(client.read((tx) => tx.all(`SELECT COUNT(*) AS n FROM ${table}`))).resolves.toHaveLength(1);
        }
      } finally {
        await client.close();
      }
    });

    it('refuse a schema newer than the code', async () => {
      const client = await engine.freshClient();
      try {
        await migrate(client);
        await client.transaction((tx) =>
          tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [999, 'future', 0])
        );
        await expect(migrate(client)).rejects.toBeInstanceOf(SchemaTooNewError);
      } finally {
        await client.close();
      }
    });
  });

  describe('reference profiles', () => {
    it('infer kinds as Evidently does and honour overrides', async () => {
      const rows = referenceRows(400);
      const { result } = await store.putReference('kinds', { rows, kinds: { flag: 'numeric' } });
      expect(result.accepted).toBe(400);
      const ref = await store.getReference('kinds');
      expect(ref?.features.x?.kind).toBe('numeric');
      expect(ref?.features.color?.kind).toBe('categorical');
      expect(ref?.features.flag?.kind).toBe('numeric');
      expect(ref?.prediction?.kind).toBe('categorical');
      await store.putReference('kinds-inferred', { rows });
      expect((await store.getReference('kinds-inferred'))?.features.flag?.kind).toBe('categorical');
      // A missing value makes pandas use float64, so Evidently sees a numeric column.
      const withGap = rows.map((r, i) => ({
        ...r,
        features: { ...r.features, flag: i === 0 ? null : r.features.flag },
      }));
      await store.putReference('kinds-gap', { rows: withGap });
      expect((await store.getReference('kinds-gap'))?.features.flag?.kind).toBe('numeric');
    });

    it('freeze 100 percentile bins that coarsen exactly to the 10 deciles', async () => {
      const rows = referenceRows(1001, 7);
      await store.putReference('edges', { rows });
      const ref = await store.getReference('edges');
      const x = ref?.features.x as NumericProfile;
      expect(x.edges).toHaveLength(FINE_BINS + 1);
      const sorted = rows.map((r) => r.features.x).sort((a, b) => a - b);
      const deciles = quantileEdges(sorted, PSI_BINS);
      // Bit-exact: every 10th fine edge is the decile edge.
      expect(x.edges.filter((_, i) => i % 10 === 0)).toEqual(deciles);
      expect(x.min).toBe(sorted[0]);
      expect(x.max).toBe(sorted[sorted.length - 1]);
      const direct = new Array<number>(PSI_BINS + 2).fill(0);
      for (const v of sorted) direct[linearIndex(deciles, v)] = (direct[linearIndex(deciles, v)] ?? 0) + 1;
      expect(coarsenCounts(x.counts, 10)).toEqual(direct);
      expect(x.counts.reduce((a, b) => a + b, 0)).toBe(1001);
    });

    it('keep raw reference values for exact tests', async () => {
      const rows = referenceRows(300, 3);
      await store.putReference('raw-ref', { rows });
      const values = await store.getReferenceValues('raw-ref', 'x');
      expect(values.kind).toBe('numeric');
      expect(values.values).toEqual(rows.map((r) => r.features.x));
      const labels = await store.getReferenceValues('raw-ref', 'label', { role: 'label' });
      expect(labels.values).toEqual(rows.map((r) => r.label));
    });

    it('keep reference rows row-aligned across features for multivariate methods, missing as null', async () => {
      const rows = referenceRows(300, 5).map((r, i) => ({
        ...r,
        features: {
          ...r.features,
          x: i % 7 === 0 ? null : r.features.x,
          color: i % 11 === 0 ? null : r.features.color,
        },
      }));
      const { result } = await store.putReference('rows-ref', { rows });
      expect(result.accepted).toBe(300);
      const all = await store.getReferenceRows('rows-ref');
      expect(all?.features).toEqual([
        { name: 'color', kind: 'categorical' },
        { name: 'flag', kind: 'categorical' },
        { name: 'x', kind: 'numeric' },
      ]);
      expect(all?.rows).toBe(300);
      expect(all?.truncated).toBe(false);
      expect(all?.referenceId).toBe((await store.getReference('rows-ref'))?.id);
      const picked = await store.getReferenceRows('rows-ref', { features: ['x', 'color', 'unknown'] });
      expect(picked?.features.map((f) => f.name)).toEqual(['x', 'color']);
      expect(picked?.columns[0]).toEqual(rows.map((r) => r.features.x));
      expect(picked?.columns[1]).toEqual(rows.map((r) => r.features.color));
      expect(await store.getReferenceRows('no-such-model')).toBeUndefined();
    });

    it('reject bad reference rows by index and refuse an empty reference', async () => {
      const rows: unknown[] = [...referenceRows(50), { features: { x: 'text' } }, 'not a row', { nofeatures: 1 }];
      const { result } = await store.putReference('bad-ref', { rows, kinds: { x: 'numeric' } });
      expect(result.accepted).toBe(50);
      expect(result.errors.map((e) => e.index)).toEqual([50, 51, 52]);
      expect(result.errors[0]?.reason).toContain('features.x');
      const empty = await store.putReference('empty-ref', { rows: ['x'] });
      expect(empty).toMatchObject({ refused: true, result: { accepted: 0, rejected: 1 } });
      expect(await store.getReference('empty-ref')).toBeUndefined();
    });
  });

  describe('predictions and sketches', () => {
    const span = 3 * DAY_MS;

    async function seed(model: string, rows: GeneratedRow[]) {
      await store.putReference(model, { rows: referenceRows(1000) });
      for (let i = 0; i < rows.length; i += 700) {
        const { result } = await store.ingestPredictions(model, rows.slice(i, i + 700), { nowMs: NOW });
        expect(result.rejected).toBe(0);
      }
    }

    // Sparse rows (3 days) take the per-value path; dense ones (10 minutes, ~70 rows per minute and batch) are
    // summed per minute run first.
    const cases = [MINUTE_MS, 5 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS, 6 * HOUR_MS, DAY_MS].flatMap((bucketMs) => [
      { bucketMs, spanMs: span, density: 'sparse' },
      { bucketMs, spanMs: 10 * MINUTE_MS, density: 'dense' },
    ]);
    it.each(cases)(
      'merge buckets of $bucketMs ms into the counts of the raw rows ($density)',
      async ({ bucketMs, spanMs }) => {
        const rows = predictionRows(3000, 11, spanMs);
        await seed('merge', rows);
        const fromMs = NOW - spanMs - HOUR_MS;
        const sketches = await store.getFeatureSketches({ model: 'merge', fromMs, toMs: NOW + 1, bucketMs });
        expect(sketches?.bucketMs).toBe(bucketMs);
        const ref = sketches?.reference;
        const edges = (ref?.features.x as NumericProfile).edges;
        const categories = ref?.features.color?.kind === 'categorical' ? ref.features.color.categories : [];

        const expectX = new Map<number, { counts: number[]; missing: number; sum: number }>();
        const expectColor = new Map<number, { counts: number[]; unseen: Record<string, number>; missing: number }>();
        for (const row of rows) {
          const bucket = Math.floor(row.timestamp / bucketMs) * bucketMs;
          const x = expectX.get(bucket) ?? { counts: new Array<number>(edges.length + 1).fill(0), missing: 0, sum: 0 };
          if (row.features.x === null) x.missing++;
          else {
            const i = linearIndex(edges, row.features.x);
            x.counts[i] = (x.counts[i] ?? 0) + 1;
            x.sum += row.features.x;
          }
          expectX.set(bucket, x);
          const c = expectColor.get(bucket) ?? { counts: categories.map(() => 0), unseen: {}, missing: 0 };
          const color = row.features.color;
          if (color === null) c.missing++;
          else if (categories.includes(color)) {
            const i = categories.indexOf(color);
            c.counts[i] = (c.counts[i] ?? 0) + 1;
          } else c.unseen[color] = (c.unseen[color] ?? 0) + 1;
          expectColor.set(bucket, c);
        }

        const x = sketches?.series.find((s) => s.role === 'feature' && s.name === 'x');
        expect(x?.buckets.map((b) => b.bucketMs)).toEqual([...expectX.keys()].sort((a, b) => a - b));
        for (const b of x?.buckets ?? []) {
          const e = expectX.get(b.bucketMs);
          expect(Array.from(b.counts)).toEqual(e?.counts);
          expect(b.missing).toBe(e?.missing);
          expect(b.outOfRange).toBe((e?.counts[0] ?? 0) + (e?.counts[e.counts.length - 1] ?? 0));
          expect(b.sum).toBeCloseTo(e?.sum ?? 0, 6);
        }
        const color = sketches?.series.find((s) => s.role === 'feature' && s.name === 'color');
        for (const b of color?.buckets ?? []) {
          const e = expectColor.get(b.bucketMs);
          expect(Array.from(b.counts)).toEqual(e?.counts);
          expect(b.unseenCategories).toEqual(e?.unseen);
          expect(b.unseen).toBe(Object.values(e?.unseen ?? {}).reduce((a, n) => a + n, 0));
          expect(b.missing).toBe(e?.missing);
        }
        const score = sketches?.series.find((s) => s.role === 'score');
        expect(score?.buckets.reduce((n, b) => n + b.count, 0)).toBe(rows.length);
      }
    );

    it('keep raw rows and answer exact reads in time order', async () => {
      const rows = predictionRows(1000, 12, span);
      await seed('raw', rows);
      const fromMs = NOW - DAY_MS;
      const inRange = rows
        .filter((r) => r.timestamp >= fromMs && r.timestamp < NOW)
        .sort((a, b) => a.timestamp - b.timestamp);
      const raw = await store.getRawFeatureValues({ model: 'raw', feature: 'x', fromMs, toMs: NOW });
      expect(raw.kind).toBe('numeric');
      expect([...raw.values].sort()).toEqual(
        inRange
          .map((r) => r.features.x)
          .filter((v): v is number => v !== null)
          .sort()
      );
      expect(raw.missing).toBe(inRange.filter((r) => r.features.x === null).length);
      const eu = await store.getRawFeatureValues({
        model: 'raw',
        feature: 'color',
        fromMs,
        toMs: NOW,
        segment: { field: 'region', value: 'eu' },
      });
      expect(eu.values.length + eu.missing).toBe(inRange.filter((r) => r.segment.region === 'eu').length);
      const one = rows[5];
      const stored = await store.getPrediction('raw', one?.prediction_id ?? '');
      expect(stored).toMatchObject({
        predictionId: one?.prediction_id,
        timestampMs: one?.timestamp,
        features: { x: one?.features.x, color: one?.features.color, flag: String(one?.features.flag) },
        score: one?.score,
        segment: one?.segment,
        label: undefined,
      });
      const listed = await store.getPredictions({ model: 'raw', fromMs, toMs: NOW, limit: 10 });
      expect(listed.map((p) => p.predictionId)).toEqual(inRange.slice(0, 10).map((r) => r.prediction_id));
      // Outputs only: the same rows and outputs, without reading the feature columns.
      const outputs = await store.getPredictions({ model: 'raw', fromMs, toMs: NOW, limit: 10, columns: 'outputs' });
      expect(outputs).toEqual(listed.map((p) => ({ ...p, features: {}, attributions: {} })));
      expect(outputs.some((p) => Object.keys(p.segment).length > 0)).toBe(true);
    });

    it('list models, features, segments and the last ingest time', async () => {
      await seed('lists', predictionRows(100, 13, span));
      expect((await store.listModels()).map((m) => m.model)).toContain('lists');
      expect(await store.listFeatures('lists')).toEqual([
        { name: 'x', kind: 'numeric' },
        { name: 'color', kind: 'categorical' },
        { name: 'flag', kind: 'categorical' },
      ]);
      expect(await store.listSegments('lists')).toEqual([{ field: 'region', values: ['eu', 'us'] }]);
      expect(await store.lastIngestAt('lists')).toBe(NOW);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('bump the data generation on every committed write, and only then', async () => {
      expect(await store.dataGeneration('generations')).toBeUndefined();
      await store.putReference('generations', { rows: referenceRows(200) });
      const afterReference = await store.dataGeneration('generations');
      expect(afterReference).toBeDefined();
      const rows = predictionRows(20, 21, HOUR_MS, 'g');
      await store.ingestPredictions('generations', rows, { nowMs: NOW, idempotencyKey: 'g-1' });
      const afterRows = (await store.dataGeneration('generations')) ?? Number.NaN;
      expect(afterRows).toBeGreaterThan(afterReference ?? Number.NaN);
      // A replayed batch and a batch of only bad rows write nothing, so cached answers stay valid.
      await store.ingestPredictions('generations', rows, { nowMs: NOW, idempotencyKey: 'g-1' });
      await store.ingestPredictions('generations', [{ prediction_id: '' }], { nowMs: NOW });
      expect(await store.dataGeneration('generations')).toBe(afterRows);
      await store.ingestLabels('generations', [{ prediction_id: rows[0]?.prediction_id, label: 'yes' }], {
        nowMs: NOW,
      });
      expect(await store.dataGeneration('generations')).toBeGreaterThan(afterRows);
    });

    it('plan the buckets a sketch query answers with, without reading', async () => {
      await seed('plan', predictionRows(300, 22, span));
      for (const bucketMs of [MINUTE_MS, 90 * MINUTE_MS, DAY_MS]) {
        const query = { model: 'plan', fromMs: NOW - span, toMs: NOW, bucketMs, nowMs: NOW };
        const plan = store.planSketchBuckets(query);
        const result = await store.getFeatureSketches(query);
        expect(plan.bucketMs).toBe(result?.bucketMs);
        expect(plan.granularityMs).toBe(result?.granularityMs);
        for (const series of result?.series ?? []) {
          for (const b of series.buckets) {
            expect(b.bucketMs).toBeGreaterThanOrEqual(plan.firstMs);
            expect(b.bucketMs).toBeLessThan(plan.endMs);
          }
        }
      }
    });

    it('count the raw rows again on a replacing reference, as if it had been there from the start', async () => {
      const rows = predictionRows(900, 23, span, 'rb');
      const labels = rows
        .slice(0, 400)
        .map((r, i) => ({ prediction_id: r.prediction_id, label: i % 3 ? 'yes' : 'no' }));
      // "rebin": reference A, then traffic and labels, then reference B replaces A.
      await store.putReference('rebin', { rows: referenceRows(600, 3) }, { nowMs: NOW });
      await store.ingestPredictions('rebin', rows, { nowMs: NOW });
      await store.ingestLabels('rebin', labels, { nowMs: NOW });
      const replaced = await store.putReference('rebin', { rows: referenceRows(700, 4) }, { nowMs: NOW });
      expect(replaced.result.notices.join(' ')).toMatch(/900 stored prediction rows/);
      // "fresh": reference B from the start, the same traffic and labels.
      await store.putReference('fresh', { rows: referenceRows(700, 4) }, { nowMs: NOW });
      await store.ingestPredictions('fresh', rows, { nowMs: NOW });
      await store.ingestLabels('fresh', labels, { nowMs: NOW });
      for (const bucketMs of [HOUR_MS, DAY_MS]) {
        const query = { fromMs: NOW - span, toMs: NOW + 1, bucketMs, nowMs: NOW };
        const a = await store.getFeatureSketches({ model: 'rebin', ...query });
        const b = await store.getFeatureSketches({ model: 'fresh', ...query });
        expect(a?.reference.rowCount).toBe(700);
        const shape = (r: typeof a) =>
          (r?.series ?? [])
            .map((s) => ({
              role: s.role,
              name: s.name,
              buckets: s.buckets.map((k) => ({ ...k, counts: [...k.counts] })),
            }))
            .sort((x, y) => `${x.role}/${x.name}`.localeCompare(`${y.role}/${y.name}`));
        expect(shape(a).length).toBeGreaterThan(3);
        expect(shape(a)).toEqual(shape(b));
      }
    });

    it('report bad rows by index and keep the good ones', async () => {
      await store.putReference('bad', { rows: referenceRows(200) });
      const good = predictionRows(5, 14, HOUR_MS);
      const rows: unknown[] = [
        good[0],
        { ...good[1], prediction_id: undefined },
        { ...good[2], timestamp: 'yesterday' },
        { ...good[3], features: { ...good[3]?.features, x: 'high' } },
        good[4],
        42,
      ];
      const { result } = await store.ingestPredictions('bad', rows, { nowMs: NOW });
      expect(result).toMatchObject({ accepted: 2, rejected: 4, duplicates: 0 });
      expect(result.errors.map((e) => e.index)).toEqual([1, 2, 3, 5]);
      expect(result.errors[0]?.reason).toBe('missing prediction_id');
      expect(result.errors[1]?.reason).toContain('timestamp');
      expect(result.errors[2]?.reason).toContain('features.x');
      const stored = await store.getPredictions({ model: 'bad', fromMs: 0, toMs: NOW + 1 });
      expect(stored.map((p) => p.predictionId).sort()).toEqual([good[0]?.prediction_id, good[4]?.prediction_id].sort());
      const sketches = await store.getFeatureSketches({ model: 'bad', fromMs: 0, toMs: NOW + 1, bucketMs: DAY_MS });
      const x = sketches?.series.find((s) => s.name === 'x');
      expect(x?.buckets.reduce((n, b) => n + b.typeErrors, 0)).toBe(1);
      const unknown = await store.ingestPredictions('nobody', [good[0]], { nowMs: NOW });
      expect(unknown.result.errors[0]?.reason).toContain('unknown model');
    });

    it('refuse the whole batch with atomic and write nothing', async () => {
      await store.putReference('atomic', { rows: referenceRows(200) });
      const rows: unknown[] = [...predictionRows(20, 15, HOUR_MS), { prediction_id: 'x', timestamp: NOW }];
      const outcome = await store.ingestPredictions('atomic', rows, { nowMs: NOW, atomic: true });
      expect(outcome.refused).toBe(true);
      expect(outcome.result).toMatchObject({ accepted: 0, rejected: 1 });
      expect(await store.getPredictions({ model: 'atomic', fromMs: 0, toMs: NOW + 1 })).toEqual([]);
      const sketches = await store.getFeatureSketches({ model: 'atomic', fromMs: 0, toMs: NOW + 1, bucketMs: DAY_MS });
      expect(sketches?.series.every((s) => s.buckets.length === 0)).toBe(true);
    });

    it('count a batch sent twice with the same idempotency key once', async () => {
      await store.putReference('idem', { rows: referenceRows(200) });
      const rows = predictionRows(300, 16, HOUR_MS);
      const first = await store.ingestPredictions('idem', rows, {
        nowMs: NOW,
        idempotencyKey: 'batch-1',
        bodyHash: 'h1',
      });
      const second = await store.ingestPredictions('idem', rows, {
        nowMs: NOW,
        idempotencyKey: 'batch-1',
        bodyHash: 'h1',
      });
      expect(second.replayed).toBe(true);
      expect(second.result).toEqual(first.result);
      const sketches = await store.getFeatureSketches({ model: 'idem', fromMs: 0, toMs: NOW + 1, bucketMs: DAY_MS });
      const x = sketches?.series.find((s) => s.name === 'x');
      expect(x?.buckets.reduce((n, b) => n + b.count + b.missing, 0)).toBe(300);
      await expect(
        store.ingestPredictions('idem', rows.slice(1), { nowMs: NOW, idempotencyKey: 'batch-1', bodyHash: 'h2' })
      ).rejects.toMatchObject({ statusCode: 409 });
      // Without a key, a resent row (same id and timestamp) is a duplicate, not a new row.
      const resent = await store.ingestPredictions('idem', rows.slice(0, 50), { nowMs: NOW });
      expect(resent.result).toMatchObject({ accepted: 0, duplicates: 50 });
      const again = await store.getFeatureSketches({ model: 'idem', fromMs: 0, toMs: NOW + 1, bucketMs: DAY_MS });
      expect(again?.series.find((s) => s.name === 'x')?.buckets.reduce((n, b) => n + b.count + b.missing, 0)).toBe(300);
    });

    it('count a row repeated in one batch once, and keep extra features and attributions', async () => {
      await store.putReference('extras', { rows: referenceRows(200) });
      const row = {
        prediction_id: 'r1',
        timestamp: NOW - 1000,
        features: { x: 50, color: 'red', flag: 1, extra: 'v1' },
        attributions: { x: 0.5, color: -0.25 },
      };
      const { result } = await store.ingestPredictions('extras', [row, row, { ...row, timestamp: NOW - 500 }], {
        nowMs: NOW,
      });
      expect(result).toMatchObject({ accepted: 2, duplicates: 1, rejected: 0 });
      const stored = await store.getPrediction('extras', 'r1');
      expect(stored?.timestampMs).toBe(NOW - 500);
      expect(stored?.features.extra).toBe('v1');
      expect(stored?.attributions).toEqual({ x: 0.5, color: -0.25 });
      const sketches = await store.getFeatureSketches({
        model: 'extras',
        roles: ['attribution'],
        fromMs: 0,
        toMs: NOW + 1,
        bucketMs: DAY_MS,
      });
      expect(sketches?.series.find((s) => s.name === 'x')?.buckets[0]).toMatchObject({ count: 2, sum: 1, absSum: 1 });
      const nested = { ...row, prediction_id: 'r2', features: { ...row.features, extra: { nested: 1 } } };
      const bad = await store.ingestPredictions('extras', [nested], { nowMs: NOW });
      expect(bad.result.errors[0]?.reason).toContain('features.extra');
    });

    it('use the reference of the row version, else the default one', async () => {
      await store.putReference('versions', { rows: referenceRows(200, 1) });
      await store.putReference('versions', { version: '2', rows: referenceRows(200, 2) });
      const rows = predictionRows(40, 17, HOUR_MS).map((r, i) => ({ ...r, version: i % 2 === 0 ? '2' : '1' }));
      await store.ingestPredictions('versions', rows, { nowMs: NOW });
      const v2 = await store.getFeatureSketches({
        model: 'versions',
        version: '2',
        fromMs: 0,
        toMs: NOW + 1,
        bucketMs: DAY_MS,
      });
      expect(v2?.reference.version).toBe('2');
      expect(v2?.series.find((s) => s.name === 'x')?.buckets.reduce((n, b) => n + b.count + b.missing, 0)).toBe(20);
      const v1 = await store.getFeatureSketches({
        model: 'versions',
        version: '1',
        fromMs: 0,
        toMs: NOW + 1,
        bucketMs: DAY_MS,
      });
      expect(v1?.reference.version).toBeNull();
      expect(v1?.series.find((s) => s.name === 'x')?.buckets.reduce((n, b) => n + b.count + b.missing, 0)).toBe(20);
    });
  });

  describe('labels', () => {
    it('join late labels to their predictions, replace changed ones and report unknown ids', async () => {
      await store.putReference('labels', { rows: referenceRows(300) });
      const rows = predictionRows(200, 18, DAY_MS);
      await store.ingestPredictions('labels', rows, { nowMs: NOW });
      const later = NOW + 3 * DAY_MS;
      const labels = rows
        .slice(0, 50)
        .map((r, i) => ({ prediction_id: r.prediction_id, label: i % 2 === 0 ? 'yes' : 'no' }));
      const first = await store.ingestLabels('labels', [...labels, { prediction_id: 'nope', label: 'yes' }], {
        nowMs: later,
      });
      expect(first.result).toMatchObject({ accepted: 50, rejected: 1, duplicates: 0 });
      expect(first.result.errors[0]).toMatchObject({ index: 50 });

      const joined = await store.getLabeledPredictions({ model: 'labels', fromMs: 0, toMs: NOW + 1 });
      expect(joined).toHaveLength(50);
      const byId = new Map(rows.map((r) => [r.prediction_id, r]));
      for (const j of joined) {
        const row = byId.get(j.predictionId);
        expect(j.timestampMs).toBe(row?.timestamp);
        expect(j.prediction).toBe(row?.prediction);
        expect(j.score).toBe(row?.score);
        expect(j.segment).toEqual(row?.segment);
        expect(j.labelTimestampMs).toBe(later);
      }

      const sameAgain = await store.ingestLabels('labels', labels.slice(0, 10), { nowMs: later });
      expect(sameAgain.result).toMatchObject({ accepted: 0, duplicates: 10 });
      const flipped = labels.slice(0, 10).map((l) => ({ ...l, label: l.label === 'yes' ? 'no' : 'yes' }));
      expect((await store.ingestLabels('labels', flipped, { nowMs: later })).result.accepted).toBe(10);

      const sketches = await store.getFeatureSketches({
        model: 'labels',
        roles: ['label'],
        fromMs: 0,
        toMs: NOW + 1,
        bucketMs: DAY_MS,
      });
      const label = sketches?.series.find((s) => s.role === 'label');
      const total = label?.buckets.reduce((n, b) => n + b.count, 0);
      expect(total).toBe(50);
      const categories = sketches?.reference.label?.kind === 'categorical' ? sketches.reference.label.categories : [];
      const yes = label?.buckets.reduce((n, b) => n + (b.counts[categories.indexOf('yes')] ?? 0), 0);
      const expectedYes = [...flipped, ...labels.slice(10)].filter((l) => l.label === 'yes').length;
      expect(yes).toBe(expectedYes);
      const one = await store.getPrediction('labels', flipped[0]?.prediction_id ?? '');
      expect(one?.label).toBe(flipped[0]?.label);
    });
  });

  describe('performance summaries', () => {
    /** Per hour: the summary's metrics next to the row-level ones of the same hour's labelled rows. */
    async function compareWithRows(s: DriftStore, model: string, segment?: { field: string; value: string }) {
      const window = { model, fromMs: NOW - 2 * DAY_MS, toMs: NOW + HOUR_MS };
      const stored = await s.getPerformanceSummaries({
        ...window,
        granularityMs: HOUR_MS,
        nowMs: NOW,
        ...(segment ? { segment } : {}),
      });
      const rows = await s.getLabeledPredictions({ ...window, limit: 1e6, ...(segment ? { segment } : {}) });
      const hours = new Map<number, typeof rows>();
      for (const r of rows) {
        const h = Math.floor(r.timestampMs / HOUR_MS) * HOUR_MS;
        hours.set(h, [...(hours.get(h) ?? []), r]);
      }
      expect(stored?.buckets.map((b) => b.bucketMs)).toEqual([...hours.keys()].sort((a, b) => a - b));
      const merged = new PerformanceSummary();
      for (const b of stored?.buckets ?? []) merged.merge(b.summary);
      const setup = classSetupOfSummary(merged);
      for (const b of stored?.buckets ?? []) {
        const exact = evaluateClassification(hours.get(b.bucketMs) ?? [], setup);
        const summarised = evaluateClassificationSummary(b.summary, setup);
        expect(summarised.labelledRows).toBe(exact.labelledRows);
        for (const m of ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'ece'] as const) {
          const want = exact.metrics[m].value;
          if (want === null) expect(summarised.metrics[m].value).toBeNull();
          else expect(Math.abs((summarised.metrics[m].value as number) - want)).toBeLessThanOrEqual(1e-9);
        }
      }
      return stored?.buckets.length ?? 0;
    }

    async function labelled(s: DriftStore, model: string) {
      await s.putReference(model, { rows: referenceRows(300) });
      const rows = predictionRows(400, 31, DAY_MS);
      await s.ingestPredictions(model, rows, { nowMs: NOW });
      const random = seededRandom(32);
      const labels = rows
        .slice(0, 300)
        .map((r) => ({ prediction_id: r.prediction_id, label: random() < 0.5 ? 'yes' : 'no' }));
      await s.ingestLabels(model, labels, { nowMs: NOW + HOUR_MS });
      // A changed label replaces the old one in the summaries as in the labels table.
      const flipped = labels.slice(0, 40).map((l) => ({ ...l, label: l.label === 'yes' ? 'no' : 'yes' }));
      await s.ingestLabels(model, flipped, { nowMs: NOW + HOUR_MS });
    }

    it('are written with each label join and give the row-level metrics, per segment too', async () => {
      await labelled(store, 'perf-summaries');
      expect(await compareWithRows(store, 'perf-summaries')).toBeGreaterThan(10);
      expect(await compareWithRows(store, 'perf-summaries', { field: 'region', value: 'eu' })).toBeGreaterThan(5);
      const minutes = await store.getPerformanceSummaries({
        model: 'perf-summaries',
        fromMs: NOW - DAY_MS,
        toMs: NOW + HOUR_MS,
        granularityMs: MINUTE_MS,
        nowMs: NOW,
      });
      expect(minutes?.buckets.reduce((n, b) => n + b.summary.labelled, 0)).toBe(300);
    });

    it('are not written twice by a replayed batch', async () => {
      await store.putReference('perf-replay', { rows: referenceRows(300) });
      const rows = predictionRows(50, 33, HOUR_MS);
      await store.ingestPredictions('perf-replay', rows, { nowMs: NOW });
      const labels = rows.map((r) => ({ prediction_id: r.prediction_id, label: 'yes' }));
      await store.ingestLabels('perf-replay', labels, { nowMs: NOW, idempotencyKey: 'k1' });
      const again = await store.ingestLabels('perf-replay', labels, { nowMs: NOW, idempotencyKey: 'k1' });
      expect(again.replayed).toBe(true);
      const stored = await store.getPerformanceSummaries({
        model: 'perf-replay',
        fromMs: NOW - DAY_MS,
        toMs: NOW + HOUR_MS,
        granularityMs: HOUR_MS,
        nowMs: NOW,
      });
      expect(stored?.buckets.reduce((n, b) => n + b.summary.labelled, 0)).toBe(50);
    });

    it('are back-filled by the migration from a store written before they existed', async () => {
      const client = await engine.freshClient();
      const shared = new SqlDriftStore(client, options);
      try {
        await migrate(client);
        await labelled(shared, 'perf-backfill');
        const read = () =>
          shared.getPerformanceSummaries({
            model: 'perf-backfill',
            fromMs: NOW - 2 * DAY_MS,
            toMs: NOW + HOUR_MS,
            granularityMs: HOUR_MS,
            nowMs: NOW,
          });
        const written = await read();
        // What the previous release left: labels, no summaries table, schema at version 2.
        await client.transaction(async (tx) => {
          await tx.run('DROP TABLE performance_summaries');
          await tx.run('DELETE FROM schema_migrations WHERE version = 3');
        });
        expect(await migrate(client)).toEqual([3]);
        const backfilled = await read();
        expect(backfilled?.buckets.map((b) => b.bucketMs)).toEqual(written?.buckets.map((b) => b.bucketMs));
        backfilled?.buckets.forEach((b, i) => {
          const w = written?.buckets[i]?.summary;
          expect(b.summary.labelled).toBe(w?.labelled);
          expect([...b.summary.pairs].sort()).toEqual([...(w?.pairs ?? [])].sort());
          for (const [k, stats] of b.summary.binary) {
            expect(stats.n).toBe(w?.binary.get(k)?.n);
            expect([...stats.hist]).toEqual([...(w?.binary.get(k)?.hist ?? [])]);
            expect(Math.abs(stats.logPositive - (w?.binary.get(k)?.logPositive ?? NaN))).toBeLessThan(1e-9);
          }
        });
        expect(await compareWithRows(shared, 'perf-backfill')).toBeGreaterThan(10);
      } finally {
        await shared.close();
      }
    });
  });

  // Replicas share PostgreSQL only: SQLite is the embedded store of one proxy process (two connections in one
  // process would wait on each other's write lock inside one event loop).
  // Registered for PostgreSQL only (not skipped for SQLite): the suite runs nothing it does not mean.
  const replicas = engine.name === 'postgres' ? describe : () => undefined;
  replicas('replicas sharing one database', () => {
    it('store a batch sent to two replicas at once only once', async () => {
      const [a, b] = await engine.openShared(options);
      try {
        await a.putReference('shared', { rows: referenceRows(200) });
        const rows = predictionRows(400, 20, HOUR_MS);
        const [first, second] = await Promise.all([
          a.ingestPredictions('shared', rows, { nowMs: NOW }),
          b.ingestPredictions('shared', rows, { nowMs: NOW }),
        ]);
        expect(first.result.accepted + second.result.accepted).toBe(400);
        expect(first.result.duplicates + second.result.duplicates).toBe(400);
        const keyed = predictionRows(100, 21, HOUR_MS);
        const opts = { nowMs: NOW, idempotencyKey: 'k', bodyHash: 'same' };
        const outcomes = await Promise.all([
          a.ingestPredictions('shared', keyed, opts),
          b.ingestPredictions('shared', keyed, opts),
        ]);
        expect(outcomes.filter((o) => o.replayed)).toHaveLength(1);
        for (const store of [a, b]) {
          const sketches = await store.getFeatureSketches({
            model: 'shared',
            fromMs: 0,
            toMs: NOW + 1,
            bucketMs: DAY_MS,
          });
          const x = sketches?.series.find((s) => s.name === 'x');
          expect(x?.buckets.reduce((n, bucket) => n + bucket.count + bucket.missing, 0)).toBe(500);
        }
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  describe('retention', () => {
    it('prune raw rows and minute sketches past their retention', async () => {
      await store.putReference('prune', { rows: referenceRows(200) });
      await store.ingestPredictions('prune', predictionRows(100, 19, HOUR_MS), { nowMs: NOW });
      const result = await store.prune(NOW + 400 * DAY_MS);
      expect(result.chunks).toBeGreaterThan(0);
      expect(await store.getPredictions({ model: 'prune', fromMs: 0, toMs: NOW + 1 })).toEqual([]);
      const days = await store.getFeatureSketches({ model: 'prune', fromMs: 0, toMs: NOW + 1, bucketMs: DAY_MS });
      expect(days?.series.find((s) => s.name === 'x')?.buckets.length).toBeGreaterThan(0);
      const minutes = await store.getFeatureSketches({
        model: 'prune',
        fromMs: NOW - 2 * HOUR_MS,
        toMs: NOW + 1,
        bucketMs: MINUTE_MS,
        nowMs: NOW,
      });
      expect(minutes?.granularityMs).toBe(MINUTE_MS);
      expect(minutes?.series.every((s) => s.buckets.length === 0)).toBe(true);
    });

    it('answer with coarser buckets when the range starts before the minute retention', async () => {
      await store.putReference('coarse', { rows: referenceRows(200) });
      await store.ingestPredictions('coarse', predictionRows(100, 22, HOUR_MS), { nowMs: NOW });
      const query = { model: 'coarse', fromMs: NOW - 2 * HOUR_MS, toMs: NOW + 1, bucketMs: 5 * MINUTE_MS };
      const recent = await store.getFeatureSketches({ ...query, nowMs: NOW });
      expect(recent).toMatchObject({ bucketMs: 5 * MINUTE_MS, granularityMs: MINUTE_MS });
      const later = await store.getFeatureSketches({ ...query, nowMs: NOW + 40 * DAY_MS });
      expect(later).toMatchObject({ bucketMs: HOUR_MS, granularityMs: HOUR_MS });
      const total = (r: typeof later) =>
        r?.series.find((s) => s.name === 'x')?.buckets.reduce((n, b) => n + b.count + b.missing, 0);
      expect(total(later)).toBe(100);
      expect(total(recent)).toBe(100);
    });
  });
});
