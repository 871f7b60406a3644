import { getFieldDisplayName, type DataFrame } from '@grafana/data';
import { EDGE_FIELDS, NODE_FIELDS, NODE_KINDS, NODE_STATUSES, type NodeKind, type NodeStatus } from '@mlsight/contract';
import { fieldNamed } from '../../shared/src/frameFields';

export interface ProvNode {
  id: string;
  kind: NodeKind;
  title: string;
  subtitle: string;
  mainStat: string;
  secondaryStat: string;
  status: NodeStatus;
  link: string;
  /** `detail__*` fields: [display name, value], empty values left out. */
  details: Array<[string, string]>;
  /** Nodes merged into this one by collapsing (1 for a plain node). */
  members: number;
}

export interface ProvEdge {
  source: string;
  target: string;
}

export interface ProvGraph {
  nodes: ProvNode[];
  edges: ProvEdge[];
  /** What was wrong with the input and left out (dangling edges, duplicate ids, cycles). */
  problems: string[];
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const isNodeFrame = (f: DataFrame) =>
  fieldNamed(f, NODE_FIELDS.id) !== undefined && fieldNamed(f, EDGE_FIELDS.source) === undefined;
const isEdgeFrame = (f: DataFrame) =>
  fieldNamed(f, EDGE_FIELDS.source) !== undefined && fieldNamed(f, EDGE_FIELDS.target) !== undefined;

function kindOf(v: unknown): NodeKind {
  const s = text(v);
  return (NODE_KINDS as readonly string[]).includes(s) ? (s as NodeKind) : 'step';
}

function statusOf(v: unknown): NodeStatus {
  const s = text(v).toLowerCase();
  return (NODE_STATUSES as readonly string[]).includes(s) ? (s as NodeStatus) : 'unknown';
}

/**
 * Reads Grafana node-graph frames (a nodes frame with `id`, an edges frame with `source`/`target`, as the
 * `provenance` and `pipeline_runs` queries return them) into a graph. Edges to unknown nodes, duplicate node ids and
 * self-loops are left out and reported in `problems`. Undefined when there is no nodes frame or it is empty.
 */
export function readGraph(frames: DataFrame[]): ProvGraph | undefined {
  const nodeFrame = frames.find(isNodeFrame);
  if (!nodeFrame || nodeFrame.length === 0) return undefined;
  const edgeFrame = frames.find(isEdgeFrame);
  const get = (name: string) => fieldNamed(nodeFrame, name);
  const [id, title, subtitle, mainStat, secondaryStat, kind, status, link] = [
    NODE_FIELDS.id,
    NODE_FIELDS.title,
    NODE_FIELDS.subtitle,
    NODE_FIELDS.mainStat,
    NODE_FIELDS.secondaryStat,
    NODE_FIELDS.kind,
    NODE_FIELDS.status,
    NODE_FIELDS.link,
  ].map(get);
  const detailFields = nodeFrame.fields
    .filter((f) => f.name.startsWith(NODE_FIELDS.detailPrefix))
    .map((f) => ({ field: f, label: f.config.displayName ?? getFieldDisplayName(f, nodeFrame, frames) }));

  const problems: string[] = [];
  const nodes: ProvNode[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < nodeFrame.length; i++) {
    const nodeId = text(id?.values[i]);
    if (nodeId === '' || seen.has(nodeId)) {
      problems.push(nodeId === '' ? `node ${i + 1} has no id` : `duplicate node id ${nodeId}`);
      continue;
    }
    seen.add(nodeId);
    nodes.push({
      id: nodeId,
      kind: kindOf(kind?.values[i]),
      title: text(title?.values[i]) || nodeId,
      subtitle: text(subtitle?.values[i]),
      mainStat: text(mainStat?.values[i]),
      secondaryStat: text(secondaryStat?.values[i]),
      status: statusOf(status?.values[i]),
      link: text(link?.values[i]),
      details: detailFields
        .map(({ field, label }): [string, string] => [label, text(field.values[i])])
        .filter(([, v]) => v !== ''),
      members: 1,
    });
  }

  const edges: ProvEdge[] = [];
  const edgeKeys = new Set<string>();
  const source = edgeFrame && fieldNamed(edgeFrame, EDGE_FIELDS.source);
  const target = edgeFrame && fieldNamed(edgeFrame, EDGE_FIELDS.target);
  for (let i = 0; i < (edgeFrame?.length ?? 0); i++) {
    const s = text(source?.values[i]);
    const t = text(target?.values[i]);
    const key = `${s}\u0000${t}`;
    if (!seen.has(s) || !seen.has(t)) problems.push(`edge ${s} → ${t} names an unknown node`);
    else if (s === t) problems.push(`edge ${s} → ${t} is a self-loop`);
    else if (!edgeKeys.has(key)) {
      edgeKeys.add(key);
      edges.push({ source: s, target: t });
    }
  }
  return { nodes, edges, problems };
}
