/**
 * Boot of the plugin host, in Grafana's order: shared modules evaluated, the AMD `define` installed, runtime
 * services registered (backendSrv, templateSrv, dataSourceSrv, theme in config), then the plugin's module.js loaded
 * through the loader and its editors rendered.
 */
import { SHARED_MODULES, SHARED_VERSIONS } from './sharedModules';
import { setBackendSrv, setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';
import { createRoot } from 'react-dom/client';
import { AmdLoader } from './amdLoader';
import { applyTheme, Host, type ThemeMode } from './components/Host';
import type { HostServices } from './hostServices';
import { loadDataSourcePlugin } from './pluginLoader';
import { HostBackendSrv } from './runtime/backendSrv';
import { HostDataSourceSrv, type StoredDataSource } from './runtime/dataSourceSrv';
import { HostTemplateSrv } from './runtime/templateSrv';
import { hostSelectors } from './selectors';

declare const HOST_GRAFANA_LINE: string;

declare global {
  interface Window {
    /** What tests may inspect: the shared modules, what the plugin asked for, and every backendSrv request. */
    __mlsightHost?: { sharedModules: string[]; dependencies: string[]; line: string; backendSrv: HostBackendSrv };
  }
}

async function boot(container: HTMLElement): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const pluginId = params.get('plugin') ?? 'mlsight-mlflow-datasource';
  const uid = params.get('uid') ?? 'mlsight';
  const initialTheme: ThemeMode = params.get('theme') === 'dark' ? 'dark' : 'light';
  applyTheme(initialTheme);

  const loader = new AmdLoader();
  for (const [name, value] of Object.entries(SHARED_MODULES)) loader.register(name, value);
  loader.installGlobalDefine();

  const backendSrv = new HostBackendSrv();
  const templateSrv = new HostTemplateSrv();
  setBackendSrv(backendSrv);
  setTemplateSrv(templateSrv);

  const loaded = await loadDataSourcePlugin(loader, pluginId);
  const dataSourceSrv = new HostDataSourceSrv(loaded.plugin, loaded.meta);
  dataSourceSrv.setStored([await backendSrv.get<StoredDataSource>(`/api/datasources/uid/${uid}`)]);
  setDataSourceSrv(dataSourceSrv);

  const services: HostServices = {
    uid,
    meta: loaded.meta,
    backendSrv,
    templateSrv,
    dataSourceSrv,
    getDataSource: () => dataSourceSrv.get(uid),
  };
  const line = `${HOST_GRAFANA_LINE} · React ${SHARED_VERSIONS.react}`;
  window.__mlsightHost = { sharedModules: loader.sharedNames(), dependencies: loaded.dependencies, line, backendSrv };
  createRoot(container).render(
    <Host services={services} initialTheme={initialTheme} sharedModules={loaded.dependencies} line={line} />
  );
}

const container = document.getElementById('root');
if (container) {
  boot(container).catch((err: unknown) => {
    const pre = document.createElement('pre');
    pre.dataset.testid = hostSelectors.bootError;
    pre.textContent = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    container.replaceChildren(pre);
  });
}
