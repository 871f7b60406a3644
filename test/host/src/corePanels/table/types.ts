import type { TableCellHeight, TableFooterOptions, TableSortByFieldState } from '@grafana/schema';

/** Grafana 12's table options (`panelcfg.gen.ts` of the table panel). */
export interface TableOptions {
  frameIndex: number;
  showHeader: boolean;
  showTypeIcons?: boolean;
  sortBy?: TableSortByFieldState[];
  cellHeight?: TableCellHeight;
  footer?: TableFooterOptions;
}
