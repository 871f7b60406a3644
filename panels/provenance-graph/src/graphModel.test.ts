/** @jest-environment jsdom */
import { toDataFrame } from '@grafana/data';
import { readGraph } from './graphModel';
import { demoGraph, toFrames } from './testing/graphs';

describe('readGraph', () => {
  it('reads node-graph frames: kinds, statuses, stats, details and links', () => {
    const { nodes, edges } = demoGraph();
    const graph = readGraph(toFrames(nodes, edges));
    expect(graph?.nodes.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
    expect(graph?.edges).toHaveLength(edges.length);
    expect(graph?.problems).toEqual([]);
    const train = graph?.nodes.find((n) => n.id === 's2');
    expect(train).toMatchObject({ kind: 'step', status: 'failed', mainStat: '3 min', link: '#/experiments/1/runs/s2' });
    expect(train?.details).toEqual([
      ['params.lr', '0.1'],
      ['started', '2026-11-20 10:00'],
      ['user', 'ana'],
    ]);
    expect(graph?.nodes.find((n) => n.id === 'ds')?.details).toEqual([['digest', 'abc123']]);
  });

  it('reads a single node without edges', () => {
    const graph = readGraph(toFrames([{ id: 'only', kind: 'dataset', title: 'd', status: 'ready' }], []));
    expect(graph?.nodes).toHaveLength(1);
    expect(graph?.edges).toEqual([]);
  });

  it('reports and leaves out dangling edges, self-loops, duplicate ids and duplicate edges', () => {
    const frames = [
      toDataFrame({
        name: 'nodes',
        fields: [
          { name: 'id', values: ['a', 'b', 'a'] },
          { name: 'title', values: ['A', 'B', 'A again'] },
          { name: 'kind', values: ['mystery', 'dataset', 'step'] },
          { name: 'status', values: ['FAILED', 'weird', 'finished'] },
        ],
      }),
      toDataFrame({
        name: 'edges',
        fields: [
          { name: 'id', values: ['1', '2', '3', '4'] },
          { name: 'source', values: ['a', 'a', 'b', 'a'] },
          { name: 'target', values: ['b', 'zzz', 'b', 'b'] },
        ],
      }),
    ];
    const graph = readGraph(frames);
    expect(graph?.nodes.map((n) => [n.id, n.kind, n.status])).toEqual([
      ['a', 'step', 'failed'],
      ['b', 'dataset', 'unknown'],
    ]);
    expect(graph?.edges).toEqual([{ source: 'a', target: 'b' }]);
    expect(graph?.problems).toEqual([
      'duplicate node id a',
      'edge a → zzz names an unknown node',
      'edge b → b is a self-loop',
    ]);
  });

  it('gives undefined without a nodes frame or with an empty one', () => {
    expect(readGraph([])).toBeUndefined();
    expect(readGraph(toFrames([], []))).toBeUndefined();
    expect(readGraph([toDataFrame({ fields: [{ name: 'value', values: [1] }] })])).toBeUndefined();
  });
});
