import type { DataFrameJSON } from './frames';
import { buildFrame, type FieldInput } from './frameBuilder';

/**
 * Grafana's node-graph frame conventions (field names the node graph panel reads), shared by the
 * proxy's `provenance` / `pipeline_runs` handlers and the provenance panel.
 */
export const NODE_FIELDS = {
  id: 'id',
  title: 'title',
  subtitle: 'subtitle',
  mainStat: 'mainstat',
  secondaryStat: 'secondarystat',
  color: 'color',
  icon: 'icon',
  nodeRadius: 'nodeRadius',
  detailPrefix: 'detail__',
  /** Sections of the ring around a node (values add up to 1); colour in the field's `config.color.fixedColor`. */
  arcPrefix: 'arc__',
  /** MLSight extras: node kind and status, read by the provenance panel for shapes and colours. */
  kind: 'kind',
  status: 'status',
  link: 'link',
} as const;

export const EDGE_FIELDS = {
  id: 'id',
  source: 'source',
  target: 'target',
  mainStat: 'mainstat',
  kind: 'kind',
} as const;

export const NODE_KINDS = ['dataset', 'pipeline', 'step', 'logged_model', 'model_version', 'alias'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const NODE_STATUSES = ['finished', 'failed', 'running', 'scheduled', 'killed', 'ready', 'unknown'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface GraphNode {
  id: string;
  kind: NodeKind;
  title: string;
  subtitle?: string;
  mainStat?: string;
  secondaryStat?: string;
  status: NodeStatus;
  /** Colour as Grafana theme colour name or CSS colour. */
  color?: string;
  /** Deep link to the MLflow UI (path relative to the MLflow UI base URL). */
  link?: string;
  details?: Record<string, string>;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind?: string;
}

/** Status → Grafana theme colour name; a failed step must stand out at a glance. */
export const STATUS_COLORS: Record<NodeStatus, string> = {
  finished: 'green',
  ready: 'green',
  failed: 'red',
  killed: 'orange',
  running: 'blue',
  scheduled: 'purple',
  unknown: 'text',
};

/**
 * One `arc__<status>` field per status present: 1 for the nodes in that status, 0 otherwise, so Grafana's node graph
 * draws each node's ring in its status colour (read from `config.color.fixedColor`) and lists the statuses in its
 * legend (by `config.displayName`).
 */
function statusArcs(nodes: readonly GraphNode[]): FieldInput[] {
  const present = NODE_STATUSES.filter((status) => nodes.some((n) => n.status === status));
  return present.map((status) => ({
    name: `${NODE_FIELDS.arcPrefix}${status}`,
    type: 'number',
    values: nodes.map((n) => (n.status === status ? 1 : 0)),
    config: { displayName: status, color: { mode: 'fixed', fixedColor: STATUS_COLORS[status] } },
  }));
}

/**
 * Builds the two frames Grafana's node graph expects (nodes + edges). Detail keys become `detail__<key>`
 * columns, present on every node (empty string where a node has none) so the frame stays rectangular.
 */
export function buildNodeGraphFrames(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  refId?: string
): [DataFrameJSON, DataFrameJSON] {
  const detailKeys = [...new Set(nodes.flatMap((n) => Object.keys(n.details ?? {})))].sort();
  const nodeFields: FieldInput[] = [
    { name: NODE_FIELDS.id, type: 'string', values: nodes.map((n) => n.id) },
    { name: NODE_FIELDS.title, type: 'string', values: nodes.map((n) => n.title) },
    { name: NODE_FIELDS.subtitle, type: 'string', values: nodes.map((n) => n.subtitle ?? '') },
    { name: NODE_FIELDS.mainStat, type: 'string', values: nodes.map((n) => n.mainStat ?? '') },
    { name: NODE_FIELDS.secondaryStat, type: 'string', values: nodes.map((n) => n.secondaryStat ?? '') },
    // Grafana's node graph draws a string `color` value as it is (a field colour config would recolour every node
    // with one calculator), and only when no arc__ section is non-zero.
    { name: NODE_FIELDS.color, type: 'string', values: nodes.map((n) => n.color ?? STATUS_COLORS[n.status]) },
    ...statusArcs(nodes),
    { name: NODE_FIELDS.kind, type: 'string', values: nodes.map((n) => n.kind) },
    { name: NODE_FIELDS.status, type: 'string', values: nodes.map((n) => n.status) },
    { name: NODE_FIELDS.link, type: 'string', values: nodes.map((n) => n.link ?? '') },
    ...detailKeys.map<FieldInput>((key) => ({
      name: `${NODE_FIELDS.detailPrefix}${key}`,
      type: 'string',
      values: nodes.map((n) => n.details?.[key] ?? ''),
      config: { displayName: key },
    })),
  ];
  const nodesFrame = buildFrame({
    name: 'nodes',
    refId,
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: nodeFields,
  });
  const edgesFrame = buildFrame({
    name: 'edges',
    refId,
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      { name: EDGE_FIELDS.id, type: 'string', values: edges.map((e) => `${e.source}->${e.target}`) },
      { name: EDGE_FIELDS.source, type: 'string', values: edges.map((e) => e.source) },
      { name: EDGE_FIELDS.target, type: 'string', values: edges.map((e) => e.target) },
      { name: EDGE_FIELDS.kind, type: 'string', values: edges.map((e) => e.kind ?? '') },
    ],
  });
  return [nodesFrame, edgesFrame];
}
