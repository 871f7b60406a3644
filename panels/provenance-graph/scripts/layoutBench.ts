/**
 * Layout time of the provenance panel's d3-dag wrapper on random pipeline DAGs (a benchmark, not a test):
 * `npx tsx panels/provenance-graph/scripts/layoutBench.ts` from the repository root. Target: ≤300 ms for 300 nodes.
 */
import { layoutGraph } from '../src/layout';
import { randomDag } from '../src/testing/fixtures';

for (const n of [100, 300, 1000]) {
  const { nodes, edges } = randomDag(n);
  const ids = nodes.map((node) => node.id);
  layoutGraph(ids, edges, 'LR'); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const layout = layoutGraph(ids, edges, 'LR');
    times.push(performance.now() - t0);
    if (layout.nodes.size !== n) throw new Error('layout lost nodes');
  }
  times.sort((a, b) => a - b);
  console.log(
    `${n} nodes, ${edges.length} edges: median ${times[2]?.toFixed(1)} ms (${layoutGraph(ids, edges, 'LR').operators} operators)`
  );
}
