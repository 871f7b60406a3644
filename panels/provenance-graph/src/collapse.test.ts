/** @jest-environment jsdom */
import { collapseKinds } from './collapse';
import { readGraph, type ProvGraph } from './graphModel';
import { demoGraph, toFrames } from './testing/graphs';

function demo(): ProvGraph {
  const { nodes, edges } = demoGraph();
  const graph = readGraph(toFrames(nodes, edges));
  if (!graph) throw new Error('no graph');
  return graph;
}

describe('collapseKinds', () => {
  it('merges connected steps into one group with the worst status and rewires edges', () => {
    const out = collapseKinds(demo(), ['step']);
    const group = out.nodes.find((n) => n.members > 1);
    expect(group).toMatchObject({ kind: 'step', title: '3 steps', status: 'failed', mainStat: '1 failed', members: 3 });
    expect(out.nodes).toHaveLength(8 - 3 + 1);
    const g = group?.id ?? '';
    expect(out.edges).toEqual(
      expect.arrayContaining([
        { source: 'ds', target: g },
        { source: 'p', target: g },
        { source: g, target: 'lm' },
      ])
    );
    expect(out.edges.some((e) => e.source === e.target)).toBe(false);
  });

  it('keeps single nodes of a collapsed kind and changes nothing without kinds', () => {
    const graph = demo();
    expect(collapseKinds(graph, [])).toBe(graph);
    const out = collapseKinds(graph, ['dataset']);
    expect(out.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
  });
});
