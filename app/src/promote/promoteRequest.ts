import type { DataFrame } from '@grafana/data';

/** Grafana's org roles (boot data `user.orgRole`); `None` is a user without a role in the org. */
export type OrgRole = 'Viewer' | 'Editor' | 'Admin' | 'None' | '';

/** Only Editors and Admins may move an alias (the Go backend refuses Viewers again, with 403). */
export function canPromote(orgRole: string | undefined): boolean {
  return orgRole === 'Editor' || orgRole === 'Admin';
}

/** The data-source resource route the Go backend relays to the proxy's `POST /api/v1/models/:name/aliases/:alias`. */
export function promoteUrl(datasourceUid: string): string {
  return `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/aliases/promote`;
}

/** The resource route's body (the actor is added by the Go side from the plugin context's user). */
export interface PromoteBody {
  model: string;
  alias: string;
  version: string;
  reason: string;
  /** The version the alias points at as the user saw it; the proxy answers 409 when it moved meanwhile. */
  expectedVersion: string | null;
}

export const REASON_MAX = 500;

export interface VersionChoice {
  version: string;
  aliases: string[];
}

/** The model's versions, newest first, with their aliases, from the model_versions frame (version, aliases). */
export function versionChoices(frame: DataFrame | undefined): VersionChoice[] {
  const versions = frame?.fields.find((f) => f.name === 'version')?.values ?? [];
  const aliases = frame?.fields.find((f) => f.name === 'aliases')?.values ?? [];
  return versions
    .map((v, i) => ({
      version: String(v),
      aliases: String(aliases[i] ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    }))
    .sort((a, b) => Number(b.version) - Number(a.version));
}

/** The version an alias points at now, or null when no version carries it. */
export function aliasVersion(choices: VersionChoice[], alias: string): string | null {
  return choices.find((c) => c.aliases.includes(alias))?.version ?? null;
}

/** What is wrong with the form, or undefined when it can be sent. */
export function promoteProblem(body: PromoteBody): string | undefined {
  if (body.version === '') return 'Choose a version.';
  if (body.version === body.expectedVersion) return `${body.alias} already points at version ${body.version}.`;
  const reason = body.reason.trim();
  if (reason === '') return 'Say why: the reason is written on the version as mlsight.promote_reason.';
  if (reason.length > REASON_MAX) return `The reason is ${reason.length} characters; at most ${REASON_MAX}.`;
  return undefined;
}

function messageOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  if ('message' in data && typeof data.message === 'string' && data.message !== '') return data.message;
  if ('error' in data && typeof data.error === 'string' && data.error !== '') return data.error;
  return undefined;
}

/**
 * The sentence the modal shows for a failed promote: the proxy's own message for a conflict (the alias moved
 * meanwhile) and refusals, else the status.
 */
export function promoteErrorMessage(error: unknown): string {
  const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : undefined;
  const data = typeof error === 'object' && error !== null && 'data' in error ? error.data : undefined;
  const message = messageOf(data);
  if (status === 409) return message ?? 'The alias moved meanwhile: reload the versions and try again.';
  if (status === 403) return message ?? 'Only Editors and Admins may promote or roll back.';
  if (message) return message;
  if (error instanceof Error) return error.message;
  return status ? `Promote failed (HTTP ${status}).` : 'Promote failed.';
}
