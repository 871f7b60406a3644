import { buildNodeGraphFrames, type DataFrameJSON, type QueryOf } from '@mlsight/contract';
import type { ModelVersion, Run } from '../mlflow';
import type { QueryContext } from './context';
import { listDeployments } from './deployments';
import { aliasNode, GraphAccumulator, loggedModelNode, nodeId, runNode, versionNode } from './lineageNodes';
import { escapeFilterValue, parentRunId, runId, runMetrics, runParams } from './mlflowUtil';
import { sortVersionsDesc } from './modelVersions';
import { addDatasetInputs, addPipelineToGraph, loadSteps } from './pipelines';
import { pipelineRunsHandler } from './pipelineRuns';
import { QueryError } from './errors';

const DEFAULT_VERSIONS = 10;

/**
 * Adds a model version and everything it came from: logged model (MLflow 3 `model_id`), the run that produced it,
 * that run's pipeline with all its steps, and the datasets each step read (by digest).
 */
async function addVersionLineage(acc: GraphAccumulator, model: string, version: ModelVersion, ctx: QueryContext) {
  const call = ctx.mlflowCall;
  const logged = version.model_id ? await ctx.mlflow.getLoggedModel(version.model_id, call) : undefined;
  const sourceRunId = logged?.info?.source_run_id ?? version.run_id;
  const trainRun: Run | undefined = sourceRunId ? await ctx.mlflow.getRun(sourceRunId, call) : undefined;

  const datasets = (trainRun?.inputs?.dataset_inputs ?? [])
    .map((i) => (i.dataset?.name && i.dataset.digest ? `${i.dataset.name}@${i.dataset.digest}` : undefined))
    .filter((d): d is string => d !== undefined);
  const vNode = versionNode(model, version, {
    datasets,
    params: trainRun ? runParams(trainRun) : {},
    metrics: trainRun ? runMetrics(trainRun) : {},
  });
  acc.addNode(vNode);

  const lmNode = logged ? loggedModelNode(logged) : undefined;
  if (lmNode) {
    acc.addNode(lmNode);
    acc.addEdge(lmNode.id, vNode.id, 'registered as');
  }
  if (!trainRun) return;
  const parentId = parentRunId(trainRun);
  if (parentId !== undefined && !acc.hasNode(nodeId.run(parentId))) {
    const parent = await ctx.mlflow.getRun(parentId, call);
    addPipelineToGraph(acc, { parent, steps: await loadSteps(ctx.mlflow, parent, call) });
  } else if (parentId === undefined) {
    acc.addNode(runNode(trainRun, 'step'));
    addDatasetInputs(acc, trainRun);
  }
  acc.addEdge(nodeId.run(runId(trainRun)), lmNode?.id ?? vNode.id, lmNode ? 'logged' : 'registered as');
}

/** `provenance`: dataset → pipeline steps → logged model → model version → alias, as node-graph frames. */
export async function provenanceHandler(query: QueryOf<'provenance'>, ctx: QueryContext): Promise<DataFrameJSON[]> {
  if (query.model === undefined) {
    if (query.runId === undefined && query.experiment === undefined) {
      throw new QueryError('provenance needs a model, a runId or an experiment', 400);
    }
    return pipelineRunsHandler(
      {
        refId: query.refId,
        queryType: 'pipeline_runs',
        format: 'nodeGraph',
        runId: query.runId,
        experiment: query.experiment,
        limit: query.limit,
      },
      ctx
    );
  }
  const model = query.model;
  const call = ctx.mlflowCall;
  let versions: ModelVersion[];
  if (query.version !== undefined) versions = [await ctx.mlflow.getModelVersion(model, query.version, call)];
  else if (query.alias !== undefined) versions = [await ctx.mlflow.getModelVersionByAlias(model, query.alias, call)];
  else {
    versions = sortVersionsDesc(await ctx.mlflow.searchModelVersions(`name='${escapeFilterValue(model)}'`, call)).slice(
      0,
      query.limit ?? DEFAULT_VERSIONS
    );
  }
  if (versions.length === 0) throw new QueryError(`registered model "${model}" has no versions`, 404);

  const acc = new GraphAccumulator();
  // Sequential on purpose: versions of one model share pipelines, and the accumulator skips what it has.
  for (const version of versions) await addVersionLineage(acc, model, version, ctx);

  const shown = new Set(versions.map((v) => v.version));
  for (const d of await listDeployments(ctx.mlflow, model, call)) {
    if (d.kind !== 'alias' || !shown.has(d.version)) continue;
    const node = aliasNode(model, d.target, d.version, d.since, d.by);
    acc.addNode(node);
    acc.addEdge(nodeId.version(model, d.version), node.id, 'serves');
  }
  const { nodes, edges } = acc.result();
  return buildNodeGraphFrames(nodes, edges);
}
