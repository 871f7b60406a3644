import {
  LoadingState,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type PanelData,
} from '@grafana/data';
import { catchError, defer, from, map, of, startWith, type Observable } from 'rxjs';
import { failedPanelData, toPanelData } from '../panels/panelData';

/**
 * Grafana's `runRequest` (set with `setRunRequest`), which Scenes' query runner calls: `datasource.query(request)`
 * as an Observable of PanelData — Loading first, then each response's frames, state and errors with the request —
 * and a thrown or failed query as an Error state with its message (as Grafana's `toDataQueryError` words it).
 * Not covered: merging of streaming packets by key, and the shared-query cancellation Grafana adds.
 */
export function hostRunRequest(datasource: DataSourceApi, request: DataQueryRequest): Observable<PanelData> {
  const loading: PanelData = { state: LoadingState.Loading, series: [], timeRange: request.range, request };
  return defer(() =>
    from(datasource.query(request) as Observable<DataQueryResponse> | Promise<DataQueryResponse>)
  ).pipe(
    map((response) => ({ ...toPanelData(response, request.range), request })),
    catchError((err: unknown) => {
      const data = typeof err === 'object' && err !== null && 'data' in err ? err.data : undefined;
      const message =
        typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string'
          ? data.message
          : err instanceof Error
            ? err.message
            : 'Query error';
      return of({ ...failedPanelData(message, request.range), request });
    }),
    startWith(loading)
  );
}
