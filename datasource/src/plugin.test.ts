/** @jest-environment node */
import fs from 'fs';
import path from 'path';
import plugin from './plugin.json';

/**
 * The rules of Grafana's plugin.json schema (docs/sources/developers/plugins/plugin.schema.json in grafana/grafana,
 * Grafana 12 line) that apply to this file, restated here because the schema itself is not shipped in any package
 * installed here: required keys, the id and version patterns, and the keys allowed at each level.
 */
const TOP_LEVEL_KEYS = [
  '$schema',
  'alerting',
  'annotations',
  'autoEnabled',
  'backend',
  'buildMode',
  'builtIn',
  'category',
  'dependencies',
  'enterpriseFeatures',
  'executable',
  'hideFromList',
  'id',
  'includes',
  'info',
  'logs',
  'metrics',
  'multiValueFilterOperators',
  'name',
  'pascalName',
  'preload',
  'queryOptions',
  'routes',
  'skipDataQuery',
  'state',
  'streaming',
  'tracing',
  'type',
  'iam',
  'roles',
  'extensions',
  'languages',
];
const INFO_KEYS = ['author', 'build', 'description', 'keywords', 'links', 'logos', 'screenshots', 'updated', 'version'];
const ID_PATTERN = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const GRAFANA_DEPENDENCY =
  /^(<=|>=|<|>|=|~|\^)?([0-9]+)(\.[0-9x*]+)?(\.[0-9x*]+)?(-[0-9A-Za-z-.]+)?(\s(<=|>=|<|=>)?([0-9]+)(\.[0-9x*]+)?(\.[0-9x*]+)?(-[0-9A-Za-z-.]+)?)?$/;

describe('src/plugin.json', () => {
  it("has the schema's required keys and no unknown ones", () => {
    for (const key of ['type', 'name', 'id', 'info', 'dependencies']) expect(plugin).toHaveProperty(key);
    expect(Object.keys(plugin).filter((k) => !TOP_LEVEL_KEYS.includes(k))).toEqual([]);
    expect(Object.keys(plugin.info).filter((k) => !INFO_KEYS.includes(k))).toEqual([]);
    for (const key of ['logos', 'version', 'updated', 'keywords']) expect(plugin.info).toHaveProperty(key);
  });

  it('is a data source with a valid id, metrics and annotations', () => {
    expect(plugin).toMatchObject({
      type: 'datasource',
      id: 'mlsight-mlflow-datasource',
      name: 'MLSight',
      metrics: true,
      annotations: true,
    });
    expect(plugin.id).toMatch(ID_PATTERN);
    expect(plugin.info.keywords.length).toBeGreaterThan(0);
  });

  it('leaves version and date to the build and requires Grafana 12', () => {
    expect(plugin.info.version).toBe('%VERSION%');
    expect(plugin.info.updated).toBe('%TODAY%');
    expect(plugin.dependencies.grafanaDependency).toBe('>=12.0.0');
    expect(plugin.dependencies.grafanaDependency).toMatch(GRAFANA_DEPENDENCY);
  });

  // plugin.schema.json: `alerting` "requires `backend` to be set to `true`"; Grafana starts
  // `<executable>_<GOOS>_<GOARCH>` from the plugin folder (scripts/build-backend.sh builds linux amd64 and arm64).
  it('declares the Go backend Grafana starts, and alerting, which needs it', () => {
    expect(plugin).toMatchObject({ backend: true, alerting: true, executable: `gpx_${plugin.id}` });
    const main = fs.readFileSync(path.join(__dirname, '..', 'pkg', 'main.go'), 'utf8');
    expect(main).toContain(`const pluginID = "${plugin.id}"`);
  });

  it('has no data-proxy routes: the token is read by the backend only, never by the browser', () => {
    expect(plugin).not.toHaveProperty('routes');
  });

  it('names logos that exist', () => {
    for (const logo of [plugin.info.logos.small, plugin.info.logos.large]) {
      expect(logo).toMatch(/\.svg$/);
      expect(fs.existsSync(path.join(__dirname, logo))).toBe(true);
    }
  });
});
