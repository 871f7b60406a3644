import type { GraphEdge, GraphNode, NodeStatus } from '@mlsight/contract';
import type { DatasetInput, LoggedModel, ModelVersion, Run } from '../mlflow';
import {
  mlflowRunLink,
  mlflowVersionLink,
  runDurationMs,
  runId,
  runMetrics,
  runName,
  runParams,
  runStart,
  runStatus,
  runTag,
  runUser,
  toNumber,
} from './mlflowUtil';

/** Pure shaping of MLflow entities into provenance graph nodes; no I/O here. */

const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const prefixed = (prefix: string, record: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, String(v)]));

export const nodeId = {
  run: (id: string) => `run:${id}`,
  dataset: (name: string, digest: string) => `dataset:${name}@${digest}`,
  loggedModel: (id: string) => `logged_model:${id}`,
  version: (model: string, version: string) => `version:${model}/${version}`,
  alias: (model: string, alias: string) => `alias:${model}@${alias}`,
};

/** A pipeline run (parent) or one of its step runs. */
export function runNode(run: Run, kind: 'pipeline' | 'step'): GraphNode {
  const id = runId(run);
  const error = runTag(run, 'mlsight.error') ?? '';
  const status = runStatus(run);
  const details: Record<string, string> = {
    run_id: id,
    status: run.info?.status ?? '',
    user: runUser(run),
    started: iso(runStart(run)),
    duration: formatDuration(runDurationMs(run)),
    ...(error ? { error } : {}),
    ...(runTag(run, 'mlflow.source.git.commit') ? { git_commit: runTag(run, 'mlflow.source.git.commit') ?? '' } : {}),
    ...prefixed('param.', runParams(run)),
    ...prefixed('metric.', runMetrics(run)),
  };
  return {
    id: nodeId.run(id),
    kind,
    title: runName(run),
    subtitle: kind === 'pipeline' ? 'pipeline run' : (runTag(run, 'mlsight.step') ?? 'step'),
    mainStat: status === 'failed' ? `FAILED${error ? `: ${error}` : ''}` : formatDuration(runDurationMs(run)),
    secondaryStat: iso(runStart(run)),
    status,
    link: mlflowRunLink(run.info?.experiment_id, id),
    details,
  };
}

export function datasetNode(input: DatasetInput): GraphNode | undefined {
  const ds = input.dataset;
  if (!ds?.name || !ds.digest) return undefined;
  const context = input.tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? '';
  let rows = '';
  try {
    const profile = ds.profile ? (JSON.parse(ds.profile) as { num_rows?: number }) : undefined;
    if (profile?.num_rows !== undefined) rows = `${profile.num_rows} rows`;
  } catch {
    // A profile that is not JSON is shown as is below.
  }
  return {
    id: nodeId.dataset(ds.name, ds.digest),
    kind: 'dataset',
    title: ds.name,
    subtitle: `digest ${ds.digest}`,
    mainStat: rows,
    secondaryStat: context,
    status: 'ready',
    details: {
      name: ds.name,
      digest: ds.digest,
      source_type: ds.source_type ?? '',
      source: ds.source ?? '',
      context,
      ...(ds.profile ? { profile: ds.profile } : {}),
    },
  };
}

const LOGGED_MODEL_STATUS: Record<string, NodeStatus> = {
  LOGGED_MODEL_READY: 'ready',
  LOGGED_MODEL_PENDING: 'running',
  LOGGED_MODEL_UPLOAD_FAILED: 'failed',
};

export function loggedModelNode(model: LoggedModel): GraphNode | undefined {
  const info = model.info;
  if (!info?.model_id) return undefined;
  const params = Object.fromEntries((model.data?.params ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  return {
    id: nodeId.loggedModel(info.model_id),
    kind: 'logged_model',
    title: info.name ?? info.model_id,
    subtitle: 'logged model',
    mainStat: info.model_id,
    secondaryStat: iso(toNumber(info.creation_timestamp_ms)),
    status: LOGGED_MODEL_STATUS[info.status ?? ''] ?? 'unknown',
    link: `#/experiments/${info.experiment_id ?? '0'}/models/${info.model_id}`,
    details: {
      model_id: info.model_id,
      source_run_id: info.source_run_id ?? '',
      artifact_uri: info.artifact_uri ?? '',
      ...prefixed('param.', params),
    },
  };
}

const VERSION_STATUS: Record<string, NodeStatus> = {
  READY: 'ready',
  PENDING_REGISTRATION: 'running',
  FAILED_REGISTRATION: 'failed',
};

/** A model version; `lineage` carries the training dataset digests and hyperparameters it was built from. */
export function versionNode(
  model: string,
  version: ModelVersion,
  lineage: { datasets: string[]; params: Record<string, string>; metrics: Record<string, number> }
): GraphNode {
  const v = version.version ?? '';
  return {
    id: nodeId.version(model, v),
    kind: 'model_version',
    title: `${model} v${v}`,
    subtitle: (version.aliases ?? []).map((a) => `@${a}`).join(' ') || 'model version',
    mainStat: version.current_stage && version.current_stage !== 'None' ? version.current_stage : '',
    secondaryStat: iso(toNumber(version.creation_timestamp)),
    status: VERSION_STATUS[version.status ?? ''] ?? 'unknown',
    link: mlflowVersionLink(model, v),
    details: {
      version: v,
      run_id: version.run_id ?? '',
      model_id: version.model_id ?? '',
      source: version.source ?? '',
      user: version.user_id ?? '',
      created: iso(toNumber(version.creation_timestamp)),
      training_datasets: lineage.datasets.join(', '),
      ...prefixed('param.', lineage.params),
      ...prefixed('metric.', lineage.metrics),
    },
  };
}

export function aliasNode(model: string, alias: string, version: string, since?: number, by?: string): GraphNode {
  return {
    id: nodeId.alias(model, alias),
    kind: 'alias',
    title: `@${alias}`,
    subtitle: `${model} v${version}`,
    mainStat: by ?? '',
    secondaryStat: iso(since),
    status: 'ready',
    link: mlflowVersionLink(model, version),
    details: { alias, version, ...(by ? { by } : {}), ...(since !== undefined ? { since: iso(since) } : {}) },
  };
}

/** Collects nodes and edges without duplicates, keeping insertion order. */
export class GraphAccumulator {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();

  addNode(node: GraphNode | undefined): void {
    if (node && !this.nodes.has(node.id)) this.nodes.set(node.id, node);
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  addEdge(source: string, target: string, kind?: string): void {
    if (source === target) return;
    const key = `${source}->${target}`;
    if (!this.edges.has(key)) this.edges.set(key, { source, target, ...(kind ? { kind } : {}) });
  }

  result(): { nodes: GraphNode[]; edges: GraphEdge[] } {
    const edges = [...this.edges.values()].filter((e) => this.nodes.has(e.source) && this.nodes.has(e.target));
    return { nodes: [...this.nodes.values()], edges };
  }
}
