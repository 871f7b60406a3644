import { buildFrame, buildNodeGraphFrames, type DataFrameJSON, type QueryOf, UNITS } from '@mlsight/contract';
import type { QueryContext } from './context';
import { GraphAccumulator } from './lineageNodes';
import { resolveExperimentIds, runDurationMs, runEnd, runId, runName, runStart, runTag, runUser } from './mlflowUtil';
import { addPipelineToGraph, groupPipelines, loadSteps, type Pipeline } from './pipelines';
import { timeRangeFilter } from './runs';

const DEFAULT_PIPELINES = 10;

async function loadPipelines(query: QueryOf<'pipeline_runs'>, ctx: QueryContext): Promise<Pipeline[]> {
  if (query.runId !== undefined) {
    const parent = await ctx.mlflow.getRun(query.runId, ctx.mlflowCall);
    return [{ parent, steps: await loadSteps(ctx.mlflow, parent, ctx.mlflowCall) }];
  }
  const experimentIds = await resolveExperimentIds(ctx.mlflow, query.experiment, ctx.mlflowCall);
  const runs = await ctx.mlflow.searchRuns(
    {
      experimentIds,
      filter: query.ignoreTimeRange ? undefined : timeRangeFilter(ctx.window.fromMs, ctx.window.toMs),
      orderBy: ['attributes.start_time DESC'],
      limit: 5000,
    },
    ctx.mlflowCall
  );
  return groupPipelines(runs).slice(0, query.limit ?? DEFAULT_PIPELINES);
}

/** `pipeline_runs`: parent pipeline runs with their step runs, as a table or as a workflow node graph. */
export async function pipelineRunsHandler(
  query: QueryOf<'pipeline_runs'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const pipelines = await loadPipelines(query, ctx);
  if (query.format === 'nodeGraph') {
    const acc = new GraphAccumulator();
    pipelines.forEach((p) => addPipelineToGraph(acc, p));
    const { nodes, edges } = acc.result();
    return buildNodeGraphFrames(nodes, edges);
  }
  const rows = pipelines.flatMap((p) => p.steps.map((step) => ({ pipeline: p.parent, step })));
  return [
    buildFrame({
      name: 'pipeline runs',
      meta: { preferredVisualisationType: 'table' },
      fields: [
        {
          name: 'start_time',
          type: 'time',
          values: rows.map((r) => runStart(r.step)),
          config: { displayName: 'Started' },
        },
        { name: 'pipeline', type: 'string', values: rows.map((r) => runName(r.pipeline)) },
        { name: 'pipeline_run_id', type: 'string', values: rows.map((r) => runId(r.pipeline)) },
        { name: 'pipeline_status', type: 'string', values: rows.map((r) => r.pipeline.info?.status ?? '') },
        { name: 'step', type: 'string', values: rows.map((r) => runTag(r.step, 'mlsight.step') ?? runName(r.step)) },
        { name: 'run_id', type: 'string', values: rows.map((r) => runId(r.step)) },
        { name: 'status', type: 'string', values: rows.map((r) => r.step.info?.status ?? '') },
        { name: 'end_time', type: 'time', values: rows.map((r) => runEnd(r.step)), config: { displayName: 'Ended' } },
        {
          name: 'duration',
          type: 'number',
          values: rows.map((r) => runDurationMs(r.step)),
          config: { unit: UNITS.milliseconds },
        },
        { name: 'error', type: 'string', values: rows.map((r) => runTag(r.step, 'mlsight.error') ?? '') },
        { name: 'user', type: 'string', values: rows.map((r) => runUser(r.step)) },
      ],
    }),
  ];
}
