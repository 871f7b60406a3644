/**
 * Grafana's data-frame wire format (`DataFrameJSON` in @grafana/data), declared structurally so the proxy
 * does not depend on @grafana/data. The data source turns these back into frames with `dataFrameFromJSON`.
 */
export type FieldType = 'time' | 'number' | 'string' | 'boolean' | 'other';

export interface FieldConfig {
  displayName?: string;
  displayNameFromDS?: string;
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  description?: string;
  links?: Array<{ title: string; url: string; targetBlank?: boolean }>;
  thresholds?: { mode: 'absolute' | 'percentage'; steps: Array<{ value: number | null; color: string }> };
  /** Grafana's field colour scheme; `fixed` with a theme colour name or CSS colour in `fixedColor`. */
  color?: { mode: 'fixed' | 'thresholds' | 'palette-classic' | 'continuous-GrYlRd'; fixedColor?: string };
  custom?: Record<string, unknown>;
}

export interface FieldSchema {
  name: string;
  type: FieldType;
  config?: FieldConfig;
  labels?: Record<string, string>;
}

export interface QueryResultMetaNotice {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** Grafana's `DataFrameType` values MLSight uses; tables carry no type (Grafana has none for them). */
export type FrameType =
  'timeseries-wide' | 'timeseries-long' | 'timeseries-multi' | 'numeric-wide' | 'directory-listing';

export interface FrameMeta {
  type?: FrameType;
  typeVersion?: [number, number];
  preferredVisualisationType?: 'graph' | 'table' | 'logs' | 'trace' | 'nodeGraph' | 'flamegraph' | 'rawPrometheus';
  notices?: QueryResultMetaNotice[];
  executedQueryString?: string;
  /** MLSight-specific facts about the frame (e.g. `stale: true` when served from cache while MLflow is down). */
  custom?: Record<string, unknown>;
}

// A type alias (not an interface) so it is assignable to index-signature types such as JSON records.
export type DataFrameSchema = {
  name?: string;
  refId?: string;
  meta?: FrameMeta;
  fields: FieldSchema[];
};

export interface DataFrameJSON {
  schema: DataFrameSchema;
  data: { values: unknown[][] };
}
