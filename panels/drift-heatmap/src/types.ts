/** Version of the saved panel options; `migrateOptions` upgrades anything older. */
export const OPTIONS_VERSION = 1;

/** `auto` draws a category_drift frame when the query returned one, the drift heatmap otherwise. */
export const HEATMAP_MODES = ['auto', 'drift', 'category'] as const;
export type HeatmapMode = (typeof HEATMAP_MODES)[number];

export const ROW_ORDERS = ['name', 'max', 'latest'] as const;
export type RowOrder = (typeof ROW_ORDERS)[number];

export interface HeatmapOptions {
  optionsVersion: number;
  mode: HeatmapMode;
  rowOrder: RowOrder;
  /**
   * Drill-down link of a cell: `${feature}`, `${method}`, `${from}` and `${to}` (the bucket, epoch ms) are filled
   * in, then dashboard variables. Only http(s) and relative links are followed.
   */
  drillDownUrl: string;
  showLegend: boolean;
  /** Gap between cells in CSS pixels (dropped automatically when cells get too small). */
  cellGap: number;
}

export const DEFAULT_DRILL_DOWN_URL =
  '/d/mlsight-feature-drift/feature-drift?var-feature=${feature}&from=${from}&to=${to}';

export const DEFAULT_OPTIONS: HeatmapOptions = {
  optionsVersion: OPTIONS_VERSION,
  mode: 'auto',
  rowOrder: 'max',
  drillDownUrl: DEFAULT_DRILL_DOWN_URL,
  showLegend: true,
  cellGap: 1,
};

function oneOf<T extends string>(list: readonly T[], value: unknown, fallback: T): T {
  return typeof value === 'string' && (list as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Upgrades saved options of any earlier version (or none) to the current shape, keeping what is valid. */
export function migrateOptions(saved: unknown): HeatmapOptions {
  const o = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  const d = DEFAULT_OPTIONS;
  return {
    optionsVersion: OPTIONS_VERSION,
    mode: oneOf(HEATMAP_MODES, o.mode, d.mode),
    rowOrder: oneOf(ROW_ORDERS, o.rowOrder, d.rowOrder),
    drillDownUrl: typeof o.drillDownUrl === 'string' ? o.drillDownUrl : d.drillDownUrl,
    showLegend: typeof o.showLegend === 'boolean' ? o.showLegend : d.showLegend,
    cellGap: typeof o.cellGap === 'number' && o.cellGap >= 0 ? o.cellGap : d.cellGap,
  };
}
