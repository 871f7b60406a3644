import { breakCycles } from './cycles';
import type { ProvEdge } from './graphModel';

/** Kahn's algorithm: true when the edges admit a topological order. */
function isAcyclic(ids: string[], edges: ProvEdge[]): boolean {
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const e of edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const queue = ids.filter((id) => indegree.get(id) === 0);
  let seen = 0;
  while (queue.length > 0) {
    const id = queue.pop();
    seen++;
    for (const e of edges.filter((x) => x.source === id)) {
      indegree.set(e.target, (indegree.get(e.target) ?? 0) - 1);
      if (indegree.get(e.target) === 0) queue.push(e.target);
    }
  }
  return seen === ids.length;
}

const e = (source: string, target: string): ProvEdge => ({ source, target });

describe('breakCycles', () => {
  it('keeps an acyclic graph as it is', () => {
    const edges = [e('a', 'b'), e('b', 'c'), e('a', 'c')];
    expect(breakCycles(['a', 'b', 'c'], edges)).toEqual({ kept: edges, dropped: [] });
  });

  it('drops one edge of a simple cycle and leaves an acyclic graph', () => {
    const edges = [e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd')];
    const { kept, dropped } = breakCycles(['a', 'b', 'c', 'd'], edges);
    expect(dropped).toHaveLength(1);
    expect(kept).toHaveLength(3);
    expect(isAcyclic(['a', 'b', 'c', 'd'], kept)).toBe(true);
  });

  it('breaks interlocking cycles', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const edges = [e('a', 'b'), e('b', 'a'), e('b', 'c'), e('c', 'd'), e('d', 'b'), e('d', 'a')];
    const { kept, dropped } = breakCycles(ids, edges);
    expect(isAcyclic(ids, kept)).toBe(true);
    expect(kept.length + dropped.length).toBe(edges.length);
  });

  it('handles a 20 000-node chain with a back edge without overflowing the stack', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => e(`n${i}`, id));
    edges.push(e('n19999', 'n0'));
    const { dropped } = breakCycles(ids, edges);
    expect(dropped).toEqual([e('n19999', 'n0')]);
  });
});
