import { EventBusSrv, type PanelPlugin } from '@grafana/data';
import {
  locationService,
  setAppEvents,
  setPluginImportUtils,
  setReturnToPreviousHook,
  setRunRequest,
} from '@grafana/runtime';
import { setPluginPage } from 'grafana-runtime-internal:plugin-page';
import type { AmdLoader } from '../amdLoader';
import { corePanelPlugins } from '../corePanels';
import { loadPanelPlugin } from '../pluginLoader';
import { HostPluginPage } from './HostPluginPage';
import { hostRunRequest } from './runRequest';

/** The app whose root page the current URL shows (`<appSubUrl>/a/<id>/…`), or undefined outside an app. */
export function currentAppId(): string | undefined {
  const id = /^\/a\/([^/]+)/.exec(locationService.getLocation().pathname)?.[1];
  return id === undefined ? undefined : decodeURIComponent(id);
}

/**
 * What Grafana's app.ts registers in @grafana/runtime for code that runs queries and draws panels outside a
 * dashboard — an app's Scenes, which the app bundles itself: `runRequest`, the panel plugin importer (core panels
 * compiled in, others from `public/plugins/<id>/module.js`, cached as Grafana's plugin cache is), app events and the
 * return-to-previous hook, and the `PluginPage` an app's pages render in.
 */
export function registerAppServices(loader: AmdLoader): void {
  setPluginPage(HostPluginPage);
  setRunRequest(hostRunRequest);
  const cache = new Map<string, PanelPlugin>(Object.entries(corePanelPlugins()).map(([id, l]) => [id, l.plugin]));
  setPluginImportUtils({
    getPanelPluginFromCache: (id) => cache.get(id),
    importPanelPlugin: async (id) => {
      const cached = cache.get(id);
      if (cached) return cached;
      const loaded = await loadPanelPlugin(loader, id);
      cache.set(id, loaded.plugin);
      return loaded.plugin;
    },
  });
  setAppEvents(new EventBusSrv());
  setReturnToPreviousHook(() => () => {});
}
