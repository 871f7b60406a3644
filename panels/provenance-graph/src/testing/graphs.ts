import type { DataFrame } from '@grafana/data';
import { buildNodeGraphFrames, type GraphEdge, type GraphNode } from '@mlsight/contract';
import { fromContract } from '../../../shared/src/testing/contractFrames';

export { demoGraph, randomDag } from './fixtures';

/** Node-graph frames as the provenance query returns them, decoded as the data source decodes them. */
export function toFrames(nodes: GraphNode[], edges: GraphEdge[]): DataFrame[] {
  return buildNodeGraphFrames(nodes, edges, 'A').map(fromContract);
}
