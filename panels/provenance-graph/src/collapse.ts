import type { NodeKind, NodeStatus } from '@mlsight/contract';
import type { ProvEdge, ProvGraph, ProvNode } from './graphModel';

/** Worst first: a group shows the most alarming status of its members. */
const STATUS_RANK: NodeStatus[] = ['failed', 'killed', 'running', 'scheduled', 'unknown', 'finished', 'ready'];

const KIND_NAMES: Record<NodeKind, string> = {
  dataset: 'datasets',
  pipeline: 'pipelines',
  step: 'steps',
  logged_model: 'logged models',
  model_version: 'model versions',
  alias: 'aliases',
};

/**
 * Collapses nodes of the given kinds: each set of such nodes connected through edges among themselves (e.g. a chain
 * of pipeline steps) becomes one group node "N steps" with the worst member status; edges are rewired to the groups
 * and de-duplicated. Single nodes stay as they are. Collapsing can create cycles; run `breakCycles` afterwards.
 */
export function collapseKinds(graph: ProvGraph, kinds: readonly NodeKind[]): ProvGraph {
  if (kinds.length === 0) return graph;
  const collapsible = new Set(kinds);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // Union-find over edges whose two ends are of the same collapsible kind.
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  for (const e of graph.edges) {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    if (a && b && a.kind === b.kind && collapsible.has(a.kind)) parent.set(find(a.id), find(b.id));
  }
  const groups = new Map<string, ProvNode[]>();
  for (const n of graph.nodes) {
    if (!collapsible.has(n.kind)) continue;
    const root = find(n.id);
    groups.set(root, [...(groups.get(root) ?? []), n]);
  }
  const groupOf = new Map<string, string>();
  const nodes: ProvNode[] = [];
  const placed = new Set<string>();
  for (const n of graph.nodes) {
    const members = collapsible.has(n.kind) ? (groups.get(find(n.id)) ?? [n]) : [n];
    if (members.length === 1) {
      nodes.push(n);
      continue;
    }
    const groupId = `group:${find(n.id)}`;
    groupOf.set(n.id, groupId);
    if (placed.has(groupId)) continue;
    placed.add(groupId);
    const status = STATUS_RANK.find((s) => members.some((m) => m.status === s)) ?? 'unknown';
    const failed = members.filter((m) => m.status === 'failed').length;
    nodes.push({
      id: groupId,
      kind: n.kind,
      title: `${members.length} ${KIND_NAMES[n.kind]}`,
      subtitle:
        members
          .slice(0, 3)
          .map((m) => m.title)
          .join(', ') + (members.length > 3 ? ', …' : ''),
      mainStat: failed > 0 ? `${failed} failed` : '',
      secondaryStat: '',
      status,
      link: '',
      details: members.map((m): [string, string] => [m.title, m.status]),
      members: members.length,
    });
  }
  const keys = new Set<string>();
  const edges: ProvEdge[] = [];
  for (const e of graph.edges) {
    const source = groupOf.get(e.source) ?? e.source;
    const target = groupOf.get(e.target) ?? e.target;
    const key = `${source}\u0000${target}`;
    if (source === target || keys.has(key)) continue;
    keys.add(key);
    edges.push({ source, target });
  }
  return { nodes, edges, problems: graph.problems };
}
