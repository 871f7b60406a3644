import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, QUALITY_LAYOUT_MAX_NODES } from './layout';
import { demoGraph } from './testing/fixtures';
import { randomDag } from './testing/fixtures';

function noOverlaps(nodes: Array<{ x: number; y: number }>): boolean {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i];
      const b = nodes[j];
      if (a && b && Math.abs(a.x - b.x) < NODE_HEIGHT - 1 && Math.abs(a.y - b.y) < NODE_HEIGHT - 1) return false;
    }
  }
  return true;
}

describe('layoutGraph', () => {
  const { nodes, edges } = demoGraph();
  const ids = nodes.map((n) => n.id);

  it.each(['LR', 'TB'] as const)('places every node, edges pointing %s, without overlaps', (direction) => {
    const layout = layoutGraph(ids, edges, direction);
    expect(layout.nodes.size).toBe(ids.length);
    expect(layout.operators).toBe('quality');
    for (const e of edges) {
      const s = layout.nodes.get(e.source);
      const t = layout.nodes.get(e.target);
      const forward = direction === 'LR' ? (t?.x ?? 0) - (s?.x ?? 0) : (t?.y ?? 0) - (s?.y ?? 0);
      expect(forward).toBeGreaterThan(0);
    }
    expect(noOverlaps([...layout.nodes.values()])).toBe(true);
    for (const n of layout.nodes.values()) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(layout.width);
      expect(n.y).toBeLessThanOrEqual(layout.height);
    }
    expect(layout.edges).toHaveLength(edges.length);
  });

  it('lays out left→right wider than tall for a chain', () => {
    const chain = ['a', 'b', 'c', 'd'];
    const layout = layoutGraph(
      chain,
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'd' },
      ],
      'LR'
    );
    expect(layout.width).toBeGreaterThan(layout.height);
    expect(layout.width).toBeGreaterThanOrEqual(4 * NODE_WIDTH);
  });

  it('handles one node and no nodes', () => {
    expect(layoutGraph(['x'], [], 'LR').nodes.get('x')).toBeDefined();
    expect(layoutGraph([], [], 'LR')).toMatchObject({ width: 0, height: 0 });
  });

  it('lays out disconnected components', () => {
    const layout = layoutGraph(
      ['a', 'b', 'c', 'd'],
      [
        { source: 'a', target: 'b' },
        { source: 'c', target: 'd' },
      ],
      'TB'
    );
    expect(layout.nodes.size).toBe(4);
    expect(noOverlaps([...layout.nodes.values()])).toBe(true);
  });

  it('uses the fast operators for a 300-node DAG and still layers every edge forward', () => {
    const dag = randomDag(300);
    const layout = layoutGraph(
      dag.nodes.map((n) => n.id),
      dag.edges,
      'LR'
    );
    expect(300).toBeGreaterThan(QUALITY_LAYOUT_MAX_NODES);
    expect(layout.operators).toBe('fast');
    expect(layout.nodes.size).toBe(300);
    for (const e of dag.edges) {
      expect((layout.nodes.get(e.target)?.x ?? 0) - (layout.nodes.get(e.source)?.x ?? 0)).toBeGreaterThan(0);
    }
  });

  it('does not hang or fail on a cycle that reached it', () => {
    const layout = layoutGraph(
      ['a', 'b'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
      ],
      'LR'
    );
    expect(layout.nodes.size).toBe(2);
  });
});
