import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ANNOTATION_KINDS, MLSightQuerySchema, querySchemas, isQueryType } from '@mlsight/contract';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../backend-proxy/src/config/config';
import { PROVISIONED_DASHBOARDS, renderDashboard } from '../../provisioning/build/dashboards';
import { dashboardPath, DIRECT_ALERTS_PATH } from '../../provisioning/build/generate';
import { DEMO_MODEL } from '../../provisioning/build/common';
import { renderDirectAlerts } from '../../provisioning/build/directAlerts';
import { MLSIGHT_DATASOURCE, PROMETHEUS_DATASOURCE } from '../../provisioning/build/dataSources';
import { CORE_PANEL_TYPES } from '../../provisioning/build/grafana';
import { MLSIGHT_PANEL_TYPES } from '../../provisioning/build/mlsight';
import { interpolateTarget, panelsOf, SAVED_DASHBOARDS, VARIABLE_REFERENCE } from './dashboardTargets';
import { promtool } from '../support/prometheus';
import { ALERTING_METRIC_NAMES, metricNamesIn, PROXY_METRIC_NAMES } from './metricNames';

/**
 * Structural checks of everything a real Grafana / docker compose would read (none can run on these machines):
 * docker-compose.yml, the data-source, dashboard and alerting provisioning, and the generated dashboards.
 */

const REPO = resolve(__dirname, '..', '..');
const readYaml = (path: string): unknown => parse(readFileSync(join(REPO, path), 'utf8'));
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(REPO, path), 'utf8'));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function obj(v: unknown, what: string): Obj {
  if (!isObj(v)) throw new Error(`${what} is not a mapping`);
  return v;
}
function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what} is not a list`);
  return v;
}

/** Compose's `${VAR:-default}` / `${VAR}` with the defaults (and nothing else) set. */
function composeDefaults(text: string): string {
  return text.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}

const PLUGIN_DIRS = {
  datasource: 'datasource',
  heatmap: 'panels/drift-heatmap',
  explanations: 'panels/explanation-bars',
  provenance: 'panels/provenance-graph',
} as const;
const pluginIds = Object.values(PLUGIN_DIRS).map((dir) => {
  const plugin = obj(readJson(`${dir}/src/plugin.json`), `${dir}/src/plugin.json`);
  return { dir, id: String(plugin.id) };
});

const compose = obj(readYaml('docker-compose.yml'), 'docker-compose.yml');
const services = obj(compose.services, 'services');
const service = (name: string) => obj(services[name], `service ${name}`);
const environment = (name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(obj(service(name).environment, `${name}.environment`)).map(([k, v]) => [
      k,
      composeDefaults(String(v)),
    ])
  );

describe('docker-compose.yml', () => {
  it('has the six services of the stack', () => {
    expect(Object.keys(services).sort()).toEqual(['grafana', 'mlflow', 'postgres', 'prometheus', 'proxy', 'seeder']);
  });

  it('publishes the usual ports', () => {
    const ports = (name: string) => list(service(name).ports, `${name}.ports`).map(String);
    expect(ports('grafana')).toContain('3000:3000');
    expect(ports('proxy')).toContain('8450:8450');
    expect(ports('mlflow')).toContain('5000:5000');
    expect(ports('prometheus')).toContain('9090:9090');
  });

  it('gives every long-running service a healthcheck and waits on healthy dependencies', () => {
    for (const [name, raw] of Object.entries(services)) {
      const svc = obj(raw, name);
      if (name !== 'seeder') {
        const test = list(obj(svc.healthcheck, `${name}.healthcheck`).test, `${name}.healthcheck.test`);
        expect(['CMD', 'CMD-SHELL']).toContain(test[0]);
      }
      for (const [dependency, condition] of Object.entries(isObj(svc.depends_on) ? svc.depends_on : {})) {
        expect(Object.keys(services)).toContain(dependency);
        expect(obj(condition, `${name}.depends_on.${dependency}`).condition).toBe('service_healthy');
        expect(obj(services[dependency], dependency).healthcheck).toBeDefined();
      }
    }
  });

  // Bind mounts (each path exists and is what the container reads there): grafanaRules.test.ts.

  it('builds images from Dockerfiles that exist', () => {
    for (const [name, raw] of Object.entries(services)) {
      if (!isObj(raw) || !isObj(raw.build)) continue;
      const dockerfile = join(REPO, String(raw.build.context), String(raw.build.dockerfile));
      expect({ name, dockerfile: statSync(dockerfile).isFile() }).toEqual({ name, dockerfile: true });
    }
    expect(existsSync(join(REPO, '.dockerignore'))).toBe(true);
  });

  it("sets only environment variables the proxy's config reads, and the config accepts them", () => {
    const source = readFileSync(join(REPO, 'backend-proxy/src/config/config.ts'), 'utf8');
    const known = new Set([...source.matchAll(/'(MLSIGHT_[A-Z0-9_]+)'/g)].map((m) => m[1]));
    const env = environment('proxy');
    for (const name of Object.keys(env)) expect({ name, known: known.has(name) }).toEqual({ name, known: true });
    const config = loadConfig(env);
    expect(config.store.engine).toBe('postgres');
    expect(config.auth.tokens.map((t) => t.scopes)).toEqual([['read'], ['ingest']]);
    expect(config.metricsPublic).toBe(true);
    expect(config.mlflow.url).toBe('http://mlflow:5000');
    expect(config.monitor).toEqual({ intervalMs: 60_000, windowMs: 3_600_000 });
  });

  it('runs grafana-oss 12 with exactly the MLSight plugins allowed unsigned', () => {
    expect(String(service('grafana').image)).toMatch(/^grafana\/grafana-oss:12\./);
    const allowed = environment('grafana').GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS?.split(',') ?? [];
    expect(allowed.sort()).toEqual(pluginIds.map((p) => p.id).sort());
  });

  it('gives Grafana every variable its provisioning files expand', () => {
    const env = environment('grafana');
    for (const file of ['provisioning/datasources/mlsight.yaml', 'provisioning/alerting/mlsight-alerts.yaml']) {
      const text = readFileSync(join(REPO, file), 'utf8');
      for (const [, name] of text.matchAll(/\$\{(MLSIGHT_[A-Z_]+)\}/g)) {
        expect({ file, name, set: Boolean(name && env[name]) }).toEqual({ file, name, set: true });
      }
    }
    // The read token Grafana sends is one the proxy accepts with the read scope.
    const proxyTokens = loadConfig(environment('proxy')).auth.tokens;
    expect(proxyTokens.find((t) => t.token === env.MLSIGHT_GRAFANA_TOKEN)?.scopes).toEqual(['read']);
  });
});

describe('provisioning/datasources', () => {
  const file = obj(readYaml('provisioning/datasources/mlsight.yaml'), 'mlsight.yaml');
  const sources = list(file.datasources, 'datasources').map((d, i) => obj(d, `datasources[${i}]`));

  it('provisions the MLSight data source with the proxy URL and the token from the environment', () => {
    expect(file.apiVersion).toBe(1);
    const mlsight = sources.find((s) => s.uid === MLSIGHT_DATASOURCE.uid);
    expect(mlsight?.type).toBe(pluginIds.find((p) => p.dir === 'datasource')?.id);
    expect(mlsight?.type).toBe(MLSIGHT_DATASOURCE.type);
    expect(obj(mlsight?.jsonData, 'jsonData').proxyUrl).toBe('${MLSIGHT_PROXY_URL}');
    expect(obj(mlsight?.secureJsonData, 'secureJsonData').apiToken).toBe('${MLSIGHT_GRAFANA_TOKEN}');
  });

  it('does not take the default away from an existing data source, and reads the default model from the environment', () => {
    for (const source of sources)
      expect({ name: source.name, isDefault: source.isDefault }).not.toMatchObject({ isDefault: true });
    const mlsight = sources.find((s) => s.uid === MLSIGHT_DATASOURCE.uid);
    expect(obj(mlsight?.jsonData, 'jsonData').defaultModel).toBe('${MLSIGHT_DEFAULT_MODEL}');
  });

  it('provisions the Prometheus data source the dashboards and alerts name', () => {
    const prometheus = sources.find((s) => s.uid === PROMETHEUS_DATASOURCE.uid);
    expect(prometheus?.type).toBe('prometheus');
    expect(prometheus?.url).toBe('${MLSIGHT_PROMETHEUS_URL}');
  });
});

describe('provisioning/dashboards', () => {
  it('has a file provider with one folder per persona directory, where compose mounts it', () => {
    const file = obj(readYaml('provisioning/dashboards/dashboards.yaml'), 'dashboards.yaml');
    const [provider] = list(file.providers, 'providers').map((p) => obj(p, 'provider'));
    expect(provider?.type).toBe('file');
    const options = obj(provider?.options, 'options');
    expect(options.foldersFromFilesStructure).toBe(true);
    const mounts = list(service('grafana').volumes, 'volumes').map(String);
    expect(mounts).toContain(`./provisioning/dashboards:${String(options.path)}:ro`);
    expect(new Set(PROVISIONED_DASHBOARDS.map((d) => d.folder)).size).toBe(5);
  });

  it.each(PROVISIONED_DASHBOARDS.map((d) => [`${d.folder}/${d.file}`, d] as const))(
    '%s is exactly what provisioning/build produces',
    (_, { folder, file, dashboard }) => {
      expect(readFileSync(dashboardPath(folder, file), 'utf8')).toBe(renderDashboard(dashboard));
    }
  );

  it('uses unique dashboard uids and the six expected dashboards', () => {
    const uids = PROVISIONED_DASHBOARDS.map((d) => d.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    // The heatmap panel's default drill-down link targets this uid.
    expect(uids).toContain('mlsight-feature-drift');
  });
});

describe.each(SAVED_DASHBOARDS.map((d) => [d.uid, d] as const))('dashboard %s', (_, dash) => {
  const panels = panelsOf(dash);
  const variables = new Set(dash.templating.list.map((v) => v.name));
  const allCapable = new Set(dash.templating.list.filter((v) => v.type === 'query' && v.includeAll).map((v) => v.name));

  it('has model, version or alias, feature and segment variables from the variables API', () => {
    const kinds = new Map(
      dash.templating.list.map((v) => [
        v.name,
        v.type === 'query' && typeof v.query === 'object' ? v.query.kind : v.type,
      ])
    );
    expect(kinds.get('model')).toBe('models');
    expect([kinds.get('version'), kinds.get('alias')]).toContainEqual(expect.stringMatching(/^(versions|aliases)$/));
    expect(kinds.get('feature')).toBe('features');
    expect(kinds.get('segment')).toBe('segments');
  });

  it("has the schemaVersion Grafana 12.0 writes (the SDK's 11.6 line emits it), so Grafana 12 does not migrate it", () => {
    expect(dash.schemaVersion).toBe(41);
  });

  it('has the model variable from the variables API and panels on the 24-column grid', () => {
    expect(dash.templating.list.find((v) => v.name === 'model')).toMatchObject({
      type: 'query',
      datasource: MLSIGHT_DATASOURCE,
      query: { kind: 'models' },
    });
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
  });

  it("uses only MLSight's and Grafana's core panel types", () => {
    const allowed: readonly string[] = [...MLSIGHT_PANEL_TYPES, ...CORE_PANEL_TYPES];
    for (const p of panels)
      expect({ panel: p.title, type: allowed.includes(p.type) }).toEqual({ panel: p.title, type: true });
  });

  it('refers only to variables the dashboard defines', () => {
    const text = JSON.stringify({ panels: dash.panels, annotations: dash.annotations, templating: dash.templating });
    for (const [, a, b] of text.matchAll(VARIABLE_REFERENCE)) {
      const name = a ?? b ?? '';
      if (name.startsWith('__') || ['feature', 'from', 'to', 'method'].includes(name)) continue;
      expect({ name, defined: variables.has(name) }).toEqual({ name, defined: true });
    }
  });

  it('sends MLSight targets the contract accepts, with demo values and with "All" selected', () => {
    const targets = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, target: t as Obj })));
    const mlsightTargets = targets.filter((t) => obj(t.target.datasource, 'datasource').uid === MLSIGHT_DATASOURCE.uid);
    expect(
      mlsightTargets.length +
        targets.filter((t) => obj(t.target.datasource, 'ds').uid === PROMETHEUS_DATASOURCE.uid).length
    ).toBe(targets.length);
    for (const { panel, target } of mlsightTargets) {
      for (const all of [new Set<string>(), allCapable]) {
        const query = interpolateTarget(target, undefined, all);
        const parsed = MLSightQuerySchema.safeParse(query);
        const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        expect({ panel, issues }).toEqual({ panel, issues: [] });
      }
    }
  });

  it('keeps "All" only on fields the query type lets go', () => {
    for (const p of panels) {
      for (const target of p.targets ?? []) {
        const type = target.queryType;
        if (!isQueryType(type)) continue;
        const shape: Record<string, { safeParse(v: unknown): { success: boolean } }> = querySchemas[type].shape;
        for (const [field, value] of Object.entries(target)) {
          const name = typeof value === 'string' ? /^\$(\w+)$/.exec(value)?.[1] : undefined;
          if (name && allCapable.has(name)) {
            expect({ panel: p.title, field, optional: shape[field]?.safeParse(undefined).success }).toEqual({
              panel: p.title,
              field,
              optional: true,
            });
          }
        }
      }
    }
  });

  it('charts only metrics the proxy exports', () => {
    const known: readonly string[] = [...ALERTING_METRIC_NAMES, ...PROXY_METRIC_NAMES];
    for (const p of panels) {
      for (const target of p.targets ?? []) {
        if (target.expr === undefined) continue;
        for (const name of metricNamesIn(target.expr))
          expect({ name, known: known.includes(name) }).toEqual({ name, known: true });
      }
    }
  });

  it('annotates from the annotations API with known event kinds', () => {
    const layers = dash.annotations.list.filter((l) => l.datasource.uid === MLSIGHT_DATASOURCE.uid);
    expect(layers.length).toBeGreaterThan(0);
    for (const layer of layers) {
      expect(layer.target?.queryType).toBe('annotations');
      for (const kind of layer.target?.kinds ?? []) expect(ANNOTATION_KINDS).toContain(kind);
    }
  });
});

describe('provisioning/alerting', () => {
  const file = obj(readYaml('provisioning/alerting/mlsight-alerts.yaml'), 'mlsight-alerts.yaml');
  const groups = list(file.groups, 'groups').map((g, i) => obj(g, `groups[${i}]`));
  const rules = groups.flatMap((g) => list(g.rules, `${String(g.name)}.rules`).map((r) => obj(r, 'rule')));
  const byTitle = (title: string) => rules.find((r) => r.title === title);

  it('is Grafana unified-alerting provisioning: groups with folder, interval and rules', () => {
    expect(file.apiVersion).toBe(1);
    for (const group of groups) {
      expect(group).toMatchObject({ orgId: 1, folder: 'MLSight alerts' });
      expect(String(group.interval)).toMatch(/^\d+[smh]$/);
    }
    const uids = rules.map((r) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('has the alerts the issue asks for (and MLflow unreachable)', () => {
    for (const title of [
      'MLSightFeatureDrift',
      'MLSightDatasetDrift',
      'MLSightMissingData',
      'MLSightStaleData',
      'MLSightEstimatedAccuracyDrop',
      'MLSightProxyDown',
      'MLSightMlflowUnreachable',
    ]) {
      expect(byTitle(title)).toBeDefined();
    }
  });

  it('queries the provisioned Prometheus, and each condition names one of its refIds', () => {
    for (const rule of rules) {
      const data = list(rule.data, `${String(rule.title)}.data`).map((d) => obj(d, 'data'));
      const refIds = data.map((d) => d.refId);
      expect(refIds).toContain(rule.condition);
      for (const d of data) {
        expect([PROMETHEUS_DATASOURCE.uid, '__expr__']).toContain(d.datasourceUid);
        expect(obj(d.model, 'model').refId).toBe(d.refId);
      }
      expect(['OK', 'NoData', 'Alerting', 'KeepLast']).toContain(rule.noDataState);
      expect(['OK', 'Error', 'Alerting', 'KeepLast']).toContain(rule.execErrState);
    }
  });

  it('uses only the fixed metric names in its Prometheus expressions', () => {
    const known: readonly string[] = ALERTING_METRIC_NAMES;
    let checked = 0;
    for (const rule of rules) {
      for (const d of list(rule.data, 'data').map((x) => obj(x, 'data'))) {
        if (d.datasourceUid !== PROMETHEUS_DATASOURCE.uid) continue;
        const names = metricNamesIn(String(obj(d.model, 'model').expr));
        expect(names.length).toBeGreaterThan(0);
        for (const name of names) expect({ name, known: known.includes(name) }).toEqual({ name, known: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('gives drift and quality alerts feature, statistic, value, threshold and sample size', () => {
    for (const title of ['MLSightFeatureDrift', 'MLSightMissingData']) {
      const annotations = obj(byTitle(title)?.annotations, `${title}.annotations`);
      for (const key of ['feature', 'statistic', 'value', 'threshold', 'sample_size']) {
        expect({ title, key, present: String(annotations[key] ?? '').length > 0 }).toEqual({
          title,
          key,
          present: true,
        });
      }
    }
    // Every $values.X the templates read is a refId of the same rule.
    for (const rule of rules) {
      const refIds = list(rule.data, 'data').map((d) => obj(d, 'data').refId);
      for (const [, ref] of JSON.stringify(rule.annotations).matchAll(/\$values\.(\w+)/g))
        expect(refIds).toContain(ref);
    }
  });

  it('routes alerts to a provisioned webhook contact point', () => {
    const [contact] = list(file.contactPoints, 'contactPoints').map((c) => obj(c, 'contactPoint'));
    const [receiver] = list(contact?.receivers, 'receivers').map((r) => obj(r, 'receiver'));
    expect(receiver?.type).toBe('webhook');
    expect(obj(receiver?.settings, 'settings').url).toBe('${MLSIGHT_ALERT_WEBHOOK_URL}');
    // The policy tree is a file of its own: provisioning it replaces the organisation's whole tree.
    expect(file.policies).toBeUndefined();
    const policies = obj(readYaml('provisioning/alerting/mlsight-policies.yaml'), 'mlsight-policies.yaml');
    const [policy] = list(policies.policies, 'policies').map((p) => obj(p, 'policy'));
    expect(policy?.receiver).toBe(contact?.name);
  });
});

describe('provisioning/alerting/mlsight-direct-alerts.yaml (rules on MLSight queries)', () => {
  const file = obj(readYaml('provisioning/alerting/mlsight-direct-alerts.yaml'), 'mlsight-direct-alerts.yaml');
  const rules = list(file.groups, 'groups').flatMap((g) =>
    list(obj(g, 'group').rules, 'rules').map((r) => obj(r, 'r'))
  );
  const mlsightQueries = rules.flatMap((r) =>
    list(r.data, 'data')
      .map((d) => obj(d, 'data'))
      .filter((d) => d.datasourceUid === MLSIGHT_DATASOURCE.uid)
      .map((d) => ({ rule: String(r.title), query: obj(d.model, 'model') }))
  );

  it('is exactly what provisioning/build produces', () => {
    expect(readFileSync(DIRECT_ALERTS_PATH, 'utf8')).toBe(renderDirectAlerts());
  });

  it('has the drift verdict, CBPE and freshness rules, every query in the alerting format', () => {
    expect(rules.map((r) => r.title)).toEqual([
      'MLSightDirectFeatureDrift',
      'MLSightDirectEstimatedAccuracyDrop',
      'MLSightDirectStaleData',
    ]);
    expect(new Set(mlsightQueries.map((q) => q.query.format))).toEqual(new Set(['alerting']));
  });

  it("sends queries the contract accepts once the data source's default model is filled in, as the backend does", () => {
    expect(mlsightQueries.length).toBeGreaterThan(5);
    for (const { rule, query } of mlsightQueries) {
      expect(query.model).toBeUndefined();
      const parsed = MLSightQuerySchema.safeParse({ ...query, model: DEMO_MODEL });
      const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      expect({ rule, refId: query.refId, issues }).toEqual({ rule, refId: query.refId, issues: [] });
    }
  });

  it('carries the Prometheus rules’ context: severity, team, summary, description, value, threshold', () => {
    for (const rule of rules) {
      const labels = obj(rule.labels, 'labels');
      const annotations = obj(rule.annotations, 'annotations');
      expect({ title: rule.title, severity: typeof labels.severity, team: typeof labels.team }).toEqual({
        title: rule.title,
        severity: 'string',
        team: 'string',
      });
      for (const key of ['summary', 'description', 'statistic', 'value', 'threshold'])
        expect({ title: rule.title, key, set: String(annotations[key] ?? '') !== '' }).toEqual({
          title: rule.title,
          key,
          set: true,
        });
      const refIds = list(rule.data, 'data').map((d) => obj(d, 'data').refId);
      for (const [, ref] of JSON.stringify(annotations).matchAll(/\$values\.(\w+)/g)) expect(refIds).toContain(ref);
    }
  });
});

describe('Prometheus expressions', () => {
  it('of the alert rules and the dashboards all parse (promtool check rules)', async () => {
    const alerting = obj(readYaml('provisioning/alerting/mlsight-alerts.yaml'), 'alerting');
    const fromAlerts = list(alerting.groups, 'groups').flatMap((g) =>
      list(obj(g, 'group').rules, 'rules').flatMap((r) =>
        list(obj(r, 'rule').data, 'data')
          .map((d) => obj(obj(d, 'data').model, 'model').expr)
          .filter((e): e is string => typeof e === 'string')
      )
    );
    const fromDashboards = SAVED_DASHBOARDS.flatMap((dashboard) =>
      panelsOf(dashboard).flatMap((p) => (p.targets ?? []).flatMap((t) => (t.expr === undefined ? [] : [t.expr])))
    );
    const exprs = [...fromAlerts, ...fromDashboards];
    expect(exprs.length).toBeGreaterThan(20);
    const dir = mkdtempSync(join(tmpdir(), 'mlsight-promql-'));
    try {
      const file = join(dir, 'check.rules.yml');
      const rules = exprs.map((expr, i) => ({ record: `mlsight_check:expr_${i}`, expr }));
      writeFileSync(file, stringify({ groups: [{ name: 'provisioning-check', rules }] }));
      const { code, output } = await promtool(['check', 'rules', file]);
      expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('metricNamesIn', () => {
  it('finds the selected metrics and skips functions, keywords, labels and numbers', () => {
    expect(
      metricNamesIn(
        'sum by (route) (rate(a_total{x="b_c"}[5m])) / clamp_min(sum(rate(b_total[5m])), 1e-9) + on (model) group_left c'
      ).sort()
    ).toEqual(['a_total', 'b_total', 'c']);
  });
});
