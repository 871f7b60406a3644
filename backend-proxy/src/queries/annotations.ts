import type { AnnotationEvent, AnnotationKind, AnnotationRequest } from '@mlsight/contract';
import { ANNOTATION_KINDS, toEpochMs } from '@mlsight/contract';
import type { MlflowCallContext } from '../mlflow';
import type { QueryContext } from './context';
import { listDeployments } from './deployments';
import { findDriftAlerts } from './drift/driftAlerts';
import { QueryError } from './errors';
import { escapeFilterValue, resolveExperimentIds, runId, runName, runStart, runUser, toNumber } from './mlflowUtil';
import { groupPipelines } from './pipelines';
import { timeRangeFilter } from './runs';
import { versionDeploymentEvents } from './versionEvents';

const inRange = (t: number | undefined, from: number, to: number): t is number =>
  t !== undefined && t >= from && t <= to;

/** What the annotations route reads: MLflow for registry and pipeline events, the drift store for drift alerts. */
export type AnnotationDeps = Pick<QueryContext, 'mlflow' | 'store' | 'config' | 'log'>;

/**
 * Events for Grafana's annotation layer: versions registered or promoted through MLSight (deployment), aliases pointed at a version
 * (alias_change), pipeline runs (retrain), and the start of each drifted run of a feature (drift_alert, from the
 * drift store's per-bucket verdicts; see `findDriftAlerts`).
 */
export async function findAnnotations(request: AnnotationRequest, deps: AnnotationDeps): Promise<AnnotationEvent[]> {
  const { mlflow } = deps;
  const from = toEpochMs(request.from);
  const to = toEpochMs(request.to);
  if (from === undefined) throw new QueryError('from: is not epoch milliseconds or an ISO-8601 time');
  if (to === undefined) throw new QueryError('to: is not epoch milliseconds or an ISO-8601 time');
  const kinds = new Set<AnnotationKind>(request.kinds ?? ANNOTATION_KINDS);
  const ctx: MlflowCallContext = {};
  const models =
    request.model !== undefined
      ? [request.model]
      : (await mlflow.searchRegisteredModels(undefined, ctx)).map((m) => m.name ?? '').filter(Boolean);
  const events: AnnotationEvent[] = [];

  for (const model of models) {
    if (kinds.has('deployment')) {
      for (const v of await mlflow.searchModelVersions(`name='${escapeFilterValue(model)}'`, ctx)) {
        events.push(...versionDeploymentEvents(model, v, from, to));
      }
    }
    if (kinds.has('drift_alert') && deps.store) {
      const { store, config, log } = deps;
      events.push(
        ...(await findDriftAlerts(model, { fromMs: from, toMs: to }, { mlflow, mlflowCall: ctx, store, config, log }))
      );
    }
    if (kinds.has('alias_change')) {
      for (const d of await listDeployments(mlflow, model, ctx)) {
        if (d.kind !== 'alias' || !inRange(d.since, from, to)) continue;
        events.push({
          time: d.since,
          title: `${model} @${d.target} → v${d.version}`,
          text: `by ${d.by || 'unknown'} (time from ${d.sinceSource})`,
          tags: ['mlsight', 'alias', d.target, model],
          kind: 'alias_change',
          model,
          version: d.version,
        });
      }
    }
  }
  if (kinds.has('retrain')) {
    const experimentIds = await resolveExperimentIds(mlflow, undefined, ctx);
    const runs = await mlflow.searchRuns({ experimentIds, filter: timeRangeFilter(from, to), limit: 5000 }, ctx);
    for (const p of groupPipelines(runs)) {
      const start = runStart(p.parent);
      if (!inRange(start, from, to)) continue;
      const end = toNumber(p.parent.info?.end_time);
      events.push({
        time: start,
        ...(end !== undefined ? { timeEnd: end } : {}),
        title: `pipeline ${runName(p.parent)} ${p.parent.info?.status ?? ''}`.trim(),
        text: `${p.steps.length} steps by ${runUser(p.parent) || 'unknown'} (run ${runId(p.parent)})`,
        tags: ['mlsight', 'retrain', (p.parent.info?.status ?? 'unknown').toLowerCase()],
        kind: 'retrain',
      });
    }
  }
  events.sort((a, b) => a.time - b.time);
  return events.slice(0, request.limit ?? 1000);
}
