/**
 * The requests Grafana sends while people look at the provisioned persona dashboards: one `/api/v1/query` per
 * MLSight panel (its targets together, as the data source batches them), with the dashboard's variables at their
 * saved values, the panel's own time range (`timeFrom`, resolved to epoch ms at each refresh) and its width as
 * maxDataPoints. The interval is left to the
 * proxy, which derives it from maxDataPoints (Grafana's PanelQueryRunner rounds the same quotient to a "nice"
 * interval; @grafana/data, which has that rule, needs a browser window to load).
 */
import {
  interpolateTarget,
  panelsOf,
  SAVED_DASHBOARDS,
  type SavedDashboard,
} from '../../provisioning/dashboardTargets';
import { MLSIGHT_DATASOURCE } from '../../../provisioning/build/dataSources';

/** Pixel width of a 24-column row in the viewer's browser: a panel's default maxDataPoints is its share. */
const DASHBOARD_WIDTH_PX = 1600;
const ALL = '$__all';

export interface PanelRequest {
  dashboard: string;
  panel: string;
  /** The query types of the panel's targets, e.g. `drift_heatmap`. */
  queryTypes: string[];
  /** The request body at this moment: Grafana sends the range as epoch milliseconds resolved when it refreshes. */
  body(): string;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };

/** `now` or `now-<n><s|m|h|d|w>`, the relative times the persona dashboards use, as epoch ms at `nowMs`. */
export function relativeTimeMs(text: string, nowMs: number): number {
  if (text === 'now') return nowMs;
  const match = /^now-(\d+)([smhdw])$/.exec(text);
  if (!match) throw new Error(`relativeTimeMs: unsupported time ${text}`);
  return nowMs - Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

interface SavedVariableState {
  name: string;
  type: string;
  current?: { value?: string | string[] };
  query?: unknown;
}

/** Fetches the first value of a query variable whose saved value is empty (e.g. `run_id`), as Grafana resolves it. */
export type VariableResolver = (kind: string, params: Record<string, string>) => Promise<string | undefined>;

export function proxyVariableResolver(url: string, token: string): VariableResolver {
  return async (kind, params) => {
    const response = await fetch(`${url}/api/v1/variables/${kind}?${new URLSearchParams(params).toString()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) return undefined;
    const values = (await response.json()) as Array<{ value: string }>;
    return values[0]?.value;
  };
}

async function variableValues(
  dashboard: SavedDashboard,
  resolve: VariableResolver,
  overrides: Readonly<Record<string, string>>
): Promise<{ values: Record<string, string>; allSelected: Set<string> }> {
  const values: Record<string, string> = {};
  const allSelected = new Set<string>();
  for (const variable of dashboard.templating.list as SavedVariableState[]) {
    const saved = overrides[variable.name] ?? variable.current?.value;
    const value = Array.isArray(saved) ? saved[0] : saved;
    if (value === ALL) {
      allSelected.add(variable.name);
    } else if (value) {
      values[variable.name] = value;
    } else if (variable.type === 'query' && typeof variable.query === 'object' && variable.query !== null) {
      const { kind, refId: _refId, ...rest } = interpolateTarget(variable.query as Record<string, unknown>, values);
      const params = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
      const first = typeof kind === 'string' ? await resolve(kind, params) : undefined;
      if (first !== undefined) values[variable.name] = first;
    }
  }
  return { values, allSelected };
}

/**
 * Every MLSight panel of every provisioned dashboard as the request Grafana would send for it, with the variables
 * at their saved values unless `overrides` picks another (e.g. `{ model: 'other' }`).
 */
export async function dashboardPanelRequests(
  resolve: VariableResolver,
  opts: { overrides?: Readonly<Record<string, string>> } = {}
): Promise<PanelRequest[]> {
  const requests: PanelRequest[] = [];
  for (const dashboard of SAVED_DASHBOARDS) {
    const { values, allSelected } = await variableValues(dashboard, resolve, opts.overrides ?? {});
    const time = (dashboard as SavedDashboard & { time: { from: string; to: string } }).time;
    for (const panel of panelsOf(dashboard)) {
      const targets = (panel.targets ?? []).filter((t) => t.datasource.uid === MLSIGHT_DATASOURCE.uid);
      if (targets.length === 0) continue;
      const timeFrom = (panel as { timeFrom?: string }).timeFrom;
      const from = timeFrom ? `now-${timeFrom}` : time.from;
      const to = time.to;
      const maxDataPoints = Math.round((panel.gridPos.w / 24) * DASHBOARD_WIDTH_PX);
      const queries = targets.map((t) => interpolateTarget(t, values, allSelected));
      requests.push({
        dashboard: dashboard.uid,
        panel: panel.title,
        queryTypes: queries.map((q) => String(q.queryType)),
        body: () => {
          const now = Date.now();
          return JSON.stringify({
            from: relativeTimeMs(from, now),
            to: relativeTimeMs(to, now),
            maxDataPoints,
            queries,
          });
        },
      });
    }
  }
  return requests;
}

/** Grafana's dashboards refresh every 5 minutes; the storm assumes every panel every 30 s. */
export const STORM_REFRESH_MS = 30_000;
