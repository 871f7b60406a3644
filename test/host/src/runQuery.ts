import {
  CoreApp,
  rangeUtil,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type TimeRange,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

let requestCounter = 0;

/** How the request's interval is chosen: fixed (the editors' pages), or Grafana's from the panel's width. */
export interface RequestResolution {
  /** The panel's width in pixels: Grafana's default maxDataPoints. */
  maxDataPoints: number;
  /** The data source's `jsonData.timeInterval` (scrape interval), Grafana's lower limit. */
  minInterval?: string;
  panelId?: number;
  dashboardUID?: string;
}

/**
 * A DataQueryRequest as Grafana's query runner builds it for a dashboard panel: with a resolution, the interval is
 * `rangeUtil.calculateInterval(range, maxDataPoints, minInterval)` as PanelQueryRunner computes it; without, 1h.
 */
export function buildRequest<Q extends DataQuery>(
  targets: Q[],
  range: TimeRange,
  app = CoreApp.Dashboard,
  resolution?: RequestResolution
): DataQueryRequest<Q> {
  requestCounter += 1;
  const interval = resolution
    ? rangeUtil.calculateInterval(range, resolution.maxDataPoints, resolution.minInterval)
    : { interval: '1h', intervalMs: 3_600_000 };
  return {
    requestId: `host-${requestCounter}`,
    interval: interval.interval,
    intervalMs: interval.intervalMs,
    maxDataPoints: resolution?.maxDataPoints ?? 720,
    ...(resolution?.panelId === undefined ? {} : { panelId: resolution.panelId }),
    ...(resolution?.dashboardUID === undefined ? {} : { dashboardUID: resolution.dashboardUID }),
    range,
    scopedVars: {},
    targets,
    timezone: 'browser',
    app,
    startTime: Date.now(),
  };
}

/** Runs the plugin's `query()` to completion (Grafana would stream; the last response is what panels show). */
export async function runQuery<Q extends DataQuery>(
  ds: DataSourceApi<Q>,
  targets: Q[],
  range: TimeRange,
  app?: CoreApp,
  resolution?: RequestResolution
): Promise<DataQueryResponse> {
  const filtered = targets.filter((t) => (ds.filterQuery ? ds.filterQuery(t) : true));
  const result = ds.query(buildRequest(filtered, range, app, resolution));
  return result instanceof Promise ? result : lastValueFrom(result);
}
