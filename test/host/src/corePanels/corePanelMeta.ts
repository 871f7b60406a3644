import { PluginType, type PanelPluginMeta } from '@grafana/data';

/** What a core panel's `/api/frontend/settings` entry says about it. */
export interface CorePanelInfo {
  id: string;
  name: string;
  description: string;
  /** The plugin.json logo, relative to the panel's folder. */
  logo: string;
  /** Panels that run no queries (text, alert list) say so, and Grafana's query runner skips them. */
  skipDataQuery?: boolean;
}

/**
 * Grafana's server orders the visualisation picker with a fixed table (`getPanelSort` in
 * pkg/api/frontendsettings.go); every other panel sorts at 100.
 */
const PANEL_SORT: Record<string, number> = { timeseries: 1, stat: 3, table: 6, text: 14, alertlist: 15 };

/**
 * The meta Grafana's frontend settings carry for a core panel: module `core:plugin/<id>` (core panels are
 * compiled into Grafana, not loaded from a URL), its public folder as base URL, and the picker's sort order.
 */
export function corePanelMeta(info: CorePanelInfo): PanelPluginMeta {
  const baseUrl = `public/app/plugins/panel/${info.id}`;
  const logo = `${baseUrl}/${info.logo}`;
  return {
    id: info.id,
    name: info.name,
    type: PluginType.panel,
    module: `core:plugin/${info.id}`,
    baseUrl,
    sort: PANEL_SORT[info.id] ?? 100,
    skipDataQuery: info.skipDataQuery === true,
    hideFromList: false,
    info: {
      author: { name: 'Grafana Labs', url: 'https://grafana.com' },
      description: info.description,
      links: [],
      logos: { small: logo, large: logo },
      screenshots: [],
      updated: '',
      version: '',
    },
  };
}
