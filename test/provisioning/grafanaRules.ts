/**
 * Grafana's own validation of provisioning files, restated so the suite can run it where no Grafana runs: what
 * Grafana refuses at start-up (a provisioning error stops the server) for data-source, dashboard and alerting files.
 * Each rule names the Grafana source file or documentation page it restates (`source`); rules marked `mlsight` are
 * this project's own consistency checks (Grafana accepts the file but a link or route would be broken).
 *
 * The checks read parsed YAML/JSON (`unknown`) and return issues; they never throw on a malformed document, which
 * is itself reported as an issue.
 */
import { parseDuration } from './durations';
import { mathVariables } from './grafanaExpressions';

export interface RuleRef {
  id: string;
  source: string;
}

export interface Issue {
  file: string;
  rule: string;
  message: string;
}

const GRAFANA = 'https://github.com/grafana/grafana/blob/main';
const PROVISIONING_DOCS = 'https://grafana.com/docs/grafana/latest/administration/provisioning/';
const ALERTING_PROVISIONING_DOCS =
  'https://grafana.com/docs/grafana/latest/alerting/set-up/provision-alerting-resources/file-provisioning/';

/** Every rule the checks apply, with where Grafana states it. */
export const RULES = {
  apiVersion: { id: 'api-version', source: `${PROVISIONING_DOCS} (every file: apiVersion: 1)` },
  uid: {
    id: 'uid-format',
    source: `${GRAFANA}/pkg/util/shortid_generator.go (ValidateUID: at most 40 characters of [a-zA-Z0-9-_])`,
  },
  dsRequired: { id: 'datasource-required-fields', source: `${PROVISIONING_DOCS}#data-sources (name, type: required)` },
  dsAccess: {
    id: 'datasource-access',
    source: `${GRAFANA}/pkg/services/provisioning/datasources/config_reader.go (validateAccessAndOrgID: proxy or direct)`,
  },
  dsOneDefault: {
    id: 'datasource-one-default',
    source:
      `${GRAFANA}/pkg/services/provisioning/datasources/config_reader.go (validateDefaultUniqueness, over all files ` +
      'of the directory; ErrInvalidConfigToManyDefault: "Only one datasource per organization can be marked as default")',
  },
  dsUniqueUid: { id: 'datasource-unique-uid', source: `${PROVISIONING_DOCS}#data-sources (uid: unique per org)` },
  dsOrg: {
    id: 'org-exists',
    source: `${GRAFANA}/pkg/services/provisioning/utils/utils.go (CheckOrgExists; a fresh Grafana has org 1 only)`,
  },
  providerName: {
    id: 'dashboard-provider-name',
    source: `${PROVISIONING_DOCS}#dashboards (name: an unique provider name, required)`,
  },
  providerType: {
    id: 'dashboard-provider-type',
    source: `${GRAFANA}/pkg/services/provisioning/dashboards/config_reader.go (type defaults to, and only reads, file)`,
  },
  providerPath: {
    id: 'dashboard-provider-path',
    source: `${GRAFANA}/pkg/services/provisioning/dashboards/file_reader.go (NewDashboardFileReader: "path param is not a string")`,
  },
  providerFolders: {
    id: 'dashboard-provider-folders-from-files',
    source:
      `${GRAFANA}/pkg/services/provisioning/dashboards/file_reader.go ("'folder' and 'folderUID' should be empty ` +
      "using 'foldersFromFilesStructure' option\")",
  },
  providerInterval: {
    id: 'dashboard-provider-update-interval',
    source: `${PROVISIONING_DOCS}#dashboards (updateIntervalSeconds: how often Grafana scans, a number of seconds)`,
  },
  dashboardTitle: {
    id: 'dashboard-title',
    source: `${GRAFANA}/pkg/services/dashboards/models.go (ErrDashboardTitleEmpty: "Dashboard title cannot be empty")`,
  },
  dashboardUniqueUid: {
    id: 'dashboard-unique-uid',
    source: `${GRAFANA}/pkg/services/provisioning/dashboards/file_reader.go (usage tracker: the same uid in two files)`,
  },
  dashboardUniqueTitle: {
    id: 'dashboard-unique-title-in-folder',
    source:
      `${GRAFANA}/pkg/services/dashboards/models.go (ErrDashboardWithSameNameInFolderExists: ` +
      '"A dashboard with the same name in the folder already exists")',
  },
  groupName: {
    id: 'rule-group-name',
    source:
      `${GRAFANA}/pkg/services/provisioning/alerting/rules_types.go ("rule group has no name set") and ` +
      `${GRAFANA}/pkg/services/ngalert/store/alert_rule.go (AlertRuleMaxRuleGroupNameLength = 190)`,
  },
  groupFolder: {
    id: 'rule-group-folder',
    source: `${GRAFANA}/pkg/services/provisioning/alerting/rules_types.go ("rule group has no folder set")`,
  },
  groupInterval: {
    id: 'rule-group-interval',
    source:
      `${GRAFANA}/pkg/services/ngalert/models/alert_rule.go (ValidateRuleGroupInterval: "interval should be ` +
      'non-zero and divided exactly by scheduler interval"; [unified_alerting] base interval 10s)',
  },
  ruleTitle: {
    id: 'rule-title',
    source:
      `${GRAFANA}/pkg/services/provisioning/alerting/rules_types.go ("rule has no title set") and ` +
      `${GRAFANA}/pkg/services/ngalert/store/alert_rule.go (AlertRuleMaxTitleLength = 190)`,
  },
  ruleUniqueTitle: {
    id: 'rule-unique-title-in-folder',
    source: `${GRAFANA}/pkg/services/sqlstore/migrations/ualert/tables.go (unique index org_id, namespace_uid, title)`,
  },
  ruleUid: {
    id: 'rule-uid',
    source: `${GRAFANA}/pkg/services/provisioning/alerting/rules_types.go ("no UID set"), unique per organisation`,
  },
  ruleData: {
    id: 'rule-data',
    source: `${GRAFANA}/pkg/services/provisioning/alerting/rules_types.go ("no data set", "no condition set")`,
  },
  ruleCondition: {
    id: 'rule-condition-ref',
    source: `${GRAFANA}/pkg/services/ngalert/models/alert_rule.go (the condition must be one of the queries' refIds)`,
  },
  ruleDurations: {
    id: 'rule-durations',
    source: `${GRAFANA}/pkg/services/provisioning/alerting/rules_types.go (for/keepFiringFor: model.ParseDuration)`,
  },
  ruleStates: {
    id: 'rule-states',
    source:
      `${GRAFANA}/pkg/services/ngalert/models/alert_rule.go (NoDataStateFromString: Alerting, NoData, OK, ` +
      'KeepLast; ErrStateFromString: Alerting, Error, OK, KeepLast)',
  },
  ruleDashboardPanel: {
    id: 'rule-dashboard-and-panel',
    source:
      `${GRAFANA}/pkg/services/ngalert/models/alert_rule.go (SetDashboardAndPanelFromAnnotations: "both ` +
      'annotations __dashboardUid__ and __panelId__ must be specified"; "__panelId__ must be a valid integer Panel ID")',
  },
  ruleTimeRange: {
    id: 'rule-relative-time-range',
    source: `${ALERTING_PROVISIONING_DOCS} (relativeTimeRange: from and to in seconds before now, from >= to)`,
  },
  contactPoint: {
    id: 'contact-point-fields',
    source:
      `${GRAFANA}/pkg/services/provisioning/alerting/contact_point_types.go ("no name is set", "no uid is set", ` +
      '"no type is set", "no settings are set"; a webhook needs settings.url)',
  },
  policyRoot: {
    id: 'policy-root-receiver',
    source:
      `${ALERTING_PROVISIONING_DOCS} (one policy tree per org; its root receiver, like every route's, must name ` +
      'an existing contact point)',
  },
  ruleExpressionRefs: {
    id: 'rule-expression-refs',
    source:
      `${GRAFANA}/pkg/expr/graph.go (buildGraphEdges: an expression's input must be a refId of the rule, ` +
      '"unable to find dependent node")',
  },
  ruleNumericData: {
    id: 'rule-numeric-data',
    source:
      'https://grafana.com/docs/grafana/latest/alerting/fundamentals/alert-rule-evaluation/ and ' +
      `${GRAFANA}/pkg/expr/converter.go (a threshold or math expression reads a query directly only when it ` +
      'answers numbers: numeric data — one frame, no time field, string fields as labels, exactly one number ' +
      'field (isNumberTable) — or a Prometheus instant vector; time series need a Reduce first, or the rule ' +
      'fails with "looks like time series data, only reduced data can be alerted on")',
  },
  // MLSight's own checks.
  ruleLinkTarget: { id: 'mlsight-rule-link-target', source: 'mlsight: __dashboardUid__/__panelId__ name a real panel' },
  ruleDataSource: { id: 'mlsight-rule-datasource', source: 'mlsight: rule queries name a provisioned data source' },
} as const satisfies Record<string, RuleRef>;

/** Grafana's scheduler tick ([unified_alerting] base_interval is not configurable in OSS: 10s). */
export const BASE_EVALUATION_INTERVAL_MS = 10_000;
const MAX_TITLE_LENGTH = 190;
const MAX_UID_LENGTH = 40;
const UID_CHARSET = /^[a-zA-Z0-9\-_]*$/;
const NO_DATA_STATES = ['Alerting', 'NoData', 'OK', 'KeepLast'];
const EXEC_ERR_STATES = ['Alerting', 'Error', 'OK', 'KeepLast'];
/** Grafana's expression pseudo data source. */
const EXPRESSION_DATASOURCE = '__expr__';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObjs = (v: unknown): Obj[] => asList(v).filter(isObj);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const orgOf = (v: Obj): number => (typeof v.orgId === 'number' && v.orgId > 0 ? v.orgId : 1);

export interface ParsedFile {
  /** Shown in issues (a repository path). */
  file: string;
  doc: unknown;
}

class Issues {
  readonly list: Issue[] = [];
  add(file: string, rule: RuleRef, message: string): void {
    this.list.push({ file, rule: rule.id, message });
  }
}

function checkUid(issues: Issues, file: string, what: string, uid: string): void {
  if (uid.length > MAX_UID_LENGTH)
    issues.add(file, RULES.uid, `${what}: uid "${uid}" is longer than ${MAX_UID_LENGTH} characters`);
  if (!UID_CHARSET.test(uid))
    issues.add(file, RULES.uid, `${what}: uid "${uid}" has characters other than letters, digits, "-" and "_"`);
}

/** The document as a mapping, after checking its apiVersion; undefined (and an issue) when it is not one. */
function documentOf(issues: Issues, { file, doc }: ParsedFile): Obj | undefined {
  if (!isObj(doc)) {
    issues.add(file, RULES.apiVersion, 'is not a YAML mapping');
    return undefined;
  }
  if (doc.apiVersion !== 1) issues.add(file, RULES.apiVersion, `apiVersion is ${String(doc.apiVersion)}, not 1`);
  return doc;
}

/** All files of Grafana's provisioning/datasources directory (Grafana reads them together). */
export function checkDataSourceFiles(files: readonly ParsedFile[], orgs: readonly number[] = [1]): Issue[] {
  const issues = new Issues();
  const defaults = new Map<number, string[]>();
  const uids = new Map<string, string>();
  for (const parsed of files) {
    const doc = documentOf(issues, parsed);
    if (!doc) continue;
    const { file } = parsed;
    asObjs(doc.datasources).forEach((ds, i) => {
      const name = text(ds.name);
      const what = `datasources[${i}] ${name || '(unnamed)'}`;
      if (!name) issues.add(file, RULES.dsRequired, `${what}: no name`);
      if (!text(ds.type)) issues.add(file, RULES.dsRequired, `${what}: no type`);
      if (ds.access !== undefined && ds.access !== 'proxy' && ds.access !== 'direct')
        issues.add(file, RULES.dsAccess, `${what}: access "${text(ds.access)}" is neither proxy nor direct`);
      const org = orgOf(ds);
      if (!orgs.includes(org)) issues.add(file, RULES.dsOrg, `${what}: organisation ${org} does not exist`);
      const uid = text(ds.uid);
      if (uid) {
        checkUid(issues, file, what, uid);
        const key = `${org}/${uid}`;
        const first = uids.get(key);
        if (first) issues.add(file, RULES.dsUniqueUid, `${what}: uid "${uid}" is also used by ${first}`);
        else uids.set(key, `${file} ${name}`);
      }
      if (ds.isDefault === true) defaults.set(org, [...(defaults.get(org) ?? []), `${file}: ${name}`]);
    });
  }
  for (const [org, marked] of defaults) {
    if (marked.length > 1)
      issues.add(
        marked[1]?.split(':')[0] ?? '',
        RULES.dsOneDefault,
        `only one datasource per organization can be marked as default; org ${org} has ${marked.length}: ${marked.join(', ')}`
      );
  }
  return issues.list;
}

export interface DashboardFile {
  /** The provider-relative directory (the Grafana folder under foldersFromFilesStructure). */
  folder: string;
  file: string;
  dashboard: unknown;
}

/** Dashboard provider files and the dashboard JSON they load. */
export function checkDashboardProviders(
  files: readonly ParsedFile[],
  dashboards: readonly DashboardFile[],
  orgs: readonly number[] = [1]
): Issue[] {
  const issues = new Issues();
  const names = new Set<string>();
  for (const parsed of files) {
    const doc = documentOf(issues, parsed);
    if (!doc) continue;
    const { file } = parsed;
    asObjs(doc.providers).forEach((p, i) => {
      const name = text(p.name);
      const what = `providers[${i}] ${name || '(unnamed)'}`;
      if (!name) issues.add(file, RULES.providerName, `${what}: no name`);
      else if (names.has(name)) issues.add(file, RULES.providerName, `${what}: the name is used twice`);
      names.add(name);
      if (p.type !== undefined && p.type !== 'file')
        issues.add(file, RULES.providerType, `${what}: type "${text(p.type)}" is not file`);
      if (!orgs.includes(orgOf(p))) issues.add(file, RULES.dsOrg, `${what}: organisation ${orgOf(p)} does not exist`);
      const options = isObj(p.options) ? p.options : {};
      if (typeof options.path !== 'string' || options.path === '')
        issues.add(file, RULES.providerPath, `${what}: options.path is not a string`);
      if (options.foldersFromFilesStructure === true && (text(p.folder) !== '' || text(p.folderUid) !== ''))
        issues.add(
          file,
          RULES.providerFolders,
          `${what}: folder/folderUid set together with foldersFromFilesStructure`
        );
      if (text(p.folderUid)) checkUid(issues, file, `${what} folderUid`, text(p.folderUid));
      const interval = p.updateIntervalSeconds;
      if (interval !== undefined && !(typeof interval === 'number' && Number.isInteger(interval) && interval >= 0))
        issues.add(file, RULES.providerInterval, `${what}: updateIntervalSeconds is not a whole number of seconds`);
    });
  }
  const uids = new Map<string, string>();
  const titles = new Map<string, string>();
  for (const { folder, file, dashboard } of dashboards) {
    const path = `${folder}/${file}`;
    if (!isObj(dashboard)) {
      issues.add(path, RULES.dashboardTitle, 'is not a JSON object');
      continue;
    }
    const title = text(dashboard.title).trim();
    if (!title) issues.add(path, RULES.dashboardTitle, 'has no title');
    const uid = text(dashboard.uid);
    if (uid) {
      checkUid(issues, path, 'dashboard', uid);
      const first = uids.get(uid);
      if (first) issues.add(path, RULES.dashboardUniqueUid, `uid "${uid}" is also used by ${first}`);
      else uids.set(uid, path);
    }
    const key = `${folder}\u0000${title.toLowerCase()}`;
    const sameTitle = titles.get(key);
    if (sameTitle) issues.add(path, RULES.dashboardUniqueTitle, `title "${title}" is also used by ${sameTitle}`);
    else titles.set(key, path);
  }
  return issues.list;
}

/** Panel ids of each provisioned dashboard (rows included, with their type), for the alert rules' links. */
export type PanelIndex = ReadonlyMap<string, ReadonlyMap<number, { type: string; title: string }>>;

export function panelIndexOf(dashboards: readonly DashboardFile[]): PanelIndex {
  const index = new Map<string, Map<number, { type: string; title: string }>>();
  for (const { dashboard } of dashboards) {
    if (!isObj(dashboard)) continue;
    const panels = new Map<number, { type: string; title: string }>();
    const walk = (list: unknown) => {
      for (const p of asObjs(list)) {
        if (typeof p.id === 'number') panels.set(p.id, { type: text(p.type), title: text(p.title) });
        walk(p.panels);
      }
    };
    walk(dashboard.panels);
    index.set(text(dashboard.uid), panels);
  }
  return index;
}

function durationOk(value: unknown): boolean {
  return value === undefined || value === '' || parseDuration(text(value)) !== undefined;
}

/** The refIds an expression reads: threshold/reduce/resample name one `expression`, math reads its `$REF`s. */
function expressionInputs(model: Obj): string[] {
  const expression = text(model.expression);
  if (model.type === 'math') {
    try {
      return mathVariables(expression);
    } catch {
      return [expression];
    }
  }
  if (model.type === 'classic_conditions')
    return asObjs(model.conditions).map((c) => text(isObj(c.query) ? asList(c.query.params)[0] : ''));
  return [expression];
}

function checkExpressions(issues: Issues, file: string, what: string, data: readonly Obj[], ctx: AlertingContext) {
  const byRef = new Map(data.map((d) => [text(d.refId), d]));
  for (const d of data) {
    if (text(d.datasourceUid) !== EXPRESSION_DATASOURCE) continue;
    const model = isObj(d.model) ? d.model : {};
    if (model.type === undefined) continue;
    for (const input of expressionInputs(model)) {
      const source = byRef.get(input);
      if (!source) {
        issues.add(file, RULES.ruleExpressionRefs, `${what}: expression ${text(d.refId)} reads ${input}, not a refId`);
        continue;
      }
      const ds = text(source.datasourceUid);
      if (ds === EXPRESSION_DATASOURCE || (model.type !== 'threshold' && model.type !== 'math')) continue;
      const numeric = ctx.answersNumbers?.(ds, isObj(source.model) ? source.model : {});
      if (numeric === false)
        issues.add(
          file,
          RULES.ruleNumericData,
          `${what}: ${text(model.type)} ${text(d.refId)} reads query ${input}, which does not answer numeric data`
        );
    }
  }
}

function checkRule(issues: Issues, file: string, rule: Obj, ctx: AlertingContext): void {
  const title = text(rule.title);
  const what = `rule ${title || '(untitled)'}`;
  if (!title) issues.add(file, RULES.ruleTitle, `${what}: no title`);
  else if (title.length > MAX_TITLE_LENGTH)
    issues.add(file, RULES.ruleTitle, `${what}: title longer than ${MAX_TITLE_LENGTH}`);
  const uid = text(rule.uid);
  if (!uid) issues.add(file, RULES.ruleUid, `${what}: no uid`);
  else checkUid(issues, file, what, uid);

  const data = asObjs(rule.data);
  if (data.length === 0) issues.add(file, RULES.ruleData, `${what}: no data`);
  const refIds = data.map((d) => text(d.refId));
  const condition = text(rule.condition);
  if (!condition && !isObj(rule.record)) issues.add(file, RULES.ruleData, `${what}: no condition`);
  else if (condition && data.length > 0 && !refIds.includes(condition))
    issues.add(file, RULES.ruleCondition, `${what}: condition ${condition} is not one of ${refIds.join(', ')}`);
  for (const d of data) {
    const ds = text(d.datasourceUid);
    if (ds !== EXPRESSION_DATASOURCE && !ctx.dataSources.has(ds))
      issues.add(file, RULES.ruleDataSource, `${what}: query ${text(d.refId)} names data source "${ds}"`);
    const range = d.relativeTimeRange;
    if (isObj(range) && !(Number(range.from) >= Number(range.to)))
      issues.add(file, RULES.ruleTimeRange, `${what}: query ${text(d.refId)} has relativeTimeRange from < to`);
  }
  checkExpressions(issues, file, what, data, ctx);
  for (const key of ['for', 'keepFiringFor'] as const)
    if (!durationOk(rule[key])) issues.add(file, RULES.ruleDurations, `${what}: ${key} "${text(rule[key])}"`);
  if (rule.noDataState !== undefined && !NO_DATA_STATES.includes(text(rule.noDataState)))
    issues.add(file, RULES.ruleStates, `${what}: noDataState "${text(rule.noDataState)}"`);
  if (rule.execErrState !== undefined && !EXEC_ERR_STATES.includes(text(rule.execErrState)))
    issues.add(file, RULES.ruleStates, `${what}: execErrState "${text(rule.execErrState)}"`);

  const annotations = isObj(rule.annotations) ? rule.annotations : {};
  const dashboardUid = text(annotations.__dashboardUid__);
  const panelId = text(annotations.__panelId__);
  if ((dashboardUid === '') !== (panelId === '')) {
    issues.add(
      file,
      RULES.ruleDashboardPanel,
      `${what}: both annotations __dashboardUid__ and __panelId__ must be specified`
    );
  } else if (dashboardUid) {
    if (!/^-?\d+$/.test(panelId)) {
      issues.add(file, RULES.ruleDashboardPanel, `${what}: __panelId__ "${panelId}" is not an integer panel id`);
    } else {
      const panel = ctx.panels.get(dashboardUid)?.get(Number(panelId));
      if (!ctx.panels.has(dashboardUid))
        issues.add(file, RULES.ruleLinkTarget, `${what}: no provisioned dashboard has uid ${dashboardUid}`);
      else if (!panel || panel.type === 'row')
        issues.add(file, RULES.ruleLinkTarget, `${what}: dashboard ${dashboardUid} has no panel ${panelId}`);
    }
  }
}

export interface AlertingContext {
  /** uids of the provisioned data sources. */
  dataSources: ReadonlySet<string>;
  panels: PanelIndex;
  orgs?: readonly number[];
  /**
   * Whether a query of this data source answers numbers Grafana's expressions read without a Reduce (numeric data
   * or an instant vector); undefined when the check cannot tell.
   */
  answersNumbers?: (datasourceUid: string, model: Readonly<Record<string, unknown>>) => boolean | undefined;
}

/** All files of Grafana's provisioning/alerting directory (rules, contact points and policies of every file). */
export function checkAlertingFiles(files: readonly ParsedFile[], ctx: AlertingContext): Issue[] {
  const issues = new Issues();
  const orgs = ctx.orgs ?? [1];
  const ruleUids = new Map<string, string>();
  const ruleTitles = new Map<string, string>();
  const contactPoints = new Set<string>();
  const policyRoots = new Map<number, string[]>();
  const routes: Array<{ file: string; receiver: string }> = [];

  for (const parsed of files) {
    const doc = documentOf(issues, parsed);
    if (!doc) continue;
    const { file } = parsed;
    for (const cp of asObjs(doc.contactPoints)) {
      const name = text(cp.name).trim();
      if (!name) issues.add(file, RULES.contactPoint, 'contact point: no name');
      contactPoints.add(`${orgOf(cp)}/${name}`);
      for (const r of asObjs(cp.receivers)) {
        const uid = text(r.uid).trim();
        if (!uid) issues.add(file, RULES.contactPoint, `contact point ${name}: receiver without uid`);
        else checkUid(issues, file, `contact point ${name}`, uid);
        if (!text(r.type).trim()) issues.add(file, RULES.contactPoint, `contact point ${name}: receiver without type`);
        const settings = isObj(r.settings) ? r.settings : {};
        if (Object.keys(settings).length === 0)
          issues.add(file, RULES.contactPoint, `contact point ${name}: receiver without settings`);
        else if (r.type === 'webhook' && !text(settings.url))
          issues.add(file, RULES.contactPoint, `contact point ${name}: webhook without settings.url`);
      }
    }
    for (const policy of asObjs(doc.policies)) {
      const org = orgOf(policy);
      policyRoots.set(org, [...(policyRoots.get(org) ?? []), file]);
      const walk = (route: Obj) => {
        if (route.receiver !== undefined || route === policy)
          routes.push({ file, receiver: `${org}/${text(route.receiver)}` });
        asObjs(route.routes).forEach(walk);
      };
      walk(policy);
    }
    for (const group of asObjs(doc.groups)) {
      const name = text(group.name).trim();
      const gwhat = `group ${name || '(unnamed)'}`;
      if (!name) issues.add(file, RULES.groupName, `${gwhat}: no name`);
      else if (name.length > MAX_TITLE_LENGTH)
        issues.add(file, RULES.groupName, `${gwhat}: name longer than ${MAX_TITLE_LENGTH}`);
      const folder = text(group.folder).trim();
      if (!folder) issues.add(file, RULES.groupFolder, `${gwhat}: no folder`);
      const org = orgOf(group);
      if (!orgs.includes(org)) issues.add(file, RULES.dsOrg, `${gwhat}: organisation ${org} does not exist`);
      const interval = parseDuration(text(group.interval));
      if (interval === undefined || interval <= 0 || interval % BASE_EVALUATION_INTERVAL_MS !== 0)
        issues.add(
          file,
          RULES.groupInterval,
          `${gwhat}: interval "${text(group.interval)}" should be non-zero and divided exactly by scheduler interval: 10s`
        );
      for (const rule of asObjs(group.rules)) {
        checkRule(issues, file, rule, ctx);
        const uid = text(rule.uid);
        const firstUid = ruleUids.get(`${org}/${uid}`);
        if (uid && firstUid)
          issues.add(file, RULES.ruleUid, `rule ${text(rule.title)}: uid ${uid} also in ${firstUid}`);
        else ruleUids.set(`${org}/${uid}`, `${file} ${gwhat}`);
        const titleKey = `${org}/${folder}/${text(rule.title)}`;
        const firstTitle = ruleTitles.get(titleKey);
        if (firstTitle)
          issues.add(
            file,
            RULES.ruleUniqueTitle,
            `rule ${text(rule.title)}: same title in folder ${folder} (${firstTitle})`
          );
        else ruleTitles.set(titleKey, `${file} ${gwhat}`);
      }
    }
  }
  for (const [org, roots] of policyRoots)
    if (roots.length > 1)
      issues.add(roots[1] ?? '', RULES.policyRoot, `org ${org} has ${roots.length} policy trees (${roots.join(', ')})`);
  for (const { file, receiver } of routes)
    if (!contactPoints.has(receiver))
      issues.add(file, RULES.policyRoot, `route receiver "${receiver.split('/')[1] ?? ''}" is not a contact point`);
  return issues.list;
}
