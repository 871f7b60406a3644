/**
 * The slice of Grafana's dashboard JSON model (schemaVersion 41, Grafana 12.0) the persona dashboards use, and small
 * builders for it. Grafana's own dashboards-as-code SDK (@grafana/grafana-foundation-sdk) is not a dependency of
 * this repo; these types keep the generated JSON in the same shape and the MLSight targets typed by the contract.
 */
import type { AnnotationKind, QueryOf, QueryType } from '@mlsight/contract';

export const SCHEMA_VERSION = 41;
export const MLSIGHT_DATASOURCE = { type: 'mlsight-mlflow-datasource', uid: 'mlsight' } as const;
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'mlsight-prometheus' } as const;
export const GRAFANA_DATASOURCE = { type: 'grafana', uid: '-- Grafana --' } as const;

export type DataSourceRef = typeof MLSIGHT_DATASOURCE | typeof PROMETHEUS_DATASOURCE | typeof GRAFANA_DATASOURCE;

/** An MLSight panel query: a contract query (its string fields may name dashboard variables) plus the data source. */
export type MLSightTarget<T extends QueryType = QueryType> = QueryOf<T> & { datasource: typeof MLSIGHT_DATASOURCE };

export interface PrometheusTarget {
  refId: string;
  datasource: typeof PROMETHEUS_DATASOURCE;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}

export type Target = MLSightTarget | PrometheusTarget;

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Threshold {
  value: number | null;
  color: string;
}

export interface FieldConfig {
  defaults: {
    unit?: string;
    decimals?: number;
    min?: number;
    max?: number;
    displayName?: string;
    color?: { mode: string };
    thresholds?: { mode: 'absolute' | 'percentage'; steps: Threshold[] };
    mappings?: unknown[];
    links?: Array<{ title: string; url: string }>;
    custom?: Record<string, unknown>;
  };
  overrides: unknown[];
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: DataSourceRef;
  targets?: Target[];
  options?: Record<string, unknown>;
  fieldConfig?: FieldConfig;
  transformations?: Array<{ id: string; options: Record<string, unknown> }>;
  links?: Array<{ title: string; url: string }>;
  collapsed?: boolean;
  panels?: Panel[];
}

export interface QueryVariable {
  type: 'query';
  name: string;
  label: string;
  datasource: typeof MLSIGHT_DATASOURCE;
  /** The object MLSight's variable editor saves (`GET /api/v1/variables/{kind}`). */
  query: { refId: string; kind: string; model?: string; experiment?: string };
  definition: string;
  refresh: 1 | 2;
  includeAll: boolean;
  multi: boolean;
  sort: number;
  current: { text: string; value: string };
  options: [];
}

export interface TextVariable {
  type: 'textbox' | 'constant';
  name: string;
  label: string;
  query: string;
  current: { text: string; value: string };
  hide?: 0 | 1 | 2;
  description?: string;
}

export type Variable = QueryVariable | TextVariable;

export interface AnnotationLayer {
  name: string;
  datasource: DataSourceRef;
  enable: boolean;
  hide?: boolean;
  iconColor: string;
  builtIn?: 1;
  type?: 'dashboard';
  target?: { refId: string; queryType: 'annotations'; model?: string; kinds: AnnotationKind[]; limit?: number };
}

export interface DashboardLink {
  title: string;
  type: 'link' | 'dashboards';
  url?: string;
  tags?: string[];
  asDropdown?: boolean;
  includeVars?: boolean;
  keepTime?: boolean;
  targetBlank?: boolean;
  icon?: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  graphTooltip: 0 | 1 | 2;
  refresh: string;
  schemaVersion: number;
  time: { from: string; to: string };
  timepicker: Record<string, never>;
  timezone: string;
  templating: { list: Variable[] };
  annotations: { list: AnnotationLayer[] };
  links: DashboardLink[];
  panels: Panel[];
  version: number;
}

/** The panel types the dashboards may use: MLSight's three and Grafana's core ones. */
export const MLSIGHT_PANEL_TYPES = [
  'mlsight-driftheatmap-panel',
  'mlsight-explanations-panel',
  'mlsight-provenance-panel',
] as const;
export const CORE_PANEL_TYPES = [
  'row',
  'stat',
  'gauge',
  'bargauge',
  'timeseries',
  'table',
  'text',
  'alertlist',
  'annolist',
  'dashlist',
  'nodeGraph',
  'state-timeline',
  'heatmap',
  'barchart',
  'piechart',
] as const;
export type PanelType = (typeof MLSIGHT_PANEL_TYPES)[number] | (typeof CORE_PANEL_TYPES)[number];

/** A typed MLSight query with the data source attached. */
export function mlsight<T extends QueryType>(query: QueryOf<T>): MLSightTarget<T> {
  return { ...query, datasource: MLSIGHT_DATASOURCE };
}

export function prometheus(refId: string, expr: string, legendFormat?: string, instant = false): PrometheusTarget {
  return {
    refId,
    datasource: PROMETHEUS_DATASOURCE,
    expr,
    ...(legendFormat ? { legendFormat } : {}),
    ...(instant ? { instant: true, range: false } : {}),
  };
}

export interface PanelSpec {
  type: PanelType;
  title: string;
  description?: string;
  size: { w: number; h: number };
  targets?: Target[];
  options?: Record<string, unknown>;
  fieldConfig?: Partial<FieldConfig['defaults']>;
  overrides?: unknown[];
  transformations?: Panel['transformations'];
  links?: Panel['links'];
}

/**
 * Lays panels out left to right on Grafana's 24-column grid, wrapping to a new line when a panel does not fit, and
 * numbers them. Rows (`type: 'row'`) always start a new line and take the full width.
 */
export function layout(specs: readonly PanelSpec[]): Panel[] {
  const panels: Panel[] = [];
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  specs.forEach((spec, index) => {
    const w = spec.type === 'row' ? 24 : spec.size.w;
    const h = spec.type === 'row' ? 1 : spec.size.h;
    if (x + w > 24 || spec.type === 'row') {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    const datasource = spec.targets?.[0]?.datasource;
    panels.push({
      id: index + 1,
      type: spec.type,
      title: spec.title,
      ...(spec.description ? { description: spec.description } : {}),
      gridPos: { x, y, w, h },
      ...(spec.type === 'row' ? { collapsed: false, panels: [] } : {}),
      ...(datasource ? { datasource } : {}),
      ...(spec.targets ? { targets: spec.targets } : {}),
      ...(spec.options ? { options: spec.options } : {}),
      ...(spec.type === 'row'
        ? {}
        : { fieldConfig: { defaults: { ...spec.fieldConfig }, overrides: spec.overrides ?? [] } }),
      ...(spec.transformations ? { transformations: spec.transformations } : {}),
      ...(spec.links ? { links: spec.links } : {}),
    });
    x += w;
    lineHeight = Math.max(lineHeight, h);
    if (spec.type === 'row') {
      y += 1;
      x = 0;
      lineHeight = 0;
    }
  });
  return panels;
}

export function row(title: string): PanelSpec {
  return { type: 'row', title, size: { w: 24, h: 1 } };
}

export function text(title: string, content: string, size: PanelSpec['size']): PanelSpec {
  return { type: 'text', title, size, options: { mode: 'markdown', content } };
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  time?: { from: string; to: string };
  variables: Variable[];
  annotations?: AnnotationLayer[];
  links?: DashboardLink[];
  panels: PanelSpec[];
}

/** Grafana's built-in annotation layer (alerts and manual annotations), present on every dashboard. */
const BUILT_IN_ANNOTATIONS: AnnotationLayer = {
  name: 'Annotations & Alerts',
  datasource: GRAFANA_DATASOURCE,
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  builtIn: 1,
  type: 'dashboard',
};

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['mlsight', ...spec.tags],
    editable: true,
    graphTooltip: 1,
    refresh: '5m',
    schemaVersion: SCHEMA_VERSION,
    time: spec.time ?? { from: 'now-30d', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    templating: { list: spec.variables },
    annotations: { list: [BUILT_IN_ANNOTATIONS, ...(spec.annotations ?? [])] },
    links: spec.links ?? [],
    panels: layout(spec.panels),
    version: 1,
  };
}
