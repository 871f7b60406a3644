import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DataFrameJSON,
  DRIFT_TARGET_ROWS,
  type DriftFieldCustom,
  frameRows,
  type QueryResponse,
} from '@mlsight/contract';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../backend-proxy/src/config/config';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { computeModelSnapshot, snapshotSamples, targetDriftContributor } from '../../backend-proxy/src/monitor';
import { buildApp } from '../../backend-proxy/src/server/app';
import { mlflowFromConfig } from '../../backend-proxy/src/server/mlflowFromConfig';
import { type DriftStore, openStore } from '../../backend-proxy/src/store';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { readState } from '../support/proxyHarness';

/**
 * Prediction and label drift on both store engines (SQLite and PostgreSQL), through the real proxy (HTTP routes,
 * real MLflow from globalSetup) and the real monitor: a demo-like credit model — binary categorical prediction
 * (approve / decline) and delayed binary label (repaid / default), 150 predictions an hour for a day — whose
 * applicants worsen from hour 12 (approvals .7 → .5, defaults .2 → .35) is flagged on the heatmap's target rows,
 * in the whole-window rows and in the monitor's gauges, while the same model on healthy traffic stays calm. Labels
 * arrive for the first 20 hours only, as delayed labels do.
 */
const HOUR = 3_600_000;
const HOURS = 24;
const PER_HOUR = 150;
const ONSET_HOUR = 12;
const LABELLED_HOURS = 20;
const END = Math.floor(Date.now() / HOUR) * HOUR;
const START = END - HOURS * HOUR;

type Traffic = 'healthy' | 'drifted';

function applicant(random: () => number, worse: boolean) {
  const approve = random() < (worse ? 0.5 : 0.7);
  const defaulted = random() < (worse ? 0.35 : 0.2);
  return {
    features: { income: Math.round(random() * 1e5) / 10, channel: random() < 0.5 ? 'web' : 'branch' },
    prediction: approve ? 'approve' : 'decline',
    label: defaulted ? 'default' : 'repaid',
  };
}

const reference = (() => {
  const random = seededRandom(31);
  return Array.from({ length: 4000 }, () => applicant(random, false));
})();

function traffic(kind: Traffic, seed: number) {
  const random = seededRandom(seed);
  return Array.from({ length: HOURS * PER_HOUR }, (_, i) => {
    const hour = Math.floor(i / PER_HOUR);
    return {
      prediction_id: `${kind}-${i}`,
      timestamp: START + hour * HOUR + (i % PER_HOUR) * 20_000,
      ...applicant(random, kind === 'drifted' && hour >= ONSET_HOUR),
    };
  });
}

const state = readState();

describe.each(['sqlite', 'postgres'] as const)('prediction and label drift on %s', (engine) => {
  let postgres: PostgresServer | undefined;
  let dir: string;
  let store: DriftStore;
  let app: FastifyInstance;

  async function frames(queryType: string, model: string, extra: Record<string, unknown> = {}, from = START) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/query',
      payload: {
        from: String(from),
        to: String(END),
        intervalMs: HOUR,
        queries: [{ refId: 'A', queryType, model, ...extra }],
      },
    });
    expect(response.statusCode).toBe(200);
    const result = (response.json() as QueryResponse).results.A;
    if (!result || result.error) throw new Error(`${queryType} failed: ${result?.error ?? 'no result'}`);
    return result.frames;
  }

  /** The per-hour verdicts of one heatmap row. */
  function verdictsOf(frame: DataFrameJSON, row: string): Array<boolean | null> {
    const field = frame.schema.fields.find((f) => f.name === 'score' && f.labels?.feature === row);
    if (!field) throw new Error(`no heatmap row ${row}`);
    return (field.config?.custom as unknown as DriftFieldCustom).drifted;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `mlsight-it-target-${engine}-`));
    if (engine === 'postgres') postgres = await startPostgres({ fsync: false });
    store = await openStore(
      postgres
        ? { engine: 'postgres', databaseUrl: postgres.url }
        : { engine: 'sqlite', sqlitePath: join(dir, 'drift.db') }
    );
    const config = loadConfig({
      MLSIGHT_AUTH: 'off',
      MLSIGHT_MLFLOW_URL: state.url,
      MLSIGHT_LOG_LEVEL: 'silent',
      MLSIGHT_MONITOR_INTERVAL: '0',
    });
    app = await buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), store, logger: false });
    for (const [kind, seed] of [
      ['healthy', 41],
      ['drifted', 42],
    ] as const) {
      const put = await app.inject({
        method: 'PUT',
        url: `/api/v1/models/credit-${kind}/reference`,
        payload: { prediction_kind: 'categorical', label_kind: 'categorical', rows: reference },
      });
      expect(put.statusCode).toBe(200);
      const rows = traffic(kind, seed);
      const sent = await app.inject({
        method: 'POST',
        url: `/api/v1/models/credit-${kind}/predictions`,
        payload: { rows: rows.map(({ label: _label, ...prediction }) => prediction) },
      });
      expect(sent.json()).toMatchObject({ accepted: rows.length, rejected: 0 });
      const labelled = rows.filter((r) => r.timestamp < START + LABELLED_HOURS * HOUR);
      const labels = await app.inject({
        method: 'POST',
        url: `/api/v1/models/credit-${kind}/labels`,
        payload: { rows: labelled.map((r) => ({ prediction_id: r.prediction_id, label: r.label })) },
      });
      expect(labels.json()).toMatchObject({ accepted: labelled.length, rejected: 0 });
    }
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags the drifted target on the heatmap rows after the onset and keeps the healthy one calm', async () => {
    const [drifted] = (await frames('drift_heatmap', 'credit-drifted', { includeTargets: true })) as [DataFrameJSON];
    const [healthy] = (await frames('drift_heatmap', 'credit-healthy', { includeTargets: true })) as [DataFrameJSON];
    const share = (cells: Array<boolean | null>) => cells.filter((d) => d === true).length / cells.length;
    for (const row of [DRIFT_TARGET_ROWS.prediction, DRIFT_TARGET_ROWS.label]) {
      const after = verdictsOf(drifted, row).slice(
        ONSET_HOUR,
        row === DRIFT_TARGET_ROWS.label ? LABELLED_HOURS : HOURS
      );
      expect({ row, flaggedAfterOnset: share(after) >= 0.75 }).toEqual({ row, flaggedAfterOnset: true });
      // 24 healthy cells at a 1 % false-alarm rate: two or more flags happen in under 3 % of runs (seeds fixed).
      const flags = (cells: Array<boolean | null>) => cells.filter((d) => d === true).length;
      expect({ row, healthyFlags: flags(verdictsOf(healthy, row)) <= 1 }).toEqual({ row, healthyFlags: true });
      const beforeOnset = flags(verdictsOf(drifted, row).slice(0, ONSET_HOUR));
      expect({ row, beforeOnset: beforeOnset <= 1 }).toEqual({ row, beforeOnset: true });
    }
    // The hours whose labels have not arrived have no label verdict.
    expect(verdictsOf(drifted, DRIFT_TARGET_ROWS.label).slice(LABELLED_HOURS)).toEqual([null, null, null, null]);
  });

  it('judges the whole window: the drifted target drifts, the healthy one does not', async () => {
    const verdict = async (queryType: string, model: string, from: number) => {
      const answer = await frames(queryType, model, {}, from);
      const window = answer.find((f) => f.schema.name === `${queryType}_window`);
      return window ? frameRows(window)[0]?.verdict : undefined;
    };
    const afterOnset = START + ONSET_HOUR * HOUR;
    expect(await verdict('prediction_drift', 'credit-drifted', afterOnset)).toBe('drift');
    expect(await verdict('label_drift', 'credit-drifted', afterOnset)).toBe('drift');
    expect(await verdict('prediction_drift', 'credit-healthy', START)).toBe('no drift');
    expect(await verdict('label_drift', 'credit-healthy', START)).toBe('no drift');
  });

  it("exports the monitor's prediction and label drift gauges", async () => {
    const gauges = async (model: string) => {
      // The last labelled hour: the monitor's window with the two before it, all after the onset.
      const window = { fromMs: START + (LABELLED_HOURS - 1) * HOUR, toMs: START + LABELLED_HOURS * HOUR - 1 };
      const snapshot = await computeModelSnapshot(store, model, window, { contributors: [targetDriftContributor()] });
      expect(snapshot.contributorErrors).toEqual([]);
      return Object.fromEntries(
        snapshotSamples(snapshot)
          .filter((s) => /^mlsight_(prediction|label)_drift/.test(s.name))
          .map((s) => [s.name, s.value])
      );
    };
    expect(await gauges('credit-drifted')).toMatchObject({ mlsight_prediction_drifted: 1, mlsight_label_drifted: 1 });
    expect(await gauges('credit-healthy')).toMatchObject({ mlsight_prediction_drifted: 0, mlsight_label_drifted: 0 });
  });
});
