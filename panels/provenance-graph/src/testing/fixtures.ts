import { NODE_KINDS, type GraphEdge, type GraphNode } from '@mlsight/contract';

/** Deterministic pseudo-random numbers (a linear congruential generator), so fixtures are stable. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random layered pipeline DAG of n nodes (edges only go from lower to higher index, so it is acyclic). */
export function randomDag(n: number, seed = 42): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const rnd = lcg(seed);
  const nodes: GraphNode[] = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    kind: NODE_KINDS[Math.min(NODE_KINDS.length - 1, Math.floor((i / n) * NODE_KINDS.length))] ?? 'step',
    title: `node ${i}`,
    status: rnd() < 0.05 ? 'failed' : 'finished',
  }));
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < n; i++) {
    const parents = 1 + Math.floor(rnd() * 2);
    for (let p = 0; p < parents; p++) {
      const source = Math.max(0, i - 1 - Math.floor(rnd() * Math.min(i, 20)));
      const key = `${source}->${i}`;
      if (!seen.has(key)) {
        seen.add(key);
        edges.push({ source: `n${source}`, target: `n${i}` });
      }
    }
  }
  return { nodes, edges };
}

/** dataset → pipeline → 3 steps (one failed) → logged model → version → alias, as the provenance query returns it. */
export function demoGraph(): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [
    { id: 'ds', kind: 'dataset', title: 'churn.parquet', status: 'ready', details: { digest: 'abc123' } },
    { id: 'p', kind: 'pipeline', title: 'train pipeline', status: 'failed', link: '#/experiments/1/runs/p' },
    { id: 's1', kind: 'step', title: 'prepare', status: 'finished', mainStat: '12 s', link: '#/experiments/1/runs/s1' },
    {
      id: 's2',
      kind: 'step',
      title: 'train',
      status: 'failed',
      mainStat: '3 min',
      link: '#/experiments/1/runs/s2',
      details: { user: 'ana', 'params.lr': '0.1', started: '2026-11-20 10:00' },
    },
    { id: 's3', kind: 'step', title: 'evaluate', status: 'scheduled' },
    { id: 'lm', kind: 'logged_model', title: 'model m-1', status: 'ready' },
    { id: 'v3', kind: 'model_version', title: 'churn v3', status: 'ready', link: 'javascript:alert(1)' },
    { id: 'champion', kind: 'alias', title: '@champion', status: 'ready' },
  ];
  const edges: GraphEdge[] = [
    { source: 'ds', target: 's1' },
    { source: 'p', target: 's1' },
    { source: 's1', target: 's2' },
    { source: 's2', target: 's3' },
    { source: 's2', target: 'lm' },
    { source: 'lm', target: 'v3' },
    { source: 'v3', target: 'champion' },
  ];
  return { nodes, edges };
}
