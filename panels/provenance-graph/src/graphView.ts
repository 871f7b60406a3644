import type { NodeKind } from '@mlsight/contract';
import { breakCycles } from './cycles';
import { collapseKinds } from './collapse';
import type { ProvGraph } from './graphModel';
import { layoutGraph, type GraphLayout } from './layout';
import type { ProvenanceOptions } from './types';

export interface GraphView {
  graph: ProvGraph;
  layout: GraphLayout;
  /** Notes for the user: what was collapsed automatically, what the input had wrong. */
  notes: string[];
}

/** Kinds to collapse: the chosen ones, plus step runs once the graph is larger than the auto-collapse limit. */
export function kindsToCollapse(
  nodeCount: number,
  options: Pick<ProvenanceOptions, 'collapseKinds' | 'autoCollapseAbove'>
): NodeKind[] {
  const kinds = new Set(options.collapseKinds);
  if (options.autoCollapseAbove > 0 && nodeCount > options.autoCollapseAbove) kinds.add('step');
  return [...kinds];
}

/** Frames' graph → collapsed by kind → cycles broken (reported) → laid out. */
export function buildView(input: ProvGraph, options: ProvenanceOptions): GraphView {
  const kinds = kindsToCollapse(input.nodes.length, options);
  const collapsed = collapseKinds(input, kinds);
  const { kept, dropped } = breakCycles(
    collapsed.nodes.map((n) => n.id),
    collapsed.edges
  );
  const notes = [...input.problems];
  if (collapsed.nodes.length < input.nodes.length) {
    notes.unshift(`${input.nodes.length} nodes shown as ${collapsed.nodes.length}: ${kinds.join(', ')} collapsed`);
  }
  for (const e of dropped) notes.push(`cycle: edge ${e.source} → ${e.target} left out`);
  const graph: ProvGraph = { nodes: collapsed.nodes, edges: kept, problems: notes };
  const layout = layoutGraph(
    graph.nodes.map((n) => n.id),
    kept,
    options.direction
  );
  return { graph, layout, notes };
}
