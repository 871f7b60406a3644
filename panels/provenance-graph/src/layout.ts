import {
  coordCenter,
  decrossTwoLayer,
  graphStratify,
  layeringLongestPath,
  sugiyama,
  type Graph,
  type NodeSize,
} from 'd3-dag';
import type { ProvEdge } from './graphModel';
import type { Direction } from './types';

/**
 * Above this many nodes the layout uses the fast operators: d3-dag's defaults (simplex layering, 24 decrossing
 * passes, quadratic-programming coordinates) took ≈80 ms at 30 nodes, ≈260 ms at 50 and ≈480 ms at 100 here
 * (≈0.85 s at 300, ≈9.5 s at 1000), on the UI thread; the fast set ≈35 ms at 100 and ≈75–130 ms at 300.
 */
export const QUALITY_LAYOUT_MAX_NODES = 40;

export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 46;
const GAP_ALONG_LAYER = 16;
const GAP_BETWEEN_LAYERS = 56;

export interface PlacedNode {
  id: string;
  /** Centre of the node. */
  x: number;
  y: number;
}

export interface PlacedEdge extends ProvEdge {
  points: Array<[number, number]>;
}

export interface GraphLayout {
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
  width: number;
  height: number;
  /** Which operator set was used (reported, and chosen by graph size). */
  operators: 'quality' | 'fast';
}

interface Datum {
  id: string;
  parentIds: string[];
}

function build(ids: readonly string[], edges: readonly ProvEdge[]): Graph<Datum, undefined> {
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) parents.get(e.target)?.push(e.source);
  const data = ids.map((id) => ({ id, parentIds: parents.get(id) ?? [] }));
  return graphStratify()(data);
}

/**
 * Lays out an acyclic graph with d3-dag's Sugiyama method (layers, few crossings), choosing operators by size:
 * the defaults for small graphs, longest-path layering + one two-layer decrossing pass + centred coordinates for
 * large ones. Left→right layouts are computed top→bottom with swapped node sizes, then transposed.
 * Callers break cycles first (`breakCycles`) so that they are reported; d3-dag itself lays cyclic input out anyway.
 */
export function layoutGraph(ids: readonly string[], edges: readonly ProvEdge[], direction: Direction): GraphLayout {
  if (ids.length === 0) return { nodes: new Map(), edges: [], width: 0, height: 0, operators: 'quality' };
  const graph = build(ids, edges);
  const horizontal = direction === 'LR';
  const size: NodeSize<Datum, undefined> = horizontal ? [NODE_HEIGHT, NODE_WIDTH] : [NODE_WIDTH, NODE_HEIGHT];
  const gap: [number, number] = [GAP_ALONG_LAYER, GAP_BETWEEN_LAYERS];
  const fast = ids.length > QUALITY_LAYOUT_MAX_NODES;
  const { width, height } = fast
    ? sugiyama()
        .layering(layeringLongestPath())
        .decross(decrossTwoLayer().passes(1))
        .coord(coordCenter())
        .nodeSize(size)
        .gap(gap)(graph)
    : sugiyama().nodeSize(size).gap(gap)(graph);
  const place = (x: number, y: number): [number, number] => (horizontal ? [y, x] : [x, y]);
  const nodes = new Map<string, PlacedNode>();
  for (const node of graph.nodes()) {
    const [x, y] = place(node.x, node.y);
    nodes.set(node.data.id, { id: node.data.id, x, y });
  }
  const placedEdges: PlacedEdge[] = [];
  for (const link of graph.links()) {
    placedEdges.push({
      source: link.source.data.id,
      target: link.target.data.id,
      points: link.points.map(([x, y]) => place(x, y)),
    });
  }
  const [w, h] = horizontal ? [height, width] : [width, height];
  return { nodes, edges: placedEdges, width: w, height: h, operators: fast ? 'fast' : 'quality' };
}
