import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { from, map, type Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import type { MLSightVariableQuery } from './types';

/**
 * Query variables (models, versions, aliases, features, segments, experiments) with MLSight's own editor; each
 * definition is answered by `DataSource.metricFindQuery` through `GET /api/v1/variables/{kind}`.
 */
export class MLSightVariableSupport extends CustomVariableSupport<DataSource, MLSightVariableQuery> {
  readonly editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<MLSightVariableQuery>): Observable<DataQueryResponse> {
    const [target] = request.targets;
    return from(this.datasource.metricFindQuery(target, { scopedVars: request.scopedVars, range: request.range })).pipe(
      map((values) => ({ data: values }))
    );
  }
}
