/**
 * Assembles the persona dashboards with Grafana's dashboards-as-code SDK (@grafana/grafana-foundation-sdk): its
 * builders make the dashboard, rows, core panels, Prometheus queries, variables, annotations and links, and its
 * `defaultDashboard()` sets `schemaVersion` 41, what Grafana 12.0 writes, so Grafana 12 loads the files as they are.
 * The SDK's 11.6 schema line is used because it is the newest on the registry (its `latest` tag is an old preview).
 *
 * Hand-typed, because the SDK cannot type them: MLSight's queries, annotation target and panel plugins
 * (./mlsight.ts, typed by the contract and the plugins' own option types) and the alert-list panel's options (the
 * 11.6 line has no alertlist package, so `alertList()` fills the SDK's generic panel builder). Panel ids and grid
 * positions come from `layout()` below, not from the SDK's builder, which does not wrap a panel that overflows a line.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  type AnnotationQuery,
  AnnotationQueryBuilder,
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  type DashboardLink,
  type DataSourceRef,
  type GridPos,
  type Panel,
  PanelBuilder,
  RowBuilder,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { ReduceDataOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder as PrometheusQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as textPanel from '@grafana/grafana-foundation-sdk/text';
import { GRAFANA_DATASOURCE, PROMETHEUS_DATASOURCE } from './dataSources';

/** Grafana's core panel types the dashboards may use (MLSight's own are MLSIGHT_PANEL_TYPES). */
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

const GRID_COLUMNS = 24;

/** A PromQL target of the provisioned Prometheus; `instant` asks for the latest value only. */
export function prometheus(
  refId: string,
  expr: string,
  legendFormat?: string,
  instant = false
): PrometheusQueryBuilder {
  const query = new PrometheusQueryBuilder().refId(refId).datasource(PROMETHEUS_DATASOURCE).expr(expr);
  if (legendFormat) query.legendFormat(legendFormat);
  if (instant) query.instant();
  return query;
}

/** Reduces each field to its last non-null value; `fields` (a regular expression) picks the fields shown. */
export function lastValue(fields?: string): ReduceDataOptionsBuilder {
  const reduce = new ReduceDataOptionsBuilder().calcs(['lastNotNull']);
  if (fields) reduce.fields(fields);
  return reduce.values(false);
}

/** Colour steps by absolute value; the first step (`value: null`) is the base colour. */
export function absoluteThresholds(steps: Threshold[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}

export function text(title: string, content: string, size: { w: number; h: number }): textPanel.PanelBuilder {
  return new textPanel.PanelBuilder()
    .title(title)
    .mode(textPanel.TextMode.Markdown)
    .content(content)
    .span(size.w)
    .height(size.h);
}

/** Options of Grafana's alert-list panel (`UnifiedAlertListOptions` of its alertlist plugin). */
export interface AlertListOptions {
  viewMode: 'list' | 'stat';
  groupMode: 'default' | 'custom';
  maxItems: number;
  /** 1 alphabetical asc, 2 desc, 3 importance, 4 time asc, 5 desc. */
  sortOrder: 1 | 2 | 3 | 4 | 5;
  dashboardAlerts: boolean;
  alertInstanceLabelFilter: string;
  stateFilter: { firing: boolean; pending: boolean; noData: boolean; normal: boolean; error: boolean };
  folder: { title: string };
}

export function alertList(options: AlertListOptions): PanelBuilder {
  return new PanelBuilder().type('alertlist').options(options);
}

/** What `layout()` sets on a panel builder: every SDK panel builder (and MLSightPanelBuilder) has these. */
export type PanelItem = cog.Builder<Panel> & {
  id(id: number): unknown;
  gridPos(gridPos: GridPos): unknown;
  datasource(datasource: DataSourceRef): unknown;
};
export type LayoutItem = PanelItem | RowBuilder;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The data source of a panel's first query, which Grafana's editor also saves as the panel's. */
function firstTargetDataSource(panel: Panel): DataSourceRef | undefined {
  const first: unknown = panel.targets?.[0];
  if (!isRecord(first) || !isRecord(first.datasource)) return undefined;
  const { type, uid } = first.datasource;
  return typeof type === 'string' && typeof uid === 'string' ? { type, uid } : undefined;
}

/**
 * Lays panels out left to right on Grafana's 24-column grid, wrapping to a new line when a panel does not fit, and
 * numbers them from 1. Rows always start a new line and take the full width. A panel's size comes from its
 * builder's `span()` and `height()`.
 */
export function layout(items: readonly LayoutItem[]): LayoutItem[] {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  items.forEach((item, index) => {
    const id = index + 1;
    if (item instanceof RowBuilder) {
      y += lineHeight;
      item.id(id).gridPos({ x: 0, y, w: GRID_COLUMNS, h: 1 });
      y += 1;
      x = 0;
      lineHeight = 0;
      return;
    }
    const panel = item.build();
    const size = panel.gridPos;
    if (!size) throw new Error(`layout: panel "${panel.title ?? id}" has no size; set span() and height()`);
    if (x + size.w > GRID_COLUMNS) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    item.id(id);
    item.gridPos({ x, y, w: size.w, h: size.h });
    const dataSource = panel.datasource ?? firstTargetDataSource(panel);
    if (dataSource) item.datasource(dataSource);
    x += size.w;
    lineHeight = Math.max(lineHeight, size.h);
  });
  return [...items];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  time?: { from: string; to: string };
  variables: cog.Builder<VariableModel>[];
  annotations?: cog.Builder<AnnotationQuery>[];
  links?: cog.Builder<DashboardLink>[];
  panels: LayoutItem[];
}

/** Grafana's built-in annotation layer (alerts and manual annotations), present on every dashboard. */
const BUILT_IN_ANNOTATIONS = new AnnotationQueryBuilder()
  .name('Annotations & Alerts')
  .datasource(GRAFANA_DATASOURCE)
  .enable(true)
  .hide(true)
  .iconColor('rgba(0, 211, 255, 1)')
  .builtIn(1)
  .type('dashboard');

export function dashboard(spec: DashboardSpec): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['mlsight', ...spec.tags])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('5m')
    .time(spec.time ?? { from: 'now-30d', to: 'now' })
    .timezone('browser')
    .variables(spec.variables)
    .annotations([BUILT_IN_ANNOTATIONS, ...(spec.annotations ?? [])])
    .links(spec.links ?? [])
    .version(1);
  for (const item of layout(spec.panels)) {
    if (item instanceof RowBuilder) builder.withRow(item);
    else builder.withPanel(item);
  }
  return builder.build();
}
