import { SceneQueryRunner } from '@grafana/scenes';
import type { MLSightQuery } from '@mlsight/contract';
import { DATASOURCE_TYPE } from '../constants';

/** A query of the MLSight data source without its refId (the runner numbers them A, B, …). */
export type AppQuery = Record<string, unknown> & { queryType: MLSightQuery['queryType'] | 'fleet' };

/**
 * A query runner on the MLSight data source. Queries carry literal values (the model and feature come from the
 * route), so the data source needs no scene variables to interpolate.
 */
export function mlsightQueries(datasourceUid: string, queries: AppQuery[], maxDataPoints?: number): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource: { uid: datasourceUid, type: DATASOURCE_TYPE },
    queries: queries.map((query, i) => ({ refId: String.fromCharCode(65 + i), ...query })),
    ...(maxDataPoints === undefined ? {} : { maxDataPoints }),
  });
}
