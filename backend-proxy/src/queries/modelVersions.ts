import { buildFrame, type DataFrameJSON, type QueryOf } from '@mlsight/contract';
import type { ModelVersion } from '../mlflow';
import type { QueryContext } from './context';
import { escapeFilterValue, toNumber } from './mlflowUtil';

export function versionTag(version: ModelVersion, key: string): string | undefined {
  return version.tags?.find((t) => t.key === key)?.value;
}

export function sortVersionsDesc(versions: readonly ModelVersion[]): ModelVersion[] {
  return [...versions].sort((a, b) => (toNumber(b.version) ?? 0) - (toNumber(a.version) ?? 0));
}

/** `model_versions`: every registered version of a model with its aliases (read from the registered model). */
export async function modelVersionsHandler(
  query: QueryOf<'model_versions'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const versions = sortVersionsDesc(
    await ctx.mlflow.searchModelVersions(`name='${escapeFilterValue(query.model)}'`, ctx.mlflowCall)
  );
  return [
    buildFrame({
      name: `${query.model} versions`,
      meta: { preferredVisualisationType: 'table' },
      fields: [
        { name: 'version', type: 'string', values: versions.map((v) => v.version ?? '') },
        { name: 'aliases', type: 'string', values: versions.map((v) => (v.aliases ?? []).join(', ')) },
        { name: 'status', type: 'string', values: versions.map((v) => v.status ?? '') },
        { name: 'stage', type: 'string', values: versions.map((v) => v.current_stage ?? '') },
        {
          name: 'created',
          type: 'time',
          values: versions.map((v) => toNumber(v.creation_timestamp)),
          config: { displayName: 'Created' },
        },
        { name: 'updated', type: 'time', values: versions.map((v) => toNumber(v.last_updated_timestamp)) },
        { name: 'user', type: 'string', values: versions.map((v) => v.user_id ?? '') },
        { name: 'run_id', type: 'string', values: versions.map((v) => v.run_id ?? '') },
        { name: 'model_id', type: 'string', values: versions.map((v) => v.model_id ?? '') },
        { name: 'source', type: 'string', values: versions.map((v) => v.source ?? '') },
        { name: 'description', type: 'string', values: versions.map((v) => v.description ?? '') },
      ],
    }),
  ];
}
