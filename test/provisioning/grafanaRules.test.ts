import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ALERT_VALUES } from '@mlsight/contract';
import { parse } from 'yaml';
import { checkComposeMounts } from './composeMounts';
import { parseDuration } from './durations';
import {
  checkAlertingFiles,
  checkDashboardProviders,
  checkDataSourceFiles,
  type DashboardFile,
  type Issue,
  panelIndexOf,
  type ParsedFile,
  RULES,
} from './grafanaRules';

/**
 * Grafana's own provisioning validation (grafanaRules.ts cites where each rule comes from), run on every file
 * docker compose mounts into Grafana — and on the files as they were before issue 15, which Grafana refused.
 */

const REPO = resolve(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures', 'before-issue-15');

function yamlFilesIn(dir: string): ParsedFile[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: relative(REPO, join(dir, f)), doc: parse(readFileSync(join(dir, f), 'utf8')) as unknown }));
}

function dashboardsIn(dir: string): DashboardFile[] {
  const out: DashboardFile[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub)).sort()) {
      const path = join(dir, sub, entry);
      if (statSync(path).isDirectory()) walk(join(sub, entry));
      else if (entry.endsWith('.json'))
        out.push({ folder: sub, file: entry, dashboard: JSON.parse(readFileSync(path, 'utf8')) as unknown });
    }
  };
  walk('');
  return out;
}

const dataSourceFiles = yamlFilesIn(join(REPO, 'provisioning/datasources'));
const dashboards = dashboardsIn(join(REPO, 'provisioning/dashboards'));
const alertingFiles = yamlFilesIn(join(REPO, 'provisioning/alerting'));
const dataSourceUids = (files: readonly ParsedFile[]) =>
  new Set(
    files.flatMap(({ doc }) => {
      const list = typeof doc === 'object' && doc !== null && 'datasources' in doc ? doc.datasources : [];
      return Array.isArray(list) ? list.map((d: { uid?: unknown }) => String(d.uid)) : [];
    })
  );
/**
 * Which rule queries answer numbers without a Reduce: a Prometheus instant query (an instant vector), an MLSight
 * query in the alerting format of a type that has one (contract/src/alertFrames.ts); any other MLSight query
 * answers panel frames (time series or tables with several numbers), which Grafana's expressions cannot threshold.
 */
function answersNumbers(datasourceUid: string, model: Readonly<Record<string, unknown>>): boolean | undefined {
  if (datasourceUid === 'mlsight-prometheus') return model.instant === true;
  if (datasourceUid === 'mlsight') return model.format === 'alerting' && String(model.queryType) in ALERT_VALUES;
  return undefined;
}
const alertingContext = {
  dataSources: dataSourceUids(dataSourceFiles),
  panels: panelIndexOf(dashboards),
  answersNumbers,
};
const ruleIds = (issues: readonly Issue[]) => [...new Set(issues.map((i) => i.rule))].sort();

describe('the provisioned files pass Grafana’s provisioning validation', () => {
  it('provisioning/datasources (all files of the directory together)', () => {
    expect(dataSourceFiles.length).toBeGreaterThan(0);
    expect(checkDataSourceFiles(dataSourceFiles)).toEqual([]);
  });

  it('provisioning/dashboards: the provider file and every dashboard it loads', () => {
    expect(dashboards.length).toBe(6);
    expect(checkDashboardProviders(yamlFilesIn(join(REPO, 'provisioning/dashboards')), dashboards)).toEqual([]);
  });

  it('provisioning/alerting: rules, contact points and the policy tree', () => {
    expect(alertingFiles.map((f) => f.file)).toEqual([
      'provisioning/alerting/mlsight-alerts.yaml',
      'provisioning/alerting/mlsight-direct-alerts.yaml',
      'provisioning/alerting/mlsight-policies.yaml',
    ]);
    expect(checkAlertingFiles(alertingFiles, alertingContext)).toEqual([]);
  });

  it('provisioning/alerting without the policy file (what an existing Grafana copies) is valid on its own', () => {
    const withoutPolicies = alertingFiles.filter((f) => !f.file.endsWith('mlsight-policies.yaml'));
    expect(checkAlertingFiles(withoutPolicies, alertingContext)).toEqual([]);
  });

  it('docker-compose.yml: every mounted path exists and is what the container reads there', () => {
    expect(checkComposeMounts(parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')), REPO)).toEqual([]);
  });

  it('links each alert rule to the panel that shows its signal', () => {
    const titleOf = (dashboardUid: string, panelId: string) =>
      alertingContext.panels.get(dashboardUid)?.get(Number(panelId))?.title;
    const links = alertingFiles.flatMap(({ doc }) =>
      (doc as { groups?: Array<{ rules: Array<{ title: string; annotations: Record<string, string> }> }> }).groups
        ?.flatMap((g) => g.rules)
        .map((r) => [r.title, titleOf(r.annotations.__dashboardUid__ ?? '', r.annotations.__panelId__ ?? '')])
    );
    expect(Object.fromEntries(links.filter((l) => l !== undefined))).toEqual({
      MLSightFeatureDrift: 'Feature drift heatmap',
      MLSightDatasetDrift: 'Dataset drift',
      MLSightEstimatedAccuracyDrop: 'Accuracy: expected now vs confirmed by outcomes',
      MLSightMissingData: 'Missing, out-of-range, unseen-category and type-error rates',
      MLSightStaleData: 'Freshness: since the last ingested row',
      MLSightProxyDown: 'Proxy and dependencies up',
      MLSightMlflowUnreachable: 'Proxy and dependencies up',
      MLSightDirectFeatureDrift: 'Feature drift heatmap',
      MLSightDirectEstimatedAccuracyDrop: 'Accuracy: expected now vs confirmed by outcomes',
      MLSightDirectStaleData: 'Freshness: since the last ingested row',
    });
  });
});

describe('the check would have caught the files before issue 15', () => {
  it('refuses every old alert rule: __dashboardUid__ without __panelId__', () => {
    const issues = checkAlertingFiles(
      yamlFilesIn(FIXTURES).filter((f) => f.file.endsWith('-alerts.yaml')),
      {
        ...alertingContext,
      }
    );
    expect(ruleIds(issues)).toEqual([RULES.ruleDashboardPanel.id]);
    expect(issues.map((i) => i.message)).toEqual(
      [
        'MLSightFeatureDrift',
        'MLSightDatasetDrift',
        'MLSightEstimatedAccuracyDrop',
        'MLSightMissingData',
        'MLSightStaleData',
        'MLSightProxyDown',
        'MLSightMlflowUnreachable',
      ].map((t) => `rule ${t}: both annotations __dashboardUid__ and __panelId__ must be specified`)
    );
  });

  it('refuses the old data source (isDefault: true) next to a team’s own default data source', () => {
    const issues = checkDataSourceFiles(yamlFilesIn(FIXTURES).filter((f) => !f.file.endsWith('-alerts.yaml')));
    expect(issues).toEqual([
      {
        file: 'test/provisioning/fixtures/before-issue-15/team-default.yaml',
        rule: RULES.dsOneDefault.id,
        message:
          'only one datasource per organization can be marked as default; org 1 has 2: ' +
          'test/provisioning/fixtures/before-issue-15/mlsight.yaml: MLSight, ' +
          'test/provisioning/fixtures/before-issue-15/team-default.yaml: Team Prometheus',
      },
    ]);
    // The current file next to the same team default is accepted.
    const current = dataSourceFiles.concat(yamlFilesIn(FIXTURES).filter((f) => f.file.endsWith('team-default.yaml')));
    expect(checkDataSourceFiles(current)).toEqual([]);
  });
});

describe('each rule fails on what Grafana refuses', () => {
  const group = (over: Record<string, unknown> = {}, rule: Record<string, unknown> = {}) => ({
    file: 'a.yaml',
    doc: {
      apiVersion: 1,
      groups: [
        {
          orgId: 1,
          name: 'g',
          folder: 'f',
          interval: '1m',
          ...over,
          rules: [
            {
              uid: 'r1',
              title: 'R',
              condition: 'A',
              data: [{ refId: 'A', datasourceUid: '__expr__', model: {}, relativeTimeRange: { from: 600, to: 0 } }],
              noDataState: 'OK',
              execErrState: 'Error',
              for: '5m',
              ...rule,
            },
          ],
        },
      ],
    },
  });
  const check = (file: ParsedFile) => ruleIds(checkAlertingFiles([file], alertingContext));

  it('accepts the minimal group', () => {
    expect(check(group())).toEqual([]);
  });

  it.each([
    ['interval not a multiple of the 10s scheduler tick', { interval: '15s' }, {}, RULES.groupInterval.id],
    ['interval zero', { interval: '0s' }, {}, RULES.groupInterval.id],
    ['interval not a duration', { interval: 'one minute' }, {}, RULES.groupInterval.id],
    ['no folder', { folder: '' }, {}, RULES.groupFolder.id],
    ['no group name', { name: ' ' }, {}, RULES.groupName.id],
    ['group name over 190 characters', { name: 'g'.repeat(191) }, {}, RULES.groupName.id],
    ['uid over 40 characters', {}, { uid: 'u'.repeat(41) }, RULES.uid.id],
    ['uid with a dot', {}, { uid: 'mlsight.drift' }, RULES.uid.id],
    ['no uid', {}, { uid: '' }, RULES.ruleUid.id],
    ['no title', {}, { title: '' }, RULES.ruleTitle.id],
    ['condition not a refId', {}, { condition: 'B' }, RULES.ruleCondition.id],
    ['no data', {}, { data: [] }, RULES.ruleData.id],
    ['unknown noDataState', {}, { noDataState: 'Ok' }, RULES.ruleStates.id],
    ['unknown execErrState', {}, { execErrState: 'NoData' }, RULES.ruleStates.id],
    ['for not a duration', {}, { for: '5 minutes' }, RULES.ruleDurations.id],
    ['__panelId__ without __dashboardUid__', {}, { annotations: { __panelId__: '2' } }, RULES.ruleDashboardPanel.id],
    [
      '__panelId__ not an integer',
      {},
      { annotations: { __dashboardUid__: 'mlsight-support', __panelId__: 'five' } },
      RULES.ruleDashboardPanel.id,
    ],
    [
      'a link to a row (not a panel)',
      {},
      { annotations: { __dashboardUid__: 'mlsight-data-scientist', __panelId__: '1' } },
      RULES.ruleLinkTarget.id,
    ],
    [
      'a query on a data source nobody provisions',
      {},
      { data: [{ refId: 'A', datasourceUid: 'prom', model: {} }] },
      RULES.ruleDataSource.id,
    ],
    [
      'relativeTimeRange from after to',
      {},
      { data: [{ refId: 'A', datasourceUid: '__expr__', relativeTimeRange: { from: 0, to: 600 } }] },
      RULES.ruleTimeRange.id,
    ],
  ])('%s', (_, over, rule, expected) => {
    expect(check(group(over, rule))).toEqual([expected]);
  });

  const onData = (model: Record<string, unknown>, datasourceUid = 'mlsight') => ({
    data: [
      { refId: 'Q', datasourceUid, relativeTimeRange: { from: 600, to: 0 }, model },
      {
        refId: 'A',
        datasourceUid: '__expr__',
        model: { type: 'threshold', expression: 'Q', conditions: [{ evaluator: { type: 'gt', params: [0.5] } }] },
      },
    ],
  });

  it.each([
    [
      'a threshold on a panel query (time series / a table of several numbers)',
      { queryType: 'drift_trend' },
      'mlsight',
    ],
    ['a threshold on feature_drift without the alerting format', { queryType: 'feature_drift' }, 'mlsight'],
    ['a threshold on a Prometheus range query', { expr: 'up', range: true }, 'mlsight-prometheus'],
  ])('numeric data: %s', (_, model, datasourceUid) => {
    expect(check(group({}, onData(model, datasourceUid)))).toEqual([RULES.ruleNumericData.id]);
  });

  it('numeric data: accepts the alerting format and an instant vector', () => {
    expect(check(group({}, onData({ queryType: 'feature_drift', format: 'alerting' })))).toEqual([]);
    expect(check(group({}, onData({ expr: 'up', instant: true }, 'mlsight-prometheus')))).toEqual([]);
  });

  it('an expression reading a refId the rule does not have', () => {
    const math = { refId: 'A', datasourceUid: '__expr__', model: { type: 'math', expression: '$B - $Q > 1' } };
    const rule = { data: [onData({ queryType: 'feature_drift', format: 'alerting' }).data[0], math] };
    expect(check(group({}, rule))).toEqual([RULES.ruleExpressionRefs.id]);
  });

  it('two rules with one uid, or one title in a folder', () => {
    const twice = group();
    const doc = twice.doc;
    const [g] = doc.groups;
    if (!g) throw new Error('fixture has no group');
    doc.groups.push({ ...g, name: 'h', rules: g.rules.map((r) => ({ ...r })) });
    expect(check(twice)).toEqual([RULES.ruleUid.id, RULES.ruleUniqueTitle.id].sort());
  });

  it('a contact point without uid, a webhook without url, a policy naming an unknown receiver', () => {
    const file = {
      file: 'cp.yaml',
      doc: {
        apiVersion: 1,
        contactPoints: [{ orgId: 1, name: 'hook', receivers: [{ uid: '', type: 'webhook', settings: { x: 1 } }] }],
        policies: [{ orgId: 1, receiver: 'pager' }],
      },
    };
    expect(checkAlertingFiles([file], alertingContext).map((i) => i.message)).toEqual([
      'contact point hook: receiver without uid',
      'contact point hook: webhook without settings.url',
      'route receiver "pager" is not a contact point',
    ]);
  });

  it('data sources: name and type required, access proxy or direct, unique uids, existing org', () => {
    const issues = checkDataSourceFiles([
      {
        file: 'ds.yaml',
        doc: {
          apiVersion: 1,
          datasources: [
            { name: '', type: 'prometheus', uid: 'p' },
            { name: 'B', type: '', uid: 'p', access: 'browser' },
            { name: 'C', type: 'loki', orgId: 7 },
          ],
        },
      },
    ]);
    expect(ruleIds(issues)).toEqual(
      [RULES.dsRequired.id, RULES.dsAccess.id, RULES.dsUniqueUid.id, RULES.dsOrg.id].sort()
    );
  });

  it('dashboard providers: folder with foldersFromFilesStructure, no path, a duplicate dashboard uid and title', () => {
    const provider = {
      file: 'p.yaml',
      doc: {
        apiVersion: 1,
        providers: [{ name: 'x', folder: 'F', options: { foldersFromFilesStructure: true } }],
      },
    };
    const same = { uid: 'd', title: 'T', panels: [] };
    const issues = checkDashboardProviders(
      [provider],
      [
        { folder: 'A', file: 'one.json', dashboard: same },
        { folder: 'A', file: 'two.json', dashboard: same },
      ]
    );
    expect(ruleIds(issues)).toEqual(
      [
        RULES.providerFolders.id,
        RULES.providerPath.id,
        RULES.dashboardUniqueUid.id,
        RULES.dashboardUniqueTitle.id,
      ].sort()
    );
  });
});

describe('the remaining rules', () => {
  it('apiVersion 1 on every file, a provider name used once, type file, whole-second intervals, dashboard titles', () => {
    const providers = {
      file: 'p.yaml',
      doc: {
        apiVersion: 2,
        providers: [
          { name: 'x', type: 'file', options: { path: '/d' } },
          { name: 'x', type: 'git', updateIntervalSeconds: 1.5, options: { path: '/d' } },
        ],
      },
    };
    const issues = checkDashboardProviders(
      [providers],
      [{ folder: 'A', file: 'a.json', dashboard: { uid: 'a', title: ' ' } }]
    );
    expect(ruleIds(issues)).toEqual(
      [
        RULES.apiVersion.id,
        RULES.providerName.id,
        RULES.providerType.id,
        RULES.providerInterval.id,
        RULES.dashboardTitle.id,
      ].sort()
    );
  });

  it('one policy tree per organisation, across the files of the directory', () => {
    const tree = (file: string) => ({
      file,
      doc: {
        apiVersion: 1,
        contactPoints: [{ name: 'hook', receivers: [{ uid: 'h', type: 'webhook', settings: { url: 'http://x' } }] }],
        policies: [{ orgId: 1, receiver: 'hook' }],
      },
    });
    const issues = checkAlertingFiles([tree('a.yaml'), tree('b.yaml')], alertingContext);
    expect(issues).toEqual([
      { file: 'b.yaml', rule: RULES.policyRoot.id, message: 'org 1 has 2 policy trees (a.yaml, b.yaml)' },
    ]);
  });
});

describe('compose mounts', () => {
  it('refuse a missing path, a file for a provisioning directory and a plugin mounted under another id', () => {
    const compose = {
      services: {
        grafana: {
          volumes: [
            './provisioning/nothing-here:/etc/grafana/provisioning/datasources:ro',
            './docker-compose.yml:/etc/grafana/provisioning/alerting:ro',
            './datasource/dist:/var/lib/grafana/plugins/some-other-plugin:ro',
            'undeclared:/var/lib/grafana',
          ],
        },
      },
    };
    expect(checkComposeMounts(compose, REPO).map((i) => i.rule)).toEqual([
      'compose-mount-exists',
      'compose-grafana-provisioning-dir',
      'compose-grafana-plugin-dir',
      'compose-named-volume',
    ]);
  });
});

describe('parseDuration (Prometheus durations, as Grafana parses them)', () => {
  it.each([
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['10s', 10_000],
    ['250ms', 250],
    ['0', 0],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '1.5m', '30m1h', '5 m', 'm'])('refuses %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
