import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the host knows of an installed plugin to serve its settings (the app's are stored by Grafana). */
export interface PluginSettingsSource {
  id: string;
  distDir: string;
  /** An app's settings as Grafana stores them (`PUT /api/plugins/<id>/settings`); default enabled, no jsonData. */
  enabled?: boolean;
  jsonData?: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Grafana's `GET /api/plugins/<id>/settings`: the plugin.json Grafana read (id, type, name, info with logo URLs,
 * includes, dependencies) with `module` and `baseUrl` where Grafana serves the files, and the stored settings
 * (`enabled`, `pinned`, `jsonData`, `secureJsonFields`). Data sources and panels are always enabled.
 */
export function pluginSettingsAnswer(source: PluginSettingsSource): Record<string, unknown> {
  const json: unknown = JSON.parse(readFileSync(join(source.distDir, 'plugin.json'), 'utf8'));
  if (!isRecord(json) || typeof json.id !== 'string' || typeof json.type !== 'string') {
    throw new Error(`${source.distDir}/plugin.json needs string "id" and "type"`);
  }
  const baseUrl = `public/plugins/${json.id}`;
  const info = isRecord(json.info) ? json.info : {};
  const logos = isRecord(info.logos) ? info.logos : {};
  const logo = (name: unknown) => (typeof name === 'string' && name !== '' ? `${baseUrl}/${name}` : '');
  const app = json.type === 'app';
  const includes = Array.isArray(json.includes) ? json.includes : [];
  const defaultNav = includes.find((i) => isRecord(i) && i.defaultNav === true && typeof i.path === 'string');
  return {
    name: json.name,
    type: json.type,
    id: json.id,
    enabled: app ? (source.enabled ?? true) : true,
    pinned: app ? (source.enabled ?? true) : false,
    autoEnabled: !app,
    module: `${baseUrl}/module.js`,
    baseUrl,
    info: { ...info, logos: { small: logo(logos.small), large: logo(logos.large) } },
    includes,
    dependencies: json.dependencies ?? {},
    defaultNavUrl: isRecord(defaultNav) ? defaultNav.path : undefined,
    jsonData: source.jsonData ?? {},
    secureJsonFields: {},
    state: typeof json.state === 'string' ? json.state : '',
    signature: 'unsigned',
    hasUpdate: false,
  };
}
