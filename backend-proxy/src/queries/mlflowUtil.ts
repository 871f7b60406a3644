import type { NodeStatus } from '@mlsight/contract';
import type { MlflowCallContext, MlflowClient, ModelVersion, Run } from '../mlflow';
import { QueryError } from './errors';

/** MLflow sends int64 fields sometimes as numbers and sometimes as strings; both become numbers here. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function runTag(run: Run, key: string): string | undefined {
  return run.data?.tags?.find((t) => t.key === key)?.value;
}

export function runParams(run: Run): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of run.data?.params ?? []) if (p.key !== undefined) out[p.key] = p.value ?? '';
  return out;
}

/** Latest value per metric key (runs/get returns the latest already; this also dedups search results). */
export function runMetrics(run: Run): Record<string, number> {
  const out: Record<string, number> = {};
  const stamps: Record<string, number> = {};
  for (const m of run.data?.metrics ?? []) {
    const value = toNumber(m.value);
    if (m.key === undefined || value === undefined) continue;
    const ts = toNumber(m.timestamp) ?? 0;
    if (stamps[m.key] === undefined || ts >= (stamps[m.key] ?? 0)) {
      out[m.key] = value;
      stamps[m.key] = ts;
    }
  }
  return out;
}

export function runStart(run: Run): number | undefined {
  return toNumber(run.info?.start_time);
}

export function runEnd(run: Run): number | undefined {
  return toNumber(run.info?.end_time);
}

export function runDurationMs(run: Run): number | undefined {
  const start = runStart(run);
  const end = runEnd(run);
  return start !== undefined && end !== undefined ? end - start : undefined;
}

export function runId(run: Run): string {
  return run.info?.run_id ?? run.info?.run_uuid ?? '';
}

export function runName(run: Run): string {
  return run.info?.run_name ?? runTag(run, 'mlflow.runName') ?? runId(run);
}

export function parentRunId(run: Run): string | undefined {
  return runTag(run, 'mlflow.parentRunId');
}

export function runUser(run: Run): string {
  return run.info?.user_id || runTag(run, 'mlflow.user') || '';
}

const RUN_STATUS: Record<string, NodeStatus> = {
  FINISHED: 'finished',
  FAILED: 'failed',
  RUNNING: 'running',
  SCHEDULED: 'scheduled',
  KILLED: 'killed',
};

export function runStatus(run: Run): NodeStatus {
  return RUN_STATUS[run.info?.status ?? ''] ?? 'unknown';
}

/** Accepts an experiment id or name; no experiment means every active experiment. */
export async function resolveExperimentIds(
  mlflow: MlflowClient,
  experiment: string | undefined,
  ctx: MlflowCallContext
): Promise<string[]> {
  if (experiment === undefined) {
    const all = await mlflow.searchExperiments({}, ctx);
    return all.map((e) => e.experiment_id).filter((id): id is string => typeof id === 'string');
  }
  if (/^\d+$/.test(experiment)) return [experiment];
  const found = await mlflow.getExperimentByName(experiment, ctx);
  if (!found?.experiment_id) throw new QueryError(`MLflow has no experiment named "${experiment}"`, 404);
  return [found.experiment_id];
}

/** Resolves version/alias to one model version; with neither, the latest version. */
export async function resolveVersion(
  mlflow: MlflowClient,
  model: string,
  ref: { version?: string; alias?: string },
  ctx: MlflowCallContext
): Promise<ModelVersion> {
  if (ref.version !== undefined) return mlflow.getModelVersion(model, ref.version, ctx);
  if (ref.alias !== undefined) return mlflow.getModelVersionByAlias(model, ref.alias, ctx);
  const versions = await mlflow.searchModelVersions(`name='${escapeFilterValue(model)}'`, ctx);
  const latest = [...versions].sort((a, b) => (toNumber(b.version) ?? 0) - (toNumber(a.version) ?? 0))[0];
  if (!latest) throw new QueryError(`registered model "${model}" has no versions`, 404);
  return latest;
}

/** Escapes a value for an MLflow filter string literal in single quotes. */
export function escapeFilterValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

export function mlflowRunLink(experimentId: string | undefined, id: string): string {
  return `#/experiments/${experimentId ?? '0'}/runs/${id}`;
}

export function mlflowVersionLink(model: string, version: string): string {
  return `#/models/${encodeURIComponent(model)}/versions/${version}`;
}
