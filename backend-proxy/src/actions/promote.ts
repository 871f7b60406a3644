import { type Actor, PROMOTE_TAGS, type PromoteResponse } from '@mlsight/contract';
import type { MlflowWriteClient } from '../mlflow/writeClient';
import { QueryError } from '../queries/errors';

/** Extra tag (beyond the contract's four): which alias the promote moved, for the deployment annotation. */
export const PROMOTED_ALIAS_TAG = 'mlsight.promoted_alias';

export interface PromoteInput {
  model: string;
  alias: string;
  version: string;
  reason: string;
  expectedVersion: string | null;
  actor: Actor;
}

/** Grafana Viewers may look, not move aliases; Editors and Admins may (the data source checks this too). */
export function requireMayPromote(actor: Actor): void {
  if (actor.role === 'Viewer') {
    throw new QueryError(`${actor.login} is a Viewer: moving an alias needs the Editor or Admin role in Grafana`, 403);
  }
}

/**
 * Moves `alias` to `version`, refusing when the alias no longer points where the caller saw it. MLflow has no
 * compare-and-set: the alias is read fresh, compared with `expectedVersion`, then set — a move by someone else
 * between the read and the set (a few milliseconds) is not detected. The new version is tagged with who, when, why
 * and what it replaced (and `deployed_at`/`deployed_by`, which the deployments table reads).
 * @throws QueryError 409 when the alias moved meanwhile, 404 when the version does not exist, 403 for a Viewer
 */
export async function promote(
  writer: MlflowWriteClient,
  input: PromoteInput,
  nowMs = Date.now()
): Promise<PromoteResponse> {
  requireMayPromote(input.actor);
  const registered = await writer.registeredModel(input.model);
  const current = registered.aliases?.find((a) => a.alias === input.alias)?.version ?? null;
  if (current !== input.expectedVersion) {
    const seen = input.expectedVersion === null ? 'unset' : `version ${input.expectedVersion}`;
    const now = current === null ? 'is unset' : `points at version ${current}`;
    throw new QueryError(
      `alias "${input.alias}" of "${input.model}" ${now}, not ${seen} as this request expected: someone moved it ` +
        'meanwhile; reload and decide again',
      409
    );
  }
  const at = new Date(nowMs).toISOString();
  const tags: Array<[string, string]> = [
    [PROMOTE_TAGS.promotedBy, `${input.actor.login} (${input.actor.role})`],
    [PROMOTE_TAGS.promotedAt, at],
    [PROMOTE_TAGS.reason, input.reason],
    [PROMOTE_TAGS.previousVersion, current ?? ''],
    [PROMOTED_ALIAS_TAG, input.alias],
    [PROMOTE_TAGS.deployedAt, at],
    [PROMOTE_TAGS.deployedBy, input.actor.login],
  ];
  // Tag first: an unknown version fails here (404) before the alias moves.
  for (const [key, value] of tags) await writer.setModelVersionTag(input.model, input.version, key, value);
  await writer.setAlias(input.model, input.alias, input.version);
  return {
    model: input.model,
    alias: input.alias,
    version: input.version,
    previousVersion: current,
    actor: input.actor,
    reason: input.reason,
    at,
  };
}
