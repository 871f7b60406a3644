import { NODE_KINDS, type NodeKind } from '@mlsight/contract';

/** Version of the saved panel options; `migrateOptions` upgrades anything older. */
export const OPTIONS_VERSION = 1;

export const DIRECTIONS = ['LR', 'TB'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface ProvenanceOptions {
  optionsVersion: number;
  /** Left → right (pipelines read like text) or top → bottom. */
  direction: Direction;
  /** Base URL of the MLflow UI; a node's `link` is joined to it. Empty: links are used as they come. */
  mlflowBaseUrl: string;
  /** Node kinds drawn as one group node per connected run of that kind. */
  collapseKinds: NodeKind[];
  /** Above this many nodes, step runs are collapsed automatically (0: never). */
  autoCollapseAbove: number;
  showLegend: boolean;
}

export const DEFAULT_OPTIONS: ProvenanceOptions = {
  optionsVersion: OPTIONS_VERSION,
  direction: 'LR',
  mlflowBaseUrl: '',
  collapseKinds: [],
  autoCollapseAbove: 400,
  showLegend: true,
};

const isKind = (v: unknown): v is NodeKind => typeof v === 'string' && (NODE_KINDS as readonly string[]).includes(v);

/** Upgrades saved options of any earlier version (or none) to the current shape, keeping what is valid. */
export function migrateOptions(saved: unknown): ProvenanceOptions {
  const o = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  const d = DEFAULT_OPTIONS;
  return {
    optionsVersion: OPTIONS_VERSION,
    direction: o.direction === 'TB' || o.direction === 'LR' ? o.direction : d.direction,
    mlflowBaseUrl: typeof o.mlflowBaseUrl === 'string' ? o.mlflowBaseUrl : d.mlflowBaseUrl,
    collapseKinds: Array.isArray(o.collapseKinds) ? o.collapseKinds.filter(isKind) : d.collapseKinds,
    autoCollapseAbove:
      typeof o.autoCollapseAbove === 'number' && o.autoCollapseAbove >= 0 ? o.autoCollapseAbove : d.autoCollapseAbove,
    showLegend: typeof o.showLegend === 'boolean' ? o.showLegend : d.showLegend,
  };
}
