/**
 * A provisioned dashboard's JSON read the way Grafana's DashboardModel reads it — panels with their grid
 * positions, targets, options and field config, template variables, time — and Grafana's grid geometry
 * (24 columns, 30 px rows, 8 px margins) for laying panels out.
 */
import {
  dateMath,
  dateTime,
  rangeUtil,
  type DataQuery,
  type DataSourceRef,
  type FieldConfigSource,
  type TimeRange,
} from '@grafana/data';

export const GRID_COLUMN_COUNT = 24;
export const GRID_CELL_HEIGHT = 30;
export const GRID_CELL_MARGIN = 8;

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardPanelModel {
  id: number;
  type: string;
  title: string;
  gridPos: GridPos;
  datasource?: DataSourceRef;
  targets: DataQuery[];
  options: Record<string, unknown>;
  fieldConfig: FieldConfigSource;
  /** The panel's own lower limit of the query interval (`interval`), e.g. "1h". */
  interval?: string;
  /** Relative time override (`timeFrom`, e.g. "6h": the last six hours whatever the dashboard's range). */
  timeFrom?: string;
  /** Time shift (`timeShift`, e.g. "1d": the range moved a day back). */
  timeShift?: string;
  maxDataPoints?: number;
}

export type VariableType = 'query' | 'textbox' | 'custom' | 'constant';

export interface DashboardVariableModel {
  name: string;
  type: VariableType;
  label?: string;
  query: string | Record<string, unknown>;
  datasource?: DataSourceRef;
  /** The saved current value, and its text (Grafana matches the text when the value is no longer offered). */
  current?: string | string[];
  currentText?: string;
  includeAll: boolean;
  multi: boolean;
  /** Grafana's VariableSort: 0 none, 1/2 alphabetical asc/desc, 3/4 numerical, 5/6 case-insensitive. */
  sort: number;
  hidden: boolean;
}

export interface DashboardModel {
  uid: string;
  title: string;
  tags: string[];
  time: { from: string; to: string };
  panels: DashboardPanelModel[];
  variables: DashboardVariableModel[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function refOf(value: unknown): DataSourceRef | undefined {
  if (!isRecord(value)) return typeof value === 'string' ? { uid: value } : undefined;
  return { uid: stringOf(value.uid), ...(typeof value.type === 'string' ? { type: value.type } : {}) };
}

function gridPosOf(value: unknown, where: string): GridPos {
  if (!isRecord(value)) throw new Error(`${where}: no gridPos`);
  const [x, y, w, h] = (['x', 'y', 'w', 'h'] as const).map((k) => value[k]);
  if (![x, y, w, h].every((n) => typeof n === 'number' && Number.isFinite(n)))
    throw new Error(`${where}: gridPos needs numbers x, y, w, h`);
  return { x: Number(x), y: Number(y), w: Number(w), h: Number(h) };
}

function panelOf(raw: Json, index: number): DashboardPanelModel {
  const where = `panel ${index} ("${stringOf(raw.title)}")`;
  if (typeof raw.type !== 'string') throw new Error(`${where}: no type`);
  const fieldConfig = isRecord(raw.fieldConfig) ? raw.fieldConfig : {};
  return {
    id: typeof raw.id === 'number' ? raw.id : index + 1,
    type: raw.type,
    title: stringOf(raw.title),
    gridPos: gridPosOf(raw.gridPos, where),
    datasource: refOf(raw.datasource),
    targets: Array.isArray(raw.targets) ? raw.targets.filter(isRecord).map((t) => t as unknown as DataQuery) : [],
    options: isRecord(raw.options) ? raw.options : {},
    fieldConfig: {
      defaults: isRecord(fieldConfig.defaults) ? fieldConfig.defaults : {},
      overrides: Array.isArray(fieldConfig.overrides) ? (fieldConfig.overrides as FieldConfigSource['overrides']) : [],
    },
    ...(typeof raw.interval === 'string' && raw.interval !== '' ? { interval: raw.interval } : {}),
    ...(typeof raw.maxDataPoints === 'number' ? { maxDataPoints: raw.maxDataPoints } : {}),
    ...(typeof raw.timeFrom === 'string' && raw.timeFrom !== '' ? { timeFrom: raw.timeFrom } : {}),
    ...(typeof raw.timeShift === 'string' && raw.timeShift !== '' ? { timeShift: raw.timeShift } : {}),
  };
}

function currentOf(value: unknown): string | string[] | undefined {
  if (!isRecord(value)) return undefined;
  const v = value.value;
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? v : undefined;
}

function variableOf(raw: Json): DashboardVariableModel {
  const type = raw.type;
  if (type !== 'query' && type !== 'textbox' && type !== 'custom' && type !== 'constant')
    throw new Error(`variable "${stringOf(raw.name)}": type ${String(type)} is not supported by the host`);
  const query = isRecord(raw.query) ? raw.query : stringOf(raw.query);
  return {
    name: stringOf(raw.name),
    type,
    ...(typeof raw.label === 'string' ? { label: raw.label } : {}),
    query,
    datasource: refOf(raw.datasource),
    current: currentOf(raw.current),
    ...(isRecord(raw.current) && typeof raw.current.text === 'string' ? { currentText: raw.current.text } : {}),
    includeAll: raw.includeAll === true,
    multi: raw.multi === true,
    sort: typeof raw.sort === 'number' ? raw.sort : 0,
    hidden: raw.hide === 2,
  };
}

/**
 * The dashboard's panels in document order; a collapsed row's panels are kept inside it by Grafana and not shown,
 * so they are left out here as well.
 */
export function parseDashboard(json: unknown): DashboardModel {
  if (!isRecord(json)) throw new Error('The dashboard is not a JSON object');
  const templating = isRecord(json.templating) && Array.isArray(json.templating.list) ? json.templating.list : [];
  const time = isRecord(json.time) ? json.time : {};
  const panels = Array.isArray(json.panels) ? json.panels.filter(isRecord) : [];
  return {
    uid: stringOf(json.uid),
    title: stringOf(json.title),
    tags: Array.isArray(json.tags) ? json.tags.map(String) : [],
    time: { from: stringOf(time.from, 'now-6h'), to: stringOf(time.to, 'now') },
    panels: panels.map(panelOf),
    variables: templating.filter(isRecord).map(variableOf),
  };
}

/** A panel's box in pixels on a grid `width` wide, as react-grid-layout places it in Grafana. */
export function panelBox(pos: GridPos, width: number): { left: number; top: number; width: number; height: number } {
  const column = (width - GRID_CELL_MARGIN * (GRID_COLUMN_COUNT - 1)) / GRID_COLUMN_COUNT;
  return {
    left: Math.round(pos.x * (column + GRID_CELL_MARGIN)),
    top: pos.y * (GRID_CELL_HEIGHT + GRID_CELL_MARGIN),
    width: Math.round(pos.w * column + Math.max(0, pos.w - 1) * GRID_CELL_MARGIN),
    height: pos.h * GRID_CELL_HEIGHT + Math.max(0, pos.h - 1) * GRID_CELL_MARGIN,
  };
}

/** The grid's height in pixels: the lowest panel's bottom edge. */
export function gridHeight(panels: readonly DashboardPanelModel[], width: number): number {
  return Math.max(
    0,
    ...panels.map((p) => {
      const box = panelBox(p.gridPos, width);
      return box.top + box.height;
    })
  );
}

/**
 * The range a panel queries, as Grafana's `applyPanelTimeOverrides` computes it: `timeFrom` replaces the
 * dashboard's range by the last `timeFrom` up to now, `timeShift` moves the range back; with a label for the header.
 */
export function panelTimeRange(
  panel: Pick<DashboardPanelModel, 'timeFrom' | 'timeShift'>,
  dashboardRange: TimeRange
): { range: TimeRange; info?: string } {
  let range = dashboardRange;
  const info: string[] = [];
  if (panel.timeFrom) {
    const raw = { from: `now-${panel.timeFrom}`, to: 'now' };
    const from = dateMath.parse(raw.from);
    const to = dateMath.parse(raw.to, true);
    if (!from?.isValid() || !to?.isValid()) throw new Error(`timeFrom "${panel.timeFrom}" is not a time span`);
    range = { from, to, raw };
    info.push(rangeUtil.describeTextRange(raw.from).display);
  }
  if (panel.timeShift) {
    const shift = rangeUtil.intervalToMs(panel.timeShift);
    const from = dateTime(range.from.valueOf() - shift);
    const to = dateTime(range.to.valueOf() - shift);
    range = { from, to, raw: { from, to } };
    info.push(`timeshift -${panel.timeShift}`);
  }
  return info.length > 0 ? { range, info: info.join(' ') } : { range };
}

/** The data source a panel's queries go to: the panel's, else its first target's. */
export function panelDataSource(panel: DashboardPanelModel): DataSourceRef | undefined {
  const fromTarget = panel.targets.map((t) => t.datasource).find((d) => d?.uid);
  return panel.datasource?.uid ? panel.datasource : (fromTarget ?? undefined);
}
