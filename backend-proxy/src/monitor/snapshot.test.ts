import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFrameJSON } from '@mlsight/contract';
import { DEFAULT_FALSE_ALARM_RATE } from '../stats';
import { categoricalSample, normalSample, seededRandom } from '../stats/testRandom';
import type { QueryContext } from '../queries/context';
import { datasetDriftHandler, featureDriftHandler } from '../queries/drift/driftHandlers';
import { openSqliteStore } from '../store/sqliteStore';
import type { DriftStore } from '../store/types';
import type { MonitorSample } from './gaugeCatalog';
import { computeModelSnapshot, type SnapshotContributor, snapshotSamples } from './snapshot';

const NOW = Date.now();
const HOUR = 3_600_000;
const WINDOW = { fromMs: NOW - HOUR, toMs: NOW };
const CHANNELS = ['web', 'app', 'phone'];

let dir: string;
let store: DriftStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlsight-monitor-test-'));
  store = await openSqliteStore(join(dir, 'store.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function putReference(model: string, version?: string) {
  const rand = seededRandom(7);
  const amounts = normalSample(rand, 400, 50, 10);
  const channels = categoricalSample(rand, 400, CHANNELS, [0.5, 0.3, 0.2]);
  const outcome = await store.putReference(model, {
    ...(version ? { version } : {}),
    rows: amounts.map((amount, i) => ({ features: { amount, channel: channels[i] }, prediction: i % 2 })),
  });
  expect(outcome.result.accepted).toBe(400);
}

/** Window rows: `amount` shifted by `shift`, a few missing, out-of-range, unseen and wrongly typed values. */
function windowRows(n: number, shift: number, seed: number, version = '1') {
  const rand = seededRandom(seed);
  const amounts = normalSample(rand, n, 50 + shift, 10);
  const channels = categoricalSample(rand, n, CHANNELS, [0.5, 0.3, 0.2]);
  return amounts.map((amount, i) => ({
    prediction_id: `p-${seed}-${i}`,
    timestamp: NOW - 60_000 - i * 1000,
    version,
    features: {
      amount: i % 17 === 0 ? null : i % 29 === 0 ? 10_000 : i % 41 === 0 ? 'not a number' : amount,
      channel: i % 23 === 0 ? 'fax' : channels[i],
    },
    prediction: i % 2,
  }));
}

function column(frame: DataFrameJSON | undefined, name: string): unknown[] {
  const index = frame?.schema?.fields.findIndex((f) => f.name === name) ?? -1;
  return (frame?.data?.values[index] as unknown[] | undefined) ?? [];
}

function find(samples: readonly MonitorSample[], name: string, labels: Record<string, string>) {
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => (s.labels as Record<string, string>)[k] === v)
  );
}

describe('computeModelSnapshot', () => {
  it('gives the drift verdicts, scores and sample sizes the dataset_drift and feature_drift queries give', async () => {
    await putReference('credit');
    await store.ingestPredictions('credit', windowRows(300, 25, 11));
    const snapshot = await computeModelSnapshot(store, 'credit', WINDOW, { nowMs: NOW });

    const ctx = { store, window: { ...WINDOW, intervalMs: 60_000, maxDataPoints: 100 } } as unknown as QueryContext;
    // The monitor tests its window alone and pooled with the windows before it (none here), each at half the
    // default false-alarm rate: the queries at that rate give the same answer.
    const rate = { falseAlarmRate: DEFAULT_FALSE_ALARM_RATE / 2 };
    const [table] = await featureDriftHandler(
      { refId: 'A', queryType: 'feature_drift', model: 'credit', ...rate },
      ctx
    );
    const [dataset] = await datasetDriftHandler(
      { refId: 'B', queryType: 'dataset_drift', model: 'credit', ...rate },
      ctx
    );

    expect(snapshot.features.map((f) => f.feature)).toEqual(column(table, 'feature'));
    expect(snapshot.features.map((f) => f.result.method)).toEqual(column(table, 'method'));
    expect(snapshot.features.map((f) => f.result.score)).toEqual(column(table, 'score'));
    expect(snapshot.features.map((f) => f.adjustedPValue)).toEqual(column(table, 'p_value_bh'));
    expect(snapshot.features.map((f) => f.result.threshold)).toEqual(column(table, 'threshold'));
    expect(snapshot.features.map((f) => f.result.currentN)).toEqual(column(table, 'current_n'));
    expect(snapshot.features.map((f) => f.result.referenceN)).toEqual(column(table, 'reference_n'));
    expect(snapshot.features.map((f) => f.drifted)).toEqual(column(table, 'drifted'));
    expect([snapshot.dataset.share]).toEqual(column(dataset, 'drifted_feature_share'));
    expect([snapshot.dataset.drifted]).toEqual(column(dataset, 'drifted'));
    // The fixture is meant to drift on amount: the comparison above is not between two empty answers.
    expect(snapshot.features.find((f) => f.feature === 'amount')?.drifted).toBe(true);
  });

  it('counts rows, missing, out-of-range, unseen and type errors from the sketches as the fixture has them', async () => {
    await putReference('credit');
    const rows = windowRows(300, 0, 12);
    const outcome = await store.ingestPredictions('credit', rows);
    const snapshot = await computeModelSnapshot(store, 'credit', WINDOW, { nowMs: NOW });

    const amounts = rows.map((r) => r.features.amount);
    const typeErrors = amounts.filter((a) => typeof a === 'string').length;
    const stored = rows.length - typeErrors;
    expect(outcome.result).toMatchObject({ accepted: stored, rejected: typeErrors });
    const missing = amounts.filter((a) => a === null).length;
    const outOfRange = amounts.filter((a) => a === 10_000).length;
    const storedChannels = rows.filter((r) => typeof r.features.amount !== 'string').map((r) => r.features.channel);
    const unseen = storedChannels.filter((c) => c === 'fax').length;

    expect(snapshot.rows).toBe(stored);
    const amount = snapshot.quality.find((q) => q.feature === 'amount')?.rates;
    expect(amount?.missingRate).toBeCloseTo(missing / stored, 12);
    expect(amount?.outOfRangeRate).toBeCloseTo(outOfRange / (stored - missing), 12);
    expect(amount?.typeErrorRate).toBeCloseTo(typeErrors / rows.length, 12);
    expect(amount?.unseenRate).toBeNull();
    const channel = snapshot.quality.find((q) => q.feature === 'channel')?.rates;
    expect(channel?.unseenRate).toBeCloseTo(unseen / stored, 12);
    expect(channel?.outOfRangeRate).toBeNull();
    expect(missing * outOfRange * unseen * typeErrors).toBeGreaterThan(0);

    const last = await store.lastIngestAt('credit');
    expect(snapshot.freshnessSeconds).toBe(Math.max(0, NOW - (last ?? NaN)) / 1000);
  });

  it('reads one version on its own reference; freshness is per model, not per version', async () => {
    await putReference('credit');
    await putReference('credit', '2');
    await store.ingestPredictions('credit', [...windowRows(100, 0, 13, '1'), ...windowRows(60, 0, 14, '2')]);
    const all = await computeModelSnapshot(store, 'credit', WINDOW, { nowMs: NOW });
    const v2 = await computeModelSnapshot(store, 'credit', WINDOW, { nowMs: NOW, version: '2' });
    expect(v2.version).toBe('2');
    expect(v2.rows).toBe(60 - windowRows(60, 0, 14).filter((r) => typeof r.features.amount === 'string').length);
    expect(v2.freshnessSeconds).toBeNull();
    expect(all.version).toBe('');
    expect(all.freshnessSeconds).not.toBeNull();
    expect(all.rows).toBeGreaterThan(v2.rows);
  });

  it('an empty window is insufficient: no verdict, no score, no share, but sample sizes and rows 0', async () => {
    await putReference('quiet');
    const snapshot = await computeModelSnapshot(store, 'quiet', WINDOW, { nowMs: NOW });
    const samples = snapshotSamples(snapshot);
    expect(snapshot.rows).toBe(0);
    expect(find(samples, 'mlsight_feature_drifted', {})).toEqual([]);
    expect(find(samples, 'mlsight_dataset_drift_share_ratio', {})).toEqual([]);
    expect(find(samples, 'mlsight_feature_drift_insufficient', { feature: 'amount' })[0]?.value).toBe(1);
    expect(find(samples, 'mlsight_feature_drift_sample_size', { feature: 'amount', side: 'current' })[0]?.value).toBe(
      0
    );
    expect(find(samples, 'mlsight_feature_drift_sample_size', { feature: 'amount', side: 'reference' })[0]?.value).toBe(
      400
    );
    expect(find(samples, 'mlsight_data_rows', { model: 'quiet', version: '' })[0]?.value).toBe(0);
  });

  it('adds contributor samples and reports a failing contributor without losing the other gauges', async () => {
    await putReference('credit');
    await store.ingestPredictions('credit', windowRows(100, 0, 15));
    const seen: Array<string | undefined> = [];
    const performance: SnapshotContributor = {
      name: 'performance',
      contribute: async (target) => {
        seen.push(target.version);
        return [{ name: 'mlsight_performance_labelled_rows', labels: { model: target.model, version: '' }, value: 3 }];
      },
    };
    const broken: SnapshotContributor = {
      name: 'fairness',
      contribute: async () => {
        throw new Error('no segment attribute');
      },
    };
    const snapshot = await computeModelSnapshot(store, 'credit', WINDOW, { contributors: [broken, performance] });
    expect(seen).toEqual([undefined]);
    expect(snapshot.contributorErrors).toEqual([{ contributor: 'fairness', message: 'no segment attribute' }]);
    const samples = snapshotSamples(snapshot);
    expect(find(samples, 'mlsight_performance_labelled_rows', {})).toHaveLength(1);
    expect(find(samples, 'mlsight_feature_drift_score', { feature: 'amount' })).toHaveLength(1);
  });
});

describe('snapshotSamples', () => {
  it('labels every drift gauge with model, version, feature and method, and carries no prediction id', async () => {
    await putReference('credit');
    await store.ingestPredictions('credit', windowRows(200, 25, 16));
    const samples = snapshotSamples(await computeModelSnapshot(store, 'credit', WINDOW, { nowMs: NOW }));
    const score = find(samples, 'mlsight_feature_drift_score', { feature: 'amount' });
    const threshold = find(samples, 'mlsight_feature_drift_threshold', { feature: 'amount' });
    expect(score).toHaveLength(1);
    expect(score[0]?.labels).toEqual({ model: 'credit', version: '', feature: 'amount', method: 'ks' });
    expect(threshold[0]?.labels).toEqual(score[0]?.labels);
    expect(find(samples, 'mlsight_feature_drifted', { feature: 'amount' })[0]?.value).toBe(1);
    expect(JSON.stringify(samples)).not.toMatch(/p-16-/);
  });
});
