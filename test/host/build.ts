/**
 * Builds the plugin host page with esbuild: `npx tsx test/host/build.ts [--line 12|13|all]`.
 *
 * Line 12 bundles the repository's own @grafana 12.0.2 + React 18 as the shared modules; line 13 bundles
 * @grafana 13.2 + React 19 from test/host/grafana13/node_modules (installed separately, see README.md), so the same
 * plugin dist can be loaded by either Grafana line's modules. Output: test/host/dist/<line>/{index.html,host.js}.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { APP_PAGE } from './server/appPage';

const HOST_DIR = __dirname;
const REPO_ROOT = resolve(HOST_DIR, '..', '..');

export type GrafanaLine = '12' | '13';

interface LineSetup {
  label: string;
  /** node_modules the line's @grafana packages and React come from. */
  modulesDir: string;
  /**
   * Where the line's React Router 6 (`react-router-dom`, which brings its `react-router`) is installed. Grafana
   * 12.0.2+ shares React Router 6 as react-router, react-router-dom and react-router-dom-v5-compat; the repository's
   * hoisted react-router-dom is @grafana/ui 12.0.2's v5, so line 12 takes the app workspace's v6.
   */
  routerFrom: string;
}

const LINES: Record<GrafanaLine, LineSetup> = {
  '12': {
    label: 'Grafana 12.0.2',
    modulesDir: join(REPO_ROOT, 'node_modules'),
    routerFrom: join(REPO_ROOT, 'app'),
  },
  '13': {
    label: 'Grafana 13.2',
    modulesDir: join(HOST_DIR, 'grafana13', 'node_modules'),
    routerFrom: join(HOST_DIR, 'grafana13'),
  },
};

/** Where a line's built host lives; the host server serves it. */
export function hostDistDir(line: GrafanaLine): string {
  return join(HOST_DIR, 'dist', line);
}

/** Whether the packages of a line are installed (line 13 is optional). */
export function lineAvailable(line: GrafanaLine): boolean {
  return existsSync(join(LINES[line].modulesDir, '@grafana', 'ui', 'package.json'));
}

function packageVersion(modulesDir: string, name: string): string {
  const json: unknown = JSON.parse(readFileSync(join(modulesDir, name, 'package.json'), 'utf8'));
  return typeof json === 'object' && json !== null && 'version' in json ? String(json.version) : '?';
}

const LINE_PACKAGES = /^(react|react-dom|i18next|@grafana\/(?:data|ui|runtime|schema|e2e-selectors|i18n))(\/.*)?$/;
const ROUTER_PACKAGES = /^react-router(-dom)?(-v5-compat)?$/;

/** The line's React Router 6 entry points: react-router-dom and the react-router it depends on. */
function routerEntries(line: LineSetup): { dom: string; router: string } {
  const domPackage = require.resolve('react-router-dom/package.json', { paths: [line.routerFrom] });
  const version = packageVersion(dirname(dirname(domPackage)), 'react-router-dom');
  if (!version.startsWith('6.')) throw new Error(`${line.label}: react-router-dom ${version} found, 6.x needed`);
  const domDir = dirname(domPackage);
  const routerDir = dirname(require.resolve('react-router/package.json', { paths: [domDir] }));
  return { dom: require.resolve(domDir), router: require.resolve(routerDir) };
}

const RUNTIME_PLUGIN_PAGE = 'grafana-runtime-internal:plugin-page';

/**
 * @grafana/runtime's internal `setPluginPage` (what Grafana's app.ts calls, not in the package's exports): the 13.x
 * CommonJS build's own `components/PluginPage.cjs` (the module its index re-exports through a getter), or on 12.0.2,
 * whose index holds `PluginPage` as a writable property, the host's `src/app/pluginPage12.ts`.
 */
function runtimePluginPageFrom(modulesDir: string): Plugin {
  const internal = join(modulesDir, '@grafana', 'runtime', 'dist', 'cjs', 'components', 'PluginPage.cjs');
  return {
    name: 'grafana-runtime-plugin-page',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: new RegExp(`^${RUNTIME_PLUGIN_PAGE}$`) }, () => ({
        path: existsSync(internal) ? internal : join(HOST_DIR, 'src', 'app', 'pluginPage12.ts'),
      }));
    },
  };
}

/**
 * React Router as Grafana shares it: one v6 copy under its three names, for the host's own router, @grafana/ui's
 * links (react-router-dom-v5-compat) and the plugins' externals alike.
 */
function sharedRouterFrom(line: LineSetup): Plugin {
  const entries = routerEntries(line);
  return {
    name: 'grafana-router',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: ROUTER_PACKAGES }, (args) => ({
        path: args.path === 'react-router' ? entries.router : entries.dom,
      }));
    },
  };
}

/**
 * Resolves React and the @grafana packages from one line's node_modules, with their package exports intact (a path
 * alias would bypass them), wherever the import comes from. `@grafana/ui` itself resolves to its CommonJS build:
 * the 12.0.2 ESM build misses exports under esbuild. Every @grafana package then resolves to its CommonJS build
 * too, whether imported or required: otherwise the host's `import` of @grafana/data and @grafana/ui's `require` of
 * it bundle two copies, and @grafana/ui reads a ThemeContext (and registries) nobody provides — every component
 * drew the default dark theme whatever the host set.
 */
function sharedPackagesFrom(modulesDir: string): Plugin {
  const resolveDir = dirname(modulesDir);
  return {
    name: 'grafana-line',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: LINE_PACKAGES }, async (args) => {
        if (args.pluginData === 'grafana-line') return undefined;
        if (args.path === '@grafana/ui')
          return { path: join(modulesDir, '@grafana', 'ui', 'dist', 'cjs', 'index.cjs') };
        const result = await pluginBuild.resolve(args.path, {
          kind: args.path.startsWith('@grafana/') ? 'require-call' : args.kind,
          resolveDir,
          pluginData: 'grafana-line',
        });
        return result.errors.length > 0 ? { errors: result.errors } : { path: result.path };
      });
    },
  };
}

/**
 * Grafana's index.html embeds the boot data @grafana/runtime's `config` reads when it is first imported. The app page
 * is Grafana served from a sub path (`appSubUrl` = `/hosts/<line>`), so apps' URLs are `<appSubUrl>/a/<id>/…`.
 */
function indexHtml(line: LineSetup, lineId: GrafanaLine, grafanaVersion: string, appSubUrl: string): string {
  const bootData = {
    settings: {
      appSubUrl,
      buildInfo: { version: grafanaVersion, edition: 'Open Source', env: 'production' },
      featureToggles: {},
      datasources: {},
      panels: {},
    },
    user: {
      theme: 'light',
      lightTheme: true,
      orgId: 1,
      orgRole: 'Admin',
      timezone: 'browser',
      locale: 'en-US',
      language: 'en-US',
    },
    navTree: [],
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>MLSight plugin host · ${line.label}</title>
    <!-- No favicon request: its 404 would be a console error in every test. -->
    <link rel="icon" href="data:," />${appSubUrl ? `\n    <!-- Grafana's index.html: relative URLs (fonts, public/…) resolve from the sub path. -->\n    <base href="${appSubUrl}/" />` : ''}
    <link rel="stylesheet" href="/hosts/${lineId}/host.css" />
    <script>window.grafanaBootData = ${JSON.stringify(bootData)};</script>
  </head>
  <body class="theme-light">
    <div id="root"></div>
    <script src="/hosts/${lineId}/host.js"></script>
  </body>
</html>
`;
}

/** Bundles one line's host page. */
export async function buildHost(line: GrafanaLine): Promise<string> {
  const setup = LINES[line];
  if (!lineAvailable(line))
    throw new Error(`${setup.label}: no @grafana/ui in ${setup.modulesDir}; see test/host/README.md`);
  const outDir = hostDistDir(line);
  mkdirSync(outDir, { recursive: true });
  const grafanaVersion = packageVersion(setup.modulesDir, '@grafana/data');
  await build({
    entryPoints: [join(HOST_DIR, 'src', 'main.tsx')],
    outfile: join(outDir, 'host.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: process.env.HOST_MINIFY !== '0',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [sharedRouterFrom(setup), runtimePluginPageFrom(setup.modulesDir), sharedPackagesFrom(setup.modulesDir)],
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'window',
      HOST_GRAFANA_LINE: JSON.stringify(`Grafana ${grafanaVersion}`),
    },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
    assetNames: 'assets/[name]-[hash]',
  });
  writeFileSync(join(outDir, 'index.html'), indexHtml(setup, line, grafanaVersion, ''));
  writeFileSync(join(outDir, APP_PAGE), indexHtml(setup, line, grafanaVersion, `/hosts/${line}`));
  return outDir;
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--line');
  const wanted = arg >= 0 ? process.argv[arg + 1] : 'all';
  const lines: GrafanaLine[] = wanted === '12' || wanted === '13' ? [wanted] : ['12', '13'];
  for (const line of lines) {
    if (wanted === 'all' && !lineAvailable(line)) {
      console.log(`[host] skipping ${LINES[line].label}: its packages are not installed (see test/host/README.md)`);
      continue;
    }
    const started = Date.now();
    const out = await buildHost(line);
    console.log(`[host] ${LINES[line].label} host built in ${((Date.now() - started) / 1000).toFixed(1)} s → ${out}`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
