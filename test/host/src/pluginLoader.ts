import { DataSourcePlugin, type DataSourceApi, type DataSourcePluginMeta, type PluginMeta } from '@grafana/data';
import type { AmdLoader } from './amdLoader';

/** Where Grafana serves a plugin's files: `public/plugins/<id>/`. */
export function pluginBaseUrl(pluginId: string): string {
  return `/public/plugins/${encodeURIComponent(pluginId)}`;
}

export interface LoadedDataSourcePlugin {
  meta: DataSourcePluginMeta;
  plugin: DataSourcePlugin<DataSourceApi>;
  /** Shared modules the plugin's `define` asked for. */
  dependencies: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** plugin.json → the meta Grafana's `/api/plugins/<id>/settings` serves (module and baseUrl filled in). */
async function fetchMeta(pluginId: string): Promise<DataSourcePluginMeta> {
  const baseUrl = pluginBaseUrl(pluginId);
  const response = await fetch(`${baseUrl}/plugin.json`);
  if (!response.ok) throw new Error(`${baseUrl}/plugin.json: HTTP ${response.status}`);
  const json: unknown = await response.json();
  if (!isRecord(json) || json.type !== 'datasource' || json.id !== pluginId) {
    throw new Error(`${baseUrl}/plugin.json is not the plugin.json of data source ${pluginId}`);
  }
  const meta = json as unknown as PluginMeta;
  const logos = meta.info.logos;
  return {
    ...meta,
    module: `${baseUrl.slice(1)}/module`,
    baseUrl: baseUrl.slice(1),
    info: {
      ...meta.info,
      logos: { small: `${baseUrl}/${logos.small}`, large: `${baseUrl}/${logos.large}` },
    },
  } as DataSourcePluginMeta;
}

/**
 * Loads a data-source plugin as Grafana does: its meta from plugin.json, then `module.js` through the AMD loader,
 * then the `plugin` export, which must be a `DataSourcePlugin` built against the host's own @grafana/data.
 */
export async function loadDataSourcePlugin(loader: AmdLoader, pluginId: string): Promise<LoadedDataSourcePlugin> {
  const meta = await fetchMeta(pluginId);
  const record = await loader.import(`${pluginBaseUrl(pluginId)}/module.js`);
  const exported = isRecord(record.exports) ? record.exports.plugin : undefined;
  if (!(exported instanceof DataSourcePlugin)) {
    throw new Error(
      `${pluginId}/module.js has no "plugin" export that is a DataSourcePlugin of the shared @grafana/data`
    );
  }
  exported.meta = meta;
  return { meta, plugin: exported, dependencies: record.dependencies };
}
