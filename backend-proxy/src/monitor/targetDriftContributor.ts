import { DRIFT_TARGETS, type DriftTarget, type QueryOf } from '@mlsight/contract';
import type { DriftResult } from '../stats';
import { targetWindowVerdict } from '../queries/drift/targetDrift';
import { type MonitorSample, sample } from './gaugeCatalog';
import type { SnapshotContributor, SnapshotTarget } from './snapshot';

const GAUGES = {
  prediction: { score: 'mlsight_prediction_drift_score', drifted: 'mlsight_prediction_drifted' },
  label: { score: 'mlsight_label_drift_score', drifted: 'mlsight_label_drifted' },
} as const satisfies Record<DriftTarget, { score: string; drifted: string }>;

/** The gauge samples of one target's window verdict: no score without one, no verdict when insufficient. */
export function targetDriftSamples(
  target: DriftTarget,
  labels: { model: string; version: string },
  result: DriftResult
): MonitorSample[] {
  const out: MonitorSample[] = [];
  if (result.score !== null) out.push(sample(GAUGES[target].score, labels, result.score));
  if (result.drifted !== null) out.push(sample(GAUGES[target].drifted, labels, result.drifted ? 1 : 0));
  return out;
}

/**
 * Prediction and label drift gauges over the monitor window, judged as the monitor judges a feature (the window
 * alone and pooled with the two windows before it, each at half the false-alarm rate) — the verdict a heatmap's
 * `__prediction__` / `__label__` cell of that size would show. A reference without the column exports nothing.
 */
export function targetDriftContributor(): SnapshotContributor {
  return {
    name: 'target-drift',
    async contribute(snapshot: SnapshotTarget) {
      const labels = { model: snapshot.model, version: snapshot.version ?? '' };
      const out: MonitorSample[] = [];
      for (const target of DRIFT_TARGETS) {
        const query = {
          refId: 'monitor',
          queryType: target === 'prediction' ? 'prediction_drift' : 'label_drift',
          model: snapshot.model,
          ...(snapshot.version !== undefined ? { version: snapshot.version } : {}),
        } as QueryOf<'prediction_drift' | 'label_drift'>;
        const verdict = await targetWindowVerdict(snapshot.store, query, target, snapshot.window, { trailing: true });
        if (verdict) out.push(...targetDriftSamples(target, labels, verdict.result));
      }
      return out;
    },
  };
}
