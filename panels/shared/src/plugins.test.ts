/** @jest-environment jsdom */
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import fs from 'fs';
import path from 'path';
import * as react from 'react';
import * as reactDom from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';

const PANELS = [
  { dir: 'drift-heatmap', id: 'mlsight-driftheatmap-panel' },
  { dir: 'explanation-bars', id: 'mlsight-explanations-panel' },
  { dir: 'provenance-graph', id: 'mlsight-provenance-panel' },
];
const root = path.resolve(__dirname, '..', '..');
const ID_PATTERN = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const TOP_LEVEL_KEYS = ['$schema', 'type', 'name', 'id', 'info', 'dependencies', 'skipDataQuery', 'state', 'buildMode'];
const INFO_KEYS = ['author', 'build', 'description', 'keywords', 'links', 'logos', 'screenshots', 'updated', 'version'];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe.each(PANELS)('$id', ({ dir, id }) => {
  const pkg = path.join(root, dir);

  it('has a plugin.json Grafana accepts, version and date left to the build', () => {
    const json = readJson(path.join(pkg, 'src', 'plugin.json'));
    const info = json.info as Record<string, unknown>;
    expect(json).toMatchObject({ type: 'panel', id, dependencies: { grafanaDependency: '>=12.0.0' } });
    expect(id).toMatch(ID_PATTERN);
    expect(Object.keys(json).filter((k) => !TOP_LEVEL_KEYS.includes(k))).toEqual([]);
    expect(Object.keys(info).filter((k) => !INFO_KEYS.includes(k))).toEqual([]);
    expect(info).toMatchObject({ version: '%VERSION%', updated: '%TODAY%' });
    const logos = info.logos as Record<string, string>;
    for (const logo of Object.values(logos)) expect(fs.existsSync(path.join(pkg, 'src', logo))).toBe(true);
  });

  it('ships a README and a CHANGELOG, and builds with the shared plugin build', () => {
    expect(fs.existsSync(path.join(pkg, 'README.md'))).toBe(true);
    expect(fs.existsSync(path.join(pkg, 'CHANGELOG.md'))).toBe(true);
    const config = fs.readFileSync(path.join(pkg, '.config', 'webpack', 'webpack.config.ts'), 'utf8');
    expect(config).toContain('.config/plugin-webpack/webpack.config');
  });

  it('never writes HTML from strings', () => {
    for (const file of sources(path.join(pkg, 'src'))) {
      expect({
        file,
        html: /innerHTML|dangerouslySetInnerHTML|outerHTML|insertAdjacentHTML/.test(fs.readFileSync(file, 'utf8')),
      }).toEqual({
        file,
        html: false,
      });
    }
  });

  // Built output is checked when present (after `npm run build -w <id>`); the unit run does not build.
  const bundle = path.join(pkg, 'dist', 'module.js');
  (fs.existsSync(bundle) ? it : it.skip)('dist/module.js is an AMD module exporting a PanelPlugin', () => {
    const shared: Record<string, unknown> = {
      react,
      'react/jsx-runtime': jsxRuntime,
      'react-dom': reactDom,
      '@grafana/data': grafanaData,
      '@grafana/ui': grafanaUi,
      '@grafana/runtime': grafanaRuntime,
      '@emotion/css': emotionCss,
      module: { uri: `public/plugins/${id}/module.js` },
    };
    let exported: unknown;
    const define = (deps: string[], factory: (...args: unknown[]) => unknown) => {
      const missing = deps.filter((d) => !(d in shared));
      expect(missing).toEqual([]);
      exported = factory(...deps.map((d) => shared[d]));
    };
    new Function('define', fs.readFileSync(bundle, 'utf8'))(define);
    expect((exported as { plugin?: unknown }).plugin).toBeInstanceOf(grafanaData.PanelPlugin);
    const dist = readJson(path.join(pkg, 'dist', 'plugin.json'));
    expect((dist.info as Record<string, unknown>).version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
