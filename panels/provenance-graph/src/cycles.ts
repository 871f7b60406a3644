import type { ProvEdge } from './graphModel';

/**
 * Makes the edge set acyclic by dropping back edges found by an iterative depth-first search (no recursion, so
 * deep pipelines cannot overflow the stack). Lineage should never have cycles; when the input does, the panel draws
 * the rest and reports the dropped edges instead of hanging or failing.
 * @returns the kept edges (input order) and the dropped ones
 */
export function breakCycles(
  nodeIds: readonly string[],
  edges: readonly ProvEdge[]
): { kept: ProvEdge[]; dropped: ProvEdge[] } {
  const out = new Map<string, ProvEdge[]>();
  for (const id of nodeIds) out.set(id, []);
  for (const e of edges) out.get(e.source)?.push(e);
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  const dropped = new Set<ProvEdge>();
  for (const root of nodeIds) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const children = out.get(top.id) ?? [];
      const edge = children[top.next++];
      if (!edge) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const s = state.get(edge.target);
      if (s === 1) dropped.add(edge);
      else if (s === undefined) {
        state.set(edge.target, 1);
        stack.push({ id: edge.target, next: 0 });
      }
    }
  }
  return { kept: edges.filter((e) => !dropped.has(e)), dropped: edges.filter((e) => dropped.has(e)) };
}
