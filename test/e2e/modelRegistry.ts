import { mlflowRest } from '../support/mlflowRest';

/**
 * One registered model's aliases and version tags as MLflow's REST API holds them: what the promote tests read as
 * ground truth, move behind the app's back, and put back afterwards so the specs that follow see the demo as seeded.
 */
export interface RegistryState {
  model: string;
  /** Alias → version, e.g. `{ champion: '2', challenger: '3' }`. */
  aliases: Record<string, string>;
  /** Version → its tags. */
  tags: Record<string, Record<string, string>>;
}

interface Tag {
  key: string;
  value: string;
}

const tagRecord = (tags: Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));

/** The version an alias points at, or undefined when it is unset. */
export async function aliasVersion(mlflowUrl: string, model: string, alias: string): Promise<string | undefined> {
  const query = new URLSearchParams({ name: model, alias });
  const got = await mlflowRest<{ model_version: { version: string } }>(
    mlflowUrl,
    `registered-models/alias?${query.toString()}`
  ).catch(() => undefined);
  return got?.model_version.version;
}

/** Points `alias` at `version` directly in MLflow, as another tool (or person) would. */
export async function setAlias(mlflowUrl: string, model: string, alias: string, version: string): Promise<void> {
  await mlflowRest(mlflowUrl, 'registered-models/alias', { name: model, alias, version });
}

export async function versionTags(mlflowUrl: string, model: string, version: string): Promise<Record<string, string>> {
  const query = new URLSearchParams({ name: model, version });
  const got = await mlflowRest<{ model_version: { tags?: Tag[] } }>(mlflowUrl, `model-versions/get?${query}`);
  return tagRecord(got.model_version.tags);
}

export async function readRegistry(mlflowUrl: string, model: string): Promise<RegistryState> {
  const registered = await mlflowRest<{ registered_model: { aliases?: Array<{ alias: string; version: string }> } }>(
    mlflowUrl,
    `registered-models/get?${new URLSearchParams({ name: model })}`
  );
  const search = new URLSearchParams({ filter: `name='${model.replace(/'/g, "\\'")}'`, max_results: '1000' });
  const versions = await mlflowRest<{ model_versions?: Array<{ version: string; tags?: Tag[] }> }>(
    mlflowUrl,
    `model-versions/search?${search}`
  );
  return {
    model,
    aliases: Object.fromEntries((registered.registered_model.aliases ?? []).map((a) => [a.alias, a.version])),
    tags: Object.fromEntries((versions.model_versions ?? []).map((v) => [v.version, tagRecord(v.tags)])),
  };
}

/**
 * Puts the model's aliases and version tags back as `saved` had them: aliases re-pointed (or deleted when they did
 * not exist), tags a promote added deleted, tags it overwrote (`deployed_at`, `deployed_by`) set to their old values.
 */
export async function restoreRegistry(mlflowUrl: string, saved: RegistryState): Promise<void> {
  const now = await readRegistry(mlflowUrl, saved.model);
  const name = saved.model;
  for (const [alias, version] of Object.entries(saved.aliases)) {
    if (now.aliases[alias] !== version) await setAlias(mlflowUrl, name, alias, version);
  }
  for (const alias of Object.keys(now.aliases)) {
    if (!(alias in saved.aliases)) await mlflowRest(mlflowUrl, 'registered-models/alias', { name, alias }, 'DELETE');
  }
  for (const [version, tags] of Object.entries(saved.tags)) {
    const current = now.tags[version] ?? {};
    for (const key of Object.keys(current)) {
      if (!(key in tags)) await mlflowRest(mlflowUrl, 'model-versions/delete-tag', { name, version, key }, 'DELETE');
    }
    for (const [key, value] of Object.entries(tags)) {
      if (current[key] !== value) await mlflowRest(mlflowUrl, 'model-versions/set-tag', { name, version, key, value });
    }
  }
}
