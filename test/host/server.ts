/**
 * The plugin host's server, playing the Grafana server for one browser: serves the host page (per Grafana line)
 * and the plugins' dist folders at `public/plugins/<id>/`, stores data-source settings, and runs the data proxy.
 *
 * Standalone: `npx tsx test/host/server.ts` (env HOST_PORT, MLSIGHT_PROXY_URL, MLSIGHT_API_TOKEN) to look at the
 * plugin by hand; tests call `startHostServer()`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { HOST_USER_HEADER, healthAnswer, queryAnswer, resourceAnswer } from './server/backendApi';
import { sdkProtoPath, startBackendPlugin, type BackendPlugin } from './server/backendPlugin';
import { APP_PAGE } from './server/appPage';
import { dashboardAnswer, loadDashboards, searchAnswer } from './server/dashboardStore';
import { pluginSettingsAnswer } from './server/pluginSettings';
import { buildUpstreamRequest, forward, jsonAnswer, type PluginRoute, type ProxyAnswer } from './server/dataProxy';
import {
  SettingsConflictError,
  SettingsStore,
  SettingsValidationError,
  toPublic,
  type DataSourceRecord,
} from './server/settingsStore';

const REPO_ROOT = resolve(__dirname, '..', '..');
const PROXY_PREFIX = '/api/datasources/proxy/uid/';
const SETTINGS_PREFIX = '/api/datasources/uid/';
const DASHBOARD_PREFIX = '/api/dashboards/uid/';
const UPSTREAM_TIMEOUT_MS = 30_000;
/** Data-source types compiled into Grafana: no plugin folder, proxied to their URL without routes. */
const CORE_DATASOURCE_TYPES = new Set(['prometheus']);
export const PROVISIONED_DASHBOARDS = join(REPO_ROOT, 'provisioning', 'dashboards');
const UI_PUBLIC_DIRS: Record<string, string> = {
  '12': join(REPO_ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public'),
  '13': join(__dirname, 'grafana13', 'node_modules', '@grafana', 'ui', 'dist', 'public'),
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.md': 'text/markdown; charset=utf-8',
};

export interface HostPlugin {
  id: string;
  /** The plugin's built dist folder (module.js, plugin.json, and the backend binaries of a backend plugin). */
  distDir: string;
  /** A backend plugin's Go module (its go.mod names the grafana-plugin-sdk-go whose proto the host speaks). */
  goModuleDir?: string;
  /** An app plugin's stored settings (Grafana's plugin settings): enabled unless false, its jsonData. */
  enabled?: boolean;
  jsonData?: Record<string, unknown>;
}

/** Grafana's GOARCH names for the binaries it looks for: `<executable>_linux_<arch>`. */
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

/** Starts a plugin's backend if its plugin.json declares one, as Grafana's plugin manager does on load. */
async function startPluginBackend(plugin: HostPlugin): Promise<BackendPlugin | undefined> {
  const json: unknown = JSON.parse(readFileSync(join(plugin.distDir, 'plugin.json'), 'utf8'));
  if (typeof json !== 'object' || json === null || !('backend' in json) || json.backend !== true) return undefined;
  const executable = 'executable' in json && typeof json.executable === 'string' ? json.executable : undefined;
  if (!executable) throw new Error(`${plugin.id}: plugin.json has backend: true but no executable`);
  const binary = join(plugin.distDir, `${executable}_${process.platform}_${GOARCH[process.arch] ?? process.arch}`);
  if (!existsSync(binary)) throw new Error(`${plugin.id}: no backend binary ${binary} (run npm run build)`);
  const verbose = process.env.MLSIGHT_HOST_PLUGIN_LOG === '1';
  return startBackendPlugin({
    executable: binary,
    protoPath: sdkProtoPath(plugin.goModuleDir ?? join(plugin.distDir, '..')),
    ...(verbose ? { log: (line: string) => console.error(`[${plugin.id}] ${line}`) } : {}),
  });
}

export interface HostServerOptions {
  port?: number;
  plugins: HostPlugin[];
  datasources: Array<Omit<DataSourceRecord, 'id' | 'version' | 'orgId'>>;
  /** Built host pages by line ('12', '13'); default: those of test/host/dist that exist. */
  hostDirs?: Record<string, string>;
  /** The dashboard provider's folder; default the repository's provisioning/dashboards. */
  dashboardsDir?: string;
}

export interface HostServer {
  url: string;
  store: SettingsStore;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: ProxyAnswer): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(answer.body.length),
    'cache-control': 'no-store',
  });
  res.end(answer.body);
}

/** A file under `root`, or undefined when the path escapes it or does not exist. */
function fileUnder(root: string, relative: string): string | undefined {
  const target = normalize(join(root, decodeURIComponent(relative)));
  if (target !== root && !target.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  return existsSync(target) && statSync(target).isFile() ? target : undefined;
}

function sendFile(res: ServerResponse, file: string | undefined): void {
  if (!file) {
    send(res, jsonAnswer(404, { message: 'Not found' }));
    return;
  }
  send(res, {
    status: 200,
    headers: { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' },
    body: readFileSync(file),
  });
}

function pluginRoutes(plugin: HostPlugin): PluginRoute[] {
  const json: unknown = JSON.parse(readFileSync(join(plugin.distDir, 'plugin.json'), 'utf8'));
  if (typeof json !== 'object' || json === null || !('routes' in json) || !Array.isArray(json.routes)) return [];
  return json.routes as PluginRoute[];
}

function defaultHostDirs(): Record<string, string> {
  const dirs: Record<string, string> = {};
  for (const line of ['12', '13']) {
    const dir = join(__dirname, 'dist', line);
    if (existsSync(join(dir, 'index.html'))) dirs[line] = dir;
  }
  return dirs;
}

/** Starts the host server on 127.0.0.1 (a free port unless one is given). */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const store = new SettingsStore();
  for (const ds of options.datasources) store.add(ds);
  const hostDirs = options.hostDirs ?? defaultHostDirs();
  const firstLine = Object.keys(hostDirs).sort()[0];
  const dashboards = loadDashboards(options.dashboardsDir ?? PROVISIONED_DASHBOARDS);
  // One backend process per plugin, started on first use and shared by its instances (as in Grafana).
  const backends = new Map<string, Promise<BackendPlugin | undefined>>();
  const backendOf = (type: string): Promise<BackendPlugin | undefined> => {
    const plugin = options.plugins.find((p) => p.id === type);
    if (!plugin) return Promise.resolve(undefined);
    let started = backends.get(type);
    if (!started) {
      started = startPluginBackend(plugin);
      backends.set(type, started);
    }
    return started;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();

    if (path === '/' && firstLine) {
      res.writeHead(302, { location: `/hosts/${firstLine}/${url.search}` });
      res.end();
      return;
    }
    const lineOfReferer = () => {
      const referer = /\/hosts\/(\w+)\//.exec(req.headers.referer ?? '')?.[1];
      return referer && hostDirs[referer] ? referer : firstLine;
    };
    const appLink = /^\/a\/[^/]+(?:\/.*)?$/.exec(path);
    if (appLink && firstLine) {
      // Grafana's app URL: the app page of the line the link was clicked in (Grafana served from /hosts/<line>).
      res.writeHead(302, { location: `/hosts/${lineOfReferer()}${path}${url.search}` });
      res.end();
      return;
    }
    const appPage = /^\/hosts\/(\w+)\/a\/([^/]+)(?:\/.*)?$/.exec(path);
    if (appPage) {
      // Every URL below an app's root is the same page; the app's router reads the path (Grafana's /a/<id>/*).
      const dir = hostDirs[appPage[1] ?? ''];
      const plugin = options.plugins.find((p) => p.id === decodeURIComponent(appPage[2] ?? ''));
      sendFile(res, dir && plugin ? fileUnder(dir, APP_PAGE) : undefined);
      return;
    }
    const settingsMatch = /^\/api\/plugins\/([^/]+)\/settings$/.exec(path);
    if (settingsMatch && method === 'GET') {
      const plugin = options.plugins.find((p) => p.id === decodeURIComponent(settingsMatch[1] ?? ''));
      send(
        res,
        plugin ? jsonAnswer(200, pluginSettingsAnswer(plugin)) : jsonAnswer(404, { message: 'Plugin not found' })
      );
      return;
    }
    const dashboardLink = /^\/d\/([^/]+)(?:\/[^/]*)?$/.exec(path);
    if (dashboardLink && firstLine) {
      // Grafana's dashboard URL (drill-down links, dashboard links, runbooks): the host's dashboard mode, on the
      // line the link was clicked in, with the link's variables and time range.
      const line = lineOfReferer();
      const search = new URLSearchParams(url.search);
      search.set('dashboard', decodeURIComponent(dashboardLink[1] ?? ''));
      res.writeHead(302, { location: `/hosts/${line}/?${search.toString()}` });
      res.end();
      return;
    }
    if (path.startsWith(DASHBOARD_PREFIX) && method === 'GET') {
      const dashboard = dashboards.get(decodeURIComponent(path.slice(DASHBOARD_PREFIX.length)));
      send(
        res,
        dashboard ? jsonAnswer(200, dashboardAnswer(dashboard)) : jsonAnswer(404, { message: 'Dashboard not found' })
      );
      return;
    }
    if (path === '/api/search' && method === 'GET') {
      send(res, jsonAnswer(200, searchAnswer(dashboards.values(), url.searchParams.getAll('tag'))));
      return;
    }
    const publicMatch = /^\/hosts\/(\w+)\/public\/(.*)$/.exec(path);
    if (publicMatch) {
      // Grafana serves @grafana/ui's icons under public/img/icons (12) or public/build/img/icons (13, its build
      // output); each line has its own, shipped in @grafana/ui's dist/public/img/icons.
      const dir = UI_PUBLIC_DIRS[publicMatch[1] ?? ''];
      const file = (publicMatch[2] ?? '').replace(/^build\/img\//, 'img/');
      sendFile(res, dir ? fileUnder(dir, file) : undefined);
      return;
    }
    const hostMatch = /^\/hosts\/(\w+)\/(.*)$/.exec(path);
    if (hostMatch) {
      const dir = hostDirs[hostMatch[1] ?? ''];
      sendFile(res, dir ? fileUnder(dir, hostMatch[2] || 'index.html') : undefined);
      return;
    }
    const pluginMatch = /^\/public\/plugins\/([^/]+)\/(.+)$/.exec(path);
    if (pluginMatch) {
      const plugin = options.plugins.find((p) => p.id === pluginMatch[1]);
      sendFile(res, plugin ? fileUnder(plugin.distDir, pluginMatch[2] ?? '') : undefined);
      return;
    }
    if (path === '/api/ds/query' && method === 'POST') {
      const body: unknown = JSON.parse((await readBody(req)).toString('utf8') || '{}');
      send(res, await queryAnswer(body, { record: (uid) => store.get(uid), backend: backendOf }));
      return;
    }
    const backendCall = /^\/api\/datasources\/uid\/([^/]+)\/(health|resources)(?:\/(.*))?$/.exec(path);
    if (backendCall) {
      const record = store.get(decodeURIComponent(backendCall[1] ?? ''));
      const backend = record ? await backendOf(record.type) : undefined;
      if (!record || !backend) {
        send(res, jsonAnswer(404, { message: record ? 'Plugin has no backend' : 'Data source not found' }));
        return;
      }
      if (backendCall[2] === 'health') {
        send(res, await healthAnswer(record, backend));
        return;
      }
      const headers: Record<string, string> = {};
      // The test's signed-in user (HOST_USER_HEADER) too: resourceAnswer puts it in the plugin context, not the headers.
      for (const name of ['content-type', 'accept', HOST_USER_HEADER]) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const resourcePath = backendCall[3] ?? '';
      const body = await readBody(req);
      send(
        res,
        await resourceAnswer(record, backend, { method, path: resourcePath, search: url.search, headers, body })
      );
      return;
    }
    if (path.startsWith(SETTINGS_PREFIX)) {
      const uid = decodeURIComponent(path.slice(SETTINGS_PREFIX.length));
      if (method === 'GET') {
        const record = store.get(uid);
        send(res, record ? jsonAnswer(200, toPublic(record)) : jsonAnswer(404, { message: 'Data source not found' }));
        return;
      }
      if (method === 'PUT') {
        try {
          const updated = store.update(uid, JSON.parse((await readBody(req)).toString('utf8') || '{}') as unknown);
          send(
            res,
            updated
              ? jsonAnswer(200, {
                  datasource: toPublic(updated),
                  id: updated.id,
                  message: 'Datasource updated',
                  name: updated.name,
                })
              : jsonAnswer(404, { message: 'Data source not found' })
          );
        } catch (err) {
          if (err instanceof SettingsConflictError) send(res, jsonAnswer(409, { message: err.message }));
          else if (err instanceof SettingsValidationError || err instanceof SyntaxError)
            send(res, jsonAnswer(400, { message: err.message }));
          else throw err;
        }
        return;
      }
      send(res, jsonAnswer(405, { message: 'Method not allowed' }));
      return;
    }
    if (path.startsWith(PROXY_PREFIX)) {
      const rest = path.slice(PROXY_PREFIX.length);
      const slash = rest.indexOf('/');
      const uid = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
      const record = store.get(uid);
      const plugin = record ? options.plugins.find((p) => p.id === record.type) : undefined;
      const core = record !== undefined && CORE_DATASOURCE_TYPES.has(record.type);
      if (!record || (!plugin && !core)) {
        send(res, jsonAnswer(404, { message: 'Unable to find datasource' }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const body = await readBody(req);
      const upstream = buildUpstreamRequest(record, plugin ? pluginRoutes(plugin) : [], {
        method,
        proxyPath: slash < 0 ? '' : rest.slice(slash + 1),
        search: url.search,
        headers,
        body,
      });
      send(res, 'status' in upstream ? upstream : await forward(upstream, body, UPSTREAM_TIMEOUT_MS));
      return;
    }
    send(res, jsonAnswer(404, { message: 'Not found' }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, jsonAnswer(500, { message: err instanceof Error ? err.message : 'Internal error' }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      await new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      });
      for (const started of backends.values()) await (await started.catch(() => undefined))?.close();
    },
  };
}

/** The MLSight data source as the E2E suite and `npm start` configure it (uid `mlsight`). */
export function mlsightDataSource(
  proxyUrl: string,
  apiToken?: string
): Omit<DataSourceRecord, 'id' | 'version' | 'orgId'> {
  return {
    uid: 'mlsight',
    name: 'MLSight',
    type: 'mlsight-mlflow-datasource',
    access: 'proxy',
    url: proxyUrl,
    isDefault: true,
    readOnly: false,
    jsonData: proxyUrl ? { proxyUrl } : {},
    secureJsonData: apiToken ? { apiToken } : {},
  };
}

/** The Prometheus data source of the provisioning (uid `mlsight-prometheus`), scraping the proxy's /metrics. */
export function prometheusDataSource(prometheusUrl: string): Omit<DataSourceRecord, 'id' | 'version' | 'orgId'> {
  return {
    uid: 'mlsight-prometheus',
    name: 'Prometheus (MLSight)',
    type: 'prometheus',
    access: 'proxy',
    url: prometheusUrl,
    isDefault: false,
    readOnly: true,
    jsonData: { timeInterval: '15s' },
    secureJsonData: {},
  };
}

export const DATASOURCE_DIST = join(REPO_ROOT, 'datasource', 'dist');

/** The MLSight data source: its frontend and its Go backend (datasource/pkg, built into dist/). */
export const DATASOURCE_PLUGIN: HostPlugin = {
  id: 'mlsight-mlflow-datasource',
  distDir: DATASOURCE_DIST,
  goModuleDir: join(REPO_ROOT, 'datasource'),
};

/** The MLSight app (app/dist), enabled, on the provisioned data source. */
export const APP_PLUGIN: HostPlugin = {
  id: 'mlsight-app',
  distDir: join(REPO_ROOT, 'app', 'dist'),
  enabled: true,
  jsonData: { datasourceUid: 'mlsight' },
};

/** The MLSight panel plugins and their built dist folders. */
export const PANEL_PLUGINS: HostPlugin[] = [
  { id: 'mlsight-driftheatmap-panel', distDir: join(REPO_ROOT, 'panels', 'drift-heatmap', 'dist') },
  { id: 'mlsight-explanations-panel', distDir: join(REPO_ROOT, 'panels', 'explanation-bars', 'dist') },
  { id: 'mlsight-provenance-panel', distDir: join(REPO_ROOT, 'panels', 'provenance-graph', 'dist') },
];

if (require.main === module) {
  const port = Number(process.env.HOST_PORT ?? '3300');
  startHostServer({
    port,
    plugins: [DATASOURCE_PLUGIN, ...PANEL_PLUGINS, APP_PLUGIN],
    datasources: [
      mlsightDataSource(process.env.MLSIGHT_PROXY_URL ?? '', process.env.MLSIGHT_API_TOKEN),
      ...(process.env.MLSIGHT_PROMETHEUS_URL ? [prometheusDataSource(process.env.MLSIGHT_PROMETHEUS_URL)] : []),
    ],
  })
    .then((server) => console.log(`[host] plugin host at ${server.url}/ (Ctrl-C to stop)`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
