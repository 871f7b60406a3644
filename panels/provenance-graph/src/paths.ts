import type { ProvEdge } from './graphModel';

function reach(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const n of next.get(queue[i] ?? '') ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  seen.delete(start);
  return seen;
}

/** Everything a node came from (upstream) and everything that came from it (downstream), by breadth-first search. */
export function lineageOf(id: string, edges: readonly ProvEdge[]): { upstream: Set<string>; downstream: Set<string> } {
  const children = new Map<string, string[]>();
  const parents = new Map<string, string[]>();
  for (const e of edges) {
    children.set(e.source, [...(children.get(e.source) ?? []), e.target]);
    parents.set(e.target, [...(parents.get(e.target) ?? []), e.source]);
  }
  return { upstream: reach(id, parents), downstream: reach(id, children) };
}
