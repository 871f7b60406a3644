/** @jest-environment jsdom */
import { readGraph } from './graphModel';
import { buildView, kindsToCollapse } from './graphView';
import { randomDag, toFrames } from './testing/graphs';
import { DEFAULT_OPTIONS } from './types';

describe('kindsToCollapse', () => {
  it('adds steps above the auto-collapse size only', () => {
    expect(kindsToCollapse(10, { collapseKinds: [], autoCollapseAbove: 400 })).toEqual([]);
    expect(kindsToCollapse(500, { collapseKinds: ['dataset'], autoCollapseAbove: 400 })).toEqual(['dataset', 'step']);
    expect(kindsToCollapse(5000, { collapseKinds: [], autoCollapseAbove: 0 })).toEqual([]);
  });
});

describe('buildView', () => {
  it('reports cycles in the input and still lays the graph out', () => {
    const graph = readGraph(
      toFrames(
        [
          { id: 'a', kind: 'step', title: 'a', status: 'finished' },
          { id: 'b', kind: 'step', title: 'b', status: 'finished' },
          { id: 'c', kind: 'step', title: 'c', status: 'failed' },
        ],
        [
          { source: 'a', target: 'b' },
          { source: 'b', target: 'c' },
          { source: 'c', target: 'a' },
        ]
      )
    );
    if (!graph) throw new Error('no graph');
    const view = buildView(graph, DEFAULT_OPTIONS);
    expect(view.layout.nodes.size).toBe(3);
    expect(view.graph.edges).toHaveLength(2);
    expect(view.notes).toEqual([expect.stringMatching(/^cycle: edge . → . left out$/)]);
  });

  it('collapses steps of a 1000-node graph automatically and says so', () => {
    const dag = randomDag(1000);
    const graph = readGraph(toFrames(dag.nodes, dag.edges));
    if (!graph) throw new Error('no graph');
    const view = buildView(graph, { ...DEFAULT_OPTIONS, autoCollapseAbove: 400 });
    expect(view.graph.nodes.length).toBeLessThan(1000);
    expect(view.notes[0]).toMatch(/^1000 nodes shown as \d+: step collapsed$/);
    expect(view.layout.nodes.size).toBe(view.graph.nodes.length);
  });
});
