import type { DataFrameJSON, QueryOf } from '@mlsight/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config/config';
import type { MlflowClient } from '../mlflow';
import type { QueryContext } from '../queries/context';
import { QueryError } from '../queries/errors';
import { estimatedPerformanceHandler, performanceHandler } from '../queries/performance';
import { type MonitorSample, sample } from './gaugeCatalog';
import type { SnapshotContributor, SnapshotTarget } from './snapshot';

/** Metrics exported as gauges: the binary-classification headline numbers CBPE also estimates. */
const EXPORTED = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;

export interface WholeWindowDeps {
  mlflow: MlflowClient;
  config: AppConfig;
  log: FastifyBaseLogger;
}

/** A query context whose single bucket is the whole window, so a handler's one row is the window's value. */
export function wholeWindowContext(target: SnapshotTarget, deps: WholeWindowDeps): QueryContext {
  // Buckets are aligned to the epoch: one as long as the window would usually split it in two (and the last
  // value would cover only the newer part). One bucket from the epoch to past the window's end cannot split it.
  const span = Math.max(60_000, target.window.toMs + 1);
  return {
    window: { fromMs: target.window.fromMs, toMs: target.window.toMs, intervalMs: span, maxDataPoints: 1 },
    mlflow: deps.mlflow,
    mlflowCall: {},
    store: target.store,
    config: deps.config,
    log: deps.log,
  };
}

/** The last value of a frame's field: the newest bucket, i.e. the whole window when it has one bucket. */
export function lastValue(frames: readonly DataFrameJSON[], field: string): number | null {
  for (const frame of frames) {
    const i = frame.schema.fields.findIndex((f) => f.name === field);
    if (i < 0) continue;
    const values = frame.data.values[i] ?? [];
    const v = values[values.length - 1];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return null;
}

/** No labels yet, no scores, not a binary classifier: nothing to export, which is not a monitor error. */
function expectedAbsence(err: unknown): boolean {
  return err instanceof QueryError && [404, 422].includes(err.status);
}

/**
 * Realised and CBPE-estimated performance gauges, computed by the `performance` and `estimated_performance`
 * handlers themselves over the monitor window as one bucket — so an alert fires on exactly the number the panel
 * shows.
 */
export function performanceContributor(deps: WholeWindowDeps): SnapshotContributor {
  return {
    name: 'performance',
    async contribute(target) {
      const ctx = wholeWindowContext(target, deps);
      const labels = { model: target.model, version: target.version ?? '' };
      const ref = { refId: 'monitor', model: target.model, ...(target.version ? { version: target.version } : {}) };
      const out: MonitorSample[] = [];
      try {
        const frames = await performanceHandler({ ...ref, queryType: 'performance' } as QueryOf<'performance'>, ctx);
        const labelled = lastValue(frames, 'labelled_rows');
        if (labelled !== null) out.push(sample('mlsight_performance_labelled_rows', labels, labelled));
        for (const metric of EXPORTED) {
          const v = lastValue(frames, metric);
          if (v !== null) out.push(sample('mlsight_performance', { ...labels, metric }, v));
        }
      } catch (err) {
        if (!expectedAbsence(err)) throw err;
      }
      try {
        const frames = await estimatedPerformanceHandler(
          { ...ref, queryType: 'estimated_performance' } as QueryOf<'estimated_performance'>,
          ctx
        );
        for (const metric of EXPORTED) {
          const v = lastValue(frames, metric);
          const lower = lastValue(frames, `${metric}_lower`);
          const upper = lastValue(frames, `${metric}_upper`);
          if (v !== null) out.push(sample('mlsight_estimated_performance', { ...labels, metric }, v));
          if (lower !== null) out.push(sample('mlsight_estimated_performance_lower', { ...labels, metric }, lower));
          if (upper !== null) out.push(sample('mlsight_estimated_performance_upper', { ...labels, metric }, upper));
        }
      } catch (err) {
        if (!expectedAbsence(err)) throw err;
      }
      return out;
    },
  };
}
