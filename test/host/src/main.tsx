/**
 * Boot of the plugin host, in Grafana's order: shared modules evaluated, the AMD `define` installed, runtime
 * services registered (backendSrv, templateSrv, dataSourceSrv, theme in config), then the plugin's module.js loaded
 * through the loader and its editors rendered.
 */
import { SHARED_MODULES, SHARED_VERSIONS } from './sharedModules';
import { dateMath, dateTime, type TimeRange } from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';
import { createRoot } from 'react-dom/client';
import { AmdLoader } from './amdLoader';
import { AppPage } from './app/AppPage';
import { currentAppId, registerAppServices } from './app/appServices';
import { applyTheme, Host, type ThemeMode } from './components/Host';
import { hostTimeRange, type HostServices } from './hostServices';
import type { PanelConfig } from './components/PanelSection';
import { corePanelPlugins } from './corePanels';
import { parseDashboard, type DashboardModel } from './dashboard/dashboardModel';
import { PROMETHEUS_TYPE } from './dashboard/prometheusType';
import { urlVariableValues } from './dashboard/variables';
import { initStandardEditors } from './panels/standardEditors';
import { loadAppPlugin, loadDataSourcePlugin, loadPanelPlugin, type LoadedPanelPlugin } from './pluginLoader';
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

/** The width of the dashboard grid: the viewport's, less the page padding, as Grafana's grid fills the page. */
const DASHBOARD_PADDING = 32;

/** The panel plugins a dashboard uses: core stand-ins by type, MLSight panels loaded from their dist/. */
async function dashboardPanels(
  loader: AmdLoader,
  dashboard: DashboardModel
): Promise<Record<string, LoadedPanelPlugin>> {
  const core = corePanelPlugins();
  const panels: Record<string, LoadedPanelPlugin> = { ...core };
  for (const type of new Set(dashboard.panels.map((p) => p.type))) {
    if (type === 'row' || core[type]) continue;
    try {
      panels[type] = await loadPanelPlugin(loader, type);
    } catch (err) {
      // Grafana draws "Panel plugin not found" in the panel's place; so does the dashboard page (type missing).
      console.error(`[host] panel plugin ${type}:`, err);
    }
  }
  return panels;
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
  const dashboardUid = params.get('dashboard');
  const dataSourceSrv = new HostDataSourceSrv(loaded.plugin, loaded.meta, { prometheus: PROMETHEUS_TYPE });
  const stored = [await backendSrv.get<StoredDataSource>(`/api/datasources/uid/${uid}`)];
  if (dashboardUid) {
    // A dashboard may also use the provisioned Prometheus (the proxy's metrics); the host may run without one.
    const prometheus = await backendSrv
      .get<StoredDataSource>('/api/datasources/uid/mlsight-prometheus')
      .catch(() => undefined);
    if (prometheus) stored.push(prometheus);
  }
  dataSourceSrv.setStored(stored);
  setDataSourceSrv(dataSourceSrv);

  const appId = currentAppId();
  if (appId) {
    // App mode (`/a/<id>/…`): the app's root page under Grafana's router. `?role=` plays the signed-in user's org
    // role (Grafana's boot data), so role-gated actions can be seen from both sides.
    const role = params.get('role');
    if (role) config.bootData.user.orgRole = role as typeof config.bootData.user.orgRole;
    registerAppServices(loader);
    const app = await loadAppPlugin(loader, appId);
    const appLine = `${HOST_GRAFANA_LINE} · React ${SHARED_VERSIONS.react}`;
    window.__mlsightHost = {
      sharedModules: loader.sharedNames(),
      dependencies: app.dependencies,
      line: appLine,
      backendSrv,
    };
    document.title = `${app.meta.name} · MLSight plugin host`;
    createRoot(container).render(
      <AppPage app={app} initialTheme={initialTheme} line={appLine} sharedModules={app.dependencies} />
    );
    return;
  }

  const services: HostServices = {
    uid,
    meta: loaded.meta,
    backendSrv,
    templateSrv,
    dataSourceSrv,
    getDataSource: () => dataSourceSrv.get(uid),
  };
  let dashboard: Parameters<typeof Host>[0]['dashboard'];
  if (dashboardUid) {
    const answer = await backendSrv.get<{ dashboard: unknown }>(
      `/api/dashboards/uid/${encodeURIComponent(dashboardUid)}`
    );
    const model = parseDashboard(answer.dashboard);
    dashboard = {
      dashboard: model,
      panels: await dashboardPanels(loader, model),
      timeRange: dashboardRange(params.get('from') ?? model.time.from, params.get('to') ?? model.time.to),
      urlValues: urlVariableValues(params),
      width: Math.max(600, window.innerWidth - DASHBOARD_PADDING * 2),
    };
    document.title = `${model.title} · MLSight plugin host`;
  }
  const line = `${HOST_GRAFANA_LINE} · React ${SHARED_VERSIONS.react}`;
  const dependencies = panelPlugin ? panelPlugin.dependencies : loaded.dependencies;
  window.__mlsightHost = { sharedModules: loader.sharedNames(), dependencies, line, backendSrv };
  createRoot(container).render(
    <Host
      services={services}
      initialTheme={initialTheme}
      sharedModules={dependencies}
      line={line}
      panel={panel}
      dashboard={dashboard}
    />
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
