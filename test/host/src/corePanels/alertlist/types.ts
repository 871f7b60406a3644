/** Grafana's alert-list sort orders (alertlist/types.ts): numbers, as saved in dashboards. */
export enum SortOrder {
  AlphaAsc = 1,
  AlphaDesc,
  Importance,
  TimeAsc,
  TimeDesc,
}

export type ViewMode = 'list' | 'stat';
export type GroupMode = 'default' | 'custom';

export interface StateFilter {
  firing: boolean;
  pending: boolean;
  recovering?: boolean;
  noData: boolean;
  normal: boolean;
  error: boolean;
}

/** Grafana 12's `UnifiedAlertListOptions`. */
export interface AlertListOptions {
  viewMode: ViewMode;
  groupMode: GroupMode;
  groupBy: string[];
  maxItems: number;
  sortOrder: SortOrder;
  dashboardAlerts: boolean;
  alertName: string;
  alertInstanceLabelFilter: string;
  datasource: string | null;
  folder: { uid?: string; title?: string } | null;
  showInactiveAlerts: boolean;
  stateFilter: StateFilter;
}

/** One active alert as Prometheus' `GET /api/v1/alerts` lists it. */
export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'firing' | 'pending' | 'inactive';
  /** RFC 3339 time the alert became active. */
  activeAt?: string;
  value?: string;
}
