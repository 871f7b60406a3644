import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataFrameJSON, fieldValues, type QueryOf } from '@mlsight/contract';
import { loadConfig } from '../../config/config';
import { seededRandom } from '../../stats/testRandom';
import { mlflowFromConfig } from '../../server/mlflowFromConfig';
import { openSqliteStore } from '../../store/sqliteStore';
import type { DriftStore } from '../../store/types';
import type { QueryContext } from '../context';
import { performanceHandler } from './performanceHandler';

const HOUR = 3_600_000;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;
/** Two days of predictions, 150 an hour; a window whose ends fall inside stored hours and minutes. */
const START = NOW - 48 * HOUR;
const WINDOW = { fromMs: START + 5 * HOUR + 1_234_567, toMs: NOW - 3 * HOUR - 765_432 };
const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece'] as const;

const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });

function context(store: DriftStore, intervalMs: number): QueryContext {
  return {
    window: { ...WINDOW, intervalMs, maxDataPoints: 1000 },
    mlflow: mlflowFromConfig(config.mlflow),
    mlflowCall: {},
    store,
    config,
    log: { info: () => undefined, warn: () => undefined } as unknown as QueryContext['log'],
  };
}

const ask = (store: DriftStore, intervalMs: number, extra: Partial<QueryOf<'performance'>> = {}) =>
  performanceHandler({ refId: 'A', queryType: 'performance', model: 'm', ...extra }, context(store, intervalMs));

const values = (frames: DataFrameJSON[], name: string) =>
  (frames[0] ? fieldValues(frames[0], name) : []) as Array<number | null>;

/** The summaries' answer equals the rows' within 1e-9, ROC AUC within the bound its notice states. */
function expectSameAnswer(summaries: DataFrameJSON[], rows: DataFrameJSON[]): void {
  expect(summaries[0]?.schema.meta?.custom?.source).toBe('summaries');
  expect(rows[0]?.schema.meta?.custom?.source).toBe('rows');
  expect(values(summaries, 'time')).toEqual(values(rows, 'time'));
  expect(values(summaries, 'labelled_rows')).toEqual(values(rows, 'labelled_rows'));
  const notice = summaries[0]?.schema.meta?.notices?.find((n) => n.text.startsWith('ROC AUC from'))?.text ?? '';
  const bound = Number(/within ±([0-9.e+-]+)/.exec(notice)?.[1]);
  expect(bound).toBeGreaterThan(0);
  for (const m of METRICS) {
    const want = values(rows, m);
    values(summaries, m).forEach((v, i) => {
      expect(Math.abs((v as number) - (want[i] as number))).toBeLessThanOrEqual(m === 'roc_auc' ? bound : 1e-9);
    });
  }
  expect(fieldValues(summaries[1] as DataFrameJSON, 'rows')).toEqual(fieldValues(rows[1] as DataFrameJSON, 'rows'));
}

describe('performance from per-bucket summaries', () => {
  let dir: string;
  let store: DriftStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-perf-summaries-'));
    store = await openSqliteStore(join(dir, 'store.db'));
    await store.putReference('m', { rows: [0, 1].map((x) => ({ features: { x } })) });
    const random = seededRandom(17);
    const rows = Array.from({ length: 48 * 150 }, (_, i) => {
      const score = Math.round(random() * 1e4) / 1e4;
      return {
        prediction_id: `p${i}`,
        timestamp: START + i * 24_000,
        features: { x: i % 2 },
        prediction: score >= 0.5 ? 1 : 0,
        score,
        segment: { region: i % 3 === 0 ? 'eu' : 'us' },
        label: random() < score ? 1 : 0,
      };
    });
    await store.ingestPredictions('m', rows, { nowMs: NOW });
    await store.ingestLabels(
      'm',
      rows.map((r) => ({ prediction_id: r.prediction_id, label: r.label })),
      { nowMs: NOW }
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('give the row-level metrics per hour over a window with unaligned ends (exact: false vs exact: true)', async () => {
    expectSameAnswer(await ask(store, HOUR, { exact: false }), await ask(store, HOUR, { exact: true }));
  });

  it('give them per 5 minutes (minute summaries) and per segment', async () => {
    expectSameAnswer(await ask(store, 300_000, { exact: false }), await ask(store, 300_000, { exact: true }));
    const segment = { segment: 'region=eu' };
    expectSameAnswer(
      await ask(store, 2 * HOUR, { exact: false, ...segment }),
      await ask(store, 2 * HOUR, { exact: true, ...segment })
    );
  });

  it('answer the whole-window bucket of kpis and the monitor (a bucket size that is not whole minutes)', async () => {
    const span = WINDOW.toMs + 1;
    const [frame] = await ask(store, span, { exact: false });
    expect(values([frame as DataFrameJSON], 'time')).toHaveLength(1);
    expectSameAnswer(await ask(store, span, { exact: false }), await ask(store, span, { exact: true }));
  });

  it('read the rows for a small window unless exact: false or ROC AUC is not asked', async () => {
    const small = (extra: Partial<QueryOf<'performance'>>) =>
      performanceHandler(
        { refId: 'A', queryType: 'performance', model: 'm', ...extra },
        {
          ...context(store, HOUR),
          window: { fromMs: START, toMs: START + 10 * HOUR, intervalMs: HOUR, maxDataPoints: 10 },
        }
      );
    expect((await small({}))[0]?.schema.meta?.custom?.source).toBe('rows');
    expect((await small({ exact: false }))[0]?.schema.meta?.custom?.source).toBe('summaries');
    expect((await small({ metrics: ['accuracy'] }))[0]?.schema.meta?.custom?.source).toBe('summaries');
  });
});
