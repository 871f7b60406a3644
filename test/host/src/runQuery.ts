import {
  CoreApp,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type TimeRange,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

let requestCounter = 0;

/** A DataQueryRequest as Grafana's query runner builds it for a dashboard panel. */
export function buildRequest<Q extends DataQuery>(
  targets: Q[],
  range: TimeRange,
  app = CoreApp.Dashboard
): DataQueryRequest<Q> {
  requestCounter += 1;
  return {
    requestId: `host-${requestCounter}`,
    interval: '1h',
    intervalMs: 3_600_000,
    maxDataPoints: 720,
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
  app?: CoreApp
): Promise<DataQueryResponse> {
  const filtered = targets.filter((t) => (ds.filterQuery ? ds.filterQuery(t) : true));
  const result = ds.query(buildRequest(filtered, range, app));
  return result instanceof Promise ? result : lastValueFrom(result);
}
