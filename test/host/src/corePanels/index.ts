import type { PanelPlugin } from '@grafana/data';
import type { LoadedPanelPlugin } from '../pluginLoader';
import { alertListPlugin } from './alertlist/module';
import { corePanelMeta, type CorePanelInfo } from './corePanelMeta';
import { statPlugin } from './stat/module';
import { tablePlugin } from './table/module';
import { textPlugin } from './text/module';
import { timeSeriesPlugin } from './timeseries/module';

interface CorePanel {
  info: CorePanelInfo;
  create: () => PanelPlugin;
}

const CORE_PANELS: CorePanel[] = [
  {
    info: {
      id: 'stat',
      name: 'Stat',
      description: 'Big stat values & sparklines',
      logo: 'img/icn-singlestat-panel.svg',
    },
    create: () => statPlugin() as unknown as PanelPlugin,
  },
  {
    info: {
      id: 'timeseries',
      name: 'Time series',
      description: 'Time based line, area and bar charts',
      logo: 'img/icn-timeseries-panel.svg',
    },
    create: () => timeSeriesPlugin() as unknown as PanelPlugin,
  },
  {
    info: { id: 'table', name: 'Table', description: 'Supports many column styles', logo: 'img/icn-table-panel.svg' },
    create: () => tablePlugin() as unknown as PanelPlugin,
  },
  {
    info: {
      id: 'text',
      name: 'Text',
      description: 'Supports markdown and html content',
      logo: 'img/icn-text-panel.svg',
      skipDataQuery: true,
    },
    create: () => textPlugin() as unknown as PanelPlugin,
  },
  {
    info: {
      id: 'alertlist',
      name: 'Alert list',
      description: 'Shows list of alerts and their current status',
      logo: 'img/icn-singlestat-panel.svg',
      skipDataQuery: true,
    },
    create: () => alertListPlugin() as unknown as PanelPlugin,
  },
];

/**
 * Stand-ins for the Grafana 12 core panels the provisioned dashboards use — `stat`, `timeseries`, `table`, `text`,
 * `alertlist` — keyed by panel type. Each is a `PanelPlugin` of the host's @grafana/data built from the real
 * @grafana/ui components, with Grafana's option names and defaults, and `plugin.meta` set as Grafana's loader sets
 * it. Option builders run lazily, so call `initStandardEditors()` before reading defaults, as for loaded plugins.
 */
export function corePanelPlugins(): Record<string, LoadedPanelPlugin> {
  const loaded: Record<string, LoadedPanelPlugin> = {};
  for (const { info, create } of CORE_PANELS) {
    const meta = corePanelMeta(info);
    const plugin = create();
    plugin.meta = meta;
    loaded[info.id] = { meta, plugin, dependencies: [] };
  }
  return loaded;
}
