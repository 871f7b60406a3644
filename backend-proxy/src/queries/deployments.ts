import { buildFrame, type DataFrameJSON, type QueryOf } from '@mlsight/contract';
import type { MlflowCallContext, MlflowClient, ModelVersion } from '../mlflow';
import type { QueryContext } from './context';
import { toNumber } from './mlflowUtil';
import { versionTag } from './modelVersions';

export interface Deployment {
  model: string;
  kind: 'alias' | 'stage';
  target: string;
  version: string;
  /** When the alias/stage took effect, as well as MLflow lets us know (see `sinceSource`). */
  since: number | undefined;
  sinceSource: 'deployed_at tag' | 'version updated' | 'version created';
  by: string;
  runId: string;
}

/**
 * MLflow does not record when an alias was set or by whom. We read the version tags `deployed_at`/`deployed_by`
 * when a deploy pipeline sets them (the demo seeder does), else fall back to the version's own timestamps/user.
 */
export function deploymentOf(
  model: string,
  kind: Deployment['kind'],
  target: string,
  version: ModelVersion
): Deployment {
  const taggedAt = toNumber(versionTag(version, 'deployed_at')) ?? Date.parse(versionTag(version, 'deployed_at') ?? '');
  const updated = toNumber(version.last_updated_timestamp);
  let since: number | undefined;
  let sinceSource: Deployment['sinceSource'];
  if (Number.isFinite(taggedAt)) {
    since = taggedAt;
    sinceSource = 'deployed_at tag';
  } else if (kind === 'stage' && updated !== undefined) {
    since = updated;
    sinceSource = 'version updated';
  } else {
    since = toNumber(version.creation_timestamp);
    sinceSource = 'version created';
  }
  return {
    model,
    kind,
    target,
    version: version.version ?? '',
    since,
    sinceSource,
    by: versionTag(version, 'deployed_by') ?? version.user_id ?? '',
    runId: version.run_id ?? '',
  };
}

/** Every alias and non-None stage of one registered model. */
export async function listDeployments(
  mlflow: MlflowClient,
  model: string,
  ctx: MlflowCallContext
): Promise<Deployment[]> {
  const registered = await mlflow.getRegisteredModel(model, ctx);
  const out: Deployment[] = [];
  for (const alias of registered.aliases ?? []) {
    if (!alias.alias || !alias.version) continue;
    const version = await mlflow.getModelVersion(model, alias.version, ctx);
    out.push(deploymentOf(model, 'alias', alias.alias, version));
  }
  for (const latest of registered.latest_versions ?? []) {
    if (latest.current_stage && latest.current_stage !== 'None') {
      out.push(deploymentOf(model, 'stage', latest.current_stage, latest));
    }
  }
  return out;
}

/** `deployments`: aliases (champion/challenger…) and stages with who and when, for one model or all. */
export async function deploymentsHandler(query: QueryOf<'deployments'>, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const models =
    query.model !== undefined
      ? [query.model]
      : (await ctx.mlflow.searchRegisteredModels(undefined, ctx.mlflowCall)).map((m) => m.name ?? '').filter(Boolean);
  const rows = (await Promise.all(models.map((m) => listDeployments(ctx.mlflow, m, ctx.mlflowCall)))).flat();
  rows.sort((a, b) => (b.since ?? 0) - (a.since ?? 0));
  return [
    buildFrame({
      name: 'deployments',
      meta: { preferredVisualisationType: 'table' },
      fields: [
        { name: 'since', type: 'time', values: rows.map((r) => r.since), config: { displayName: 'Since' } },
        { name: 'model', type: 'string', values: rows.map((r) => r.model) },
        { name: 'kind', type: 'string', values: rows.map((r) => r.kind) },
        { name: 'target', type: 'string', values: rows.map((r) => r.target), config: { displayName: 'Alias / stage' } },
        { name: 'version', type: 'string', values: rows.map((r) => r.version) },
        { name: 'by', type: 'string', values: rows.map((r) => r.by), config: { displayName: 'By' } },
        { name: 'since_source', type: 'string', values: rows.map((r) => r.sinceSource) },
        { name: 'run_id', type: 'string', values: rows.map((r) => r.runId) },
      ],
    }),
  ];
}
