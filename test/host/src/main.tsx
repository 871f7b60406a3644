/**
 * Boot of the plugin host, in Grafana's order: shared modules evaluated, the AMD `define` installed, runtime
 * services registered (backendSrv, templateSrv, dataSourceSrv, theme in config), then the plugin's module.js loaded
 * through the loader and its editors rendered.
 */
import { SHARED_MODULES, SHARED_VERSIONS } from './sharedModules';
import { dateMath, dateTime, type TimeRange } from '@grafana/data';
import { setBackendSrv, setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';
import { createRoot } from 'react-dom/client';
import { AmdLoader } from './amdLoader';
import { applyTheme, Host, type ThemeMode } from './components/Host';
import { hostTimeRange, type HostServices } from './hostServices';
import type { PanelConfig } from './components/PanelSection';
import { initStandardEditors } from './panels/standardEditors';
import { loadDataSourcePlugin, loadPanelPlugin } from './pluginLoader';
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

function jsonParam(params: URLSearchParams, name: string): unknown {
  const text = params.get(name);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`URL parameter "${name}" is not JSON: ${text}`);
  }
}

/** The dashboard's `from`/`to` URL parameters (Grafana's relative syntax or epoch ms); the host range otherwise. */
function dashboardRange(from: string | null, to: string | null): TimeRange {
  if (from === null || to === null) return hostTimeRange();
  const parse = (text: string, roundUp: boolean) =>
    /^\d+$/.test(text) ? dateTime(Number(text)) : dateMath.parse(text, roundUp);
  const start = parse(from, false);
  const end = parse(to, true);
  if (!start?.isValid() || !end?.isValid()) throw new Error(`Not a time range: from=${from} to=${to}`);
  return { from: start, to: end, raw: { from, to } };
}

/**
 * Panel mode: `?panel=<plugin id>&targets=<JSON queries>&options=<JSON saved options>&from=&to=&width=&height=&title=`.
 * Queries get refIds A, B, … when they have none, as a new panel's do.
 */
function panelConfig(params: URLSearchParams): PanelConfig {
  const targets = jsonParam(params, 'targets') ?? [];
  const options = jsonParam(params, 'options') ?? {};
  if (!Array.isArray(targets)) throw new Error('URL parameter "targets" must be a JSON array of queries');
  if (typeof options !== 'object' || options === null) throw new Error('URL parameter "options" must be an object');
  return {
    targets: targets.map((t: unknown, i) => ({ refId: String.fromCharCode(65 + i), ...(t as object) })),
    savedOptions: options as Record<string, unknown>,
    width: Number(params.get('width') ?? '900'),
    height: Number(params.get('height') ?? '420'),
    title: params.get('title') ?? '',
    timeRange: dashboardRange(params.get('from'), params.get('to')),
  };
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

  // Grafana's app.ts fills the option-editor registries before any plugin is imported.
  initStandardEditors();

  const loaded = await loadDataSourcePlugin(loader, pluginId);
  const panelId = params.get('panel');
  const panelPlugin = panelId ? await loadPanelPlugin(loader, panelId) : undefined;
  const panel = panelPlugin && { loaded: panelPlugin, config: panelConfig(params) };
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
  const dependencies = panelPlugin ? panelPlugin.dependencies : loaded.dependencies;
  window.__mlsightHost = { sharedModules: loader.sharedNames(), dependencies, line, backendSrv };
  createRoot(container).render(
    <Host services={services} initialTheme={initialTheme} sharedModules={dependencies} line={line} panel={panel} />
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
