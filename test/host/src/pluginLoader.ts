import {
  AppPlugin,
  DataSourcePlugin,
  PanelPlugin,
  type DataSourceApi,
  type AppPluginMeta,
  type DataSourcePluginMeta,
  type PanelPluginMeta,
  type PluginMeta,
} from '@grafana/data';
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
async function fetchMeta(pluginId: string, type: 'datasource' | 'panel'): Promise<PluginMeta> {
  const baseUrl = pluginBaseUrl(pluginId);
  const response = await fetch(`${baseUrl}/plugin.json`);
  if (!response.ok) throw new Error(`${baseUrl}/plugin.json: HTTP ${response.status}`);
  const json: unknown = await response.json();
  if (!isRecord(json) || json.type !== type || json.id !== pluginId) {
    throw new Error(`${baseUrl}/plugin.json is not the plugin.json of ${type} plugin ${pluginId}`);
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
  };
}

/**
 * Loads a data-source plugin as Grafana does: its meta from plugin.json, then `module.js` through the AMD loader,
 * then the `plugin` export, which must be a `DataSourcePlugin` built against the host's own @grafana/data.
 */
export async function loadDataSourcePlugin(loader: AmdLoader, pluginId: string): Promise<LoadedDataSourcePlugin> {
  const meta = (await fetchMeta(pluginId, 'datasource')) as DataSourcePluginMeta;
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

export interface LoadedPanelPlugin {
  meta: PanelPluginMeta;
  plugin: PanelPlugin;
  dependencies: string[];
}

/**
 * Loads a panel plugin as Grafana's `importPanelPlugin` does: meta from plugin.json, `module.js` through the AMD
 * loader, the `plugin` export (a `PanelPlugin` of the host's @grafana/data), then `plugin.meta` set. Call
 * `initStandardEditors()` first: the options builder looks editors up when Grafana reads the defaults.
 */
export async function loadPanelPlugin(loader: AmdLoader, pluginId: string): Promise<LoadedPanelPlugin> {
  const meta = (await fetchMeta(pluginId, 'panel')) as PanelPluginMeta;
  const record = await loader.import(`${pluginBaseUrl(pluginId)}/module.js`);
  const exported = isRecord(record.exports) ? record.exports.plugin : undefined;
  if (!(exported instanceof PanelPlugin)) {
    throw new Error(`${pluginId}/module.js has no "plugin" export that is a PanelPlugin of the shared @grafana/data`);
  }
  exported.meta = meta;
  return { meta, plugin: exported, dependencies: record.dependencies };
}

export interface LoadedAppPlugin {
  meta: AppPluginMeta;
  plugin: AppPlugin;
  dependencies: string[];
}

/**
 * Loads an app plugin as Grafana's `importAppPlugin` does: the meta from `/api/plugins/<id>/settings` (the server's
 * plugin.json plus the app's enabled/jsonData), `module.js` through the AMD loader, the `plugin` export (an
 * `AppPlugin` of the host's @grafana/data), then `plugin.init(meta)` and `plugin.meta = meta`.
 */
export async function loadAppPlugin(loader: AmdLoader, pluginId: string): Promise<LoadedAppPlugin> {
  const response = await fetch(`/api/plugins/${encodeURIComponent(pluginId)}/settings`);
  if (!response.ok) throw new Error(`/api/plugins/${pluginId}/settings: HTTP ${response.status}`);
  const meta = (await response.json()) as AppPluginMeta;
  if (meta.type !== 'app' || meta.id !== pluginId) throw new Error(`${pluginId} is not an app plugin`);
  if (!meta.enabled) throw new Error(`App ${pluginId} is not enabled`);
  const record = await loader.import(`${pluginBaseUrl(pluginId)}/module.js`);
  const exported = isRecord(record.exports) ? record.exports.plugin : undefined;
  if (!(exported instanceof AppPlugin)) {
    throw new Error(`${pluginId}/module.js has no "plugin" export that is an AppPlugin of the shared @grafana/data`);
  }
  exported.init(meta);
  exported.meta = meta;
  return { meta, plugin: exported, dependencies: record.dependencies };
}
