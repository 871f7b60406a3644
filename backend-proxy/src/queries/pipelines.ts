import type { MlflowCallContext, MlflowClient, Run } from '../mlflow';
import { datasetNode, GraphAccumulator, nodeId, runNode } from './lineageNodes';
import { escapeFilterValue, parentRunId, runId, runStart } from './mlflowUtil';

export interface Pipeline {
  parent: Run;
  steps: Run[];
}

const byStart = (a: Run, b: Run) => (runStart(a) ?? 0) - (runStart(b) ?? 0);

/** The step runs of one pipeline run (children by `mlflow.parentRunId`), in the order they started. */
export async function loadSteps(mlflow: MlflowClient, parent: Run, ctx: MlflowCallContext): Promise<Run[]> {
  const experimentId = parent.info?.experiment_id;
  const steps = await mlflow.searchRuns(
    {
      experimentIds: experimentId ? [experimentId] : [],
      filter: `tags.mlflow.parentRunId = '${escapeFilterValue(runId(parent))}'`,
      limit: 1000,
    },
    ctx
  );
  return [...steps].sort(byStart);
}

/**
 * Groups runs into pipelines: a run is a pipeline when other runs name it as their parent. Runs found as children
 * are attached to their parent; parents outside the list are not fetched (the caller chose the window).
 */
export function groupPipelines(runs: readonly Run[]): Pipeline[] {
  const byId = new Map(runs.map((r) => [runId(r), r]));
  const children = new Map<string, Run[]>();
  for (const run of runs) {
    const parent = parentRunId(run);
    if (parent !== undefined && byId.has(parent)) children.set(parent, [...(children.get(parent) ?? []), run]);
  }
  return [...children.entries()]
    .map(([id, steps]) => ({ parent: byId.get(id) as Run, steps: [...steps].sort(byStart) }))
    .sort((a, b) => byStart(b.parent, a.parent));
}

/** Adds a pipeline to a graph: pipeline → first step, step → next step, dataset → the step that read it. */
export function addPipelineToGraph(acc: GraphAccumulator, pipeline: Pipeline): void {
  const parentNode = runNode(pipeline.parent, 'pipeline');
  acc.addNode(parentNode);
  let previous = parentNode.id;
  for (const step of pipeline.steps) {
    const node = runNode(step, 'step');
    acc.addNode(node);
    acc.addEdge(previous, node.id, previous === parentNode.id ? 'starts' : 'then');
    previous = node.id;
    addDatasetInputs(acc, step);
  }
  addDatasetInputs(acc, pipeline.parent);
}

export function addDatasetInputs(acc: GraphAccumulator, run: Run): void {
  for (const input of run.inputs?.dataset_inputs ?? []) {
    const node = datasetNode(input);
    if (!node) continue;
    acc.addNode(node);
    acc.addEdge(node.id, nodeId.run(runId(run)), 'input');
  }
}
