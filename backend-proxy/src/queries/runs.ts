import { buildFrame, type DataFrameJSON, type FieldInput, type QueryOf, UNITS } from '@mlsight/contract';
import type { QueryContext } from './context';
import {
  parentRunId,
  resolveExperimentIds,
  runDurationMs,
  runEnd,
  runId,
  runMetrics,
  runName,
  runParams,
  runStart,
  runUser,
} from './mlflowUtil';

const DEFAULT_LIMIT = 100;

/** MLflow filter for runs started inside the dashboard's time range. */
export function timeRangeFilter(fromMs: number, toMs: number): string {
  return `attributes.start_time >= ${Math.floor(fromMs)} AND attributes.start_time <= ${Math.ceil(toMs)}`;
}

export function combineFilters(...parts: Array<string | undefined>): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p.trim() !== '');
  return present.length === 0 ? undefined : present.map((p) => `(${p})`).join(' AND ');
}

/** `runs`: a table of MLflow runs with the chosen metrics and params as columns. */
export async function runsHandler(query: QueryOf<'runs'>, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const experimentIds = await resolveExperimentIds(ctx.mlflow, query.experiment, ctx.mlflowCall);
  const filter = combineFilters(
    query.ignoreTimeRange ? undefined : timeRangeFilter(ctx.window.fromMs, ctx.window.toMs),
    query.filter
  );
  const runs = await ctx.mlflow.searchRuns(
    {
      experimentIds,
      filter,
      orderBy: query.orderBy ?? ['attributes.start_time DESC'],
      limit: query.limit ?? DEFAULT_LIMIT,
    },
    ctx.mlflowCall
  );
  const metrics = runs.map(runMetrics);
  const params = runs.map(runParams);
  const metricKeys = query.metrics ?? [...new Set(metrics.flatMap((m) => Object.keys(m)))].sort();
  const paramKeys = query.params ?? [];
  const fields: FieldInput[] = [
    { name: 'start_time', type: 'time', values: runs.map(runStart), config: { displayName: 'Started' } },
    { name: 'run_name', type: 'string', values: runs.map(runName), config: { displayName: 'Run' } },
    { name: 'run_id', type: 'string', values: runs.map(runId), config: { displayName: 'Run ID' } },
    { name: 'experiment_id', type: 'string', values: runs.map((r) => r.info?.experiment_id ?? '') },
    { name: 'status', type: 'string', values: runs.map((r) => r.info?.status ?? '') },
    { name: 'end_time', type: 'time', values: runs.map(runEnd), config: { displayName: 'Ended' } },
    { name: 'duration', type: 'number', values: runs.map(runDurationMs), config: { unit: UNITS.milliseconds } },
    { name: 'user', type: 'string', values: runs.map(runUser) },
    { name: 'parent_run_id', type: 'string', values: runs.map((r) => parentRunId(r) ?? '') },
    ...metricKeys.map<FieldInput>((key) => ({
      name: `metric.${key}`,
      type: 'number',
      values: metrics.map((m) => m[key] ?? null),
      config: { displayName: key },
    })),
    ...paramKeys.map<FieldInput>((key) => ({
      name: `param.${key}`,
      type: 'string',
      values: params.map((p) => p[key] ?? null),
      config: { displayName: key },
    })),
  ];
  return [buildFrame({ name: 'runs', meta: { preferredVisualisationType: 'table' }, fields })];
}
