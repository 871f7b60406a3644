/**
 * The provisioned dashboards as Grafana reads them (the JSON provisioning/build writes), and their MLSight queries as
 * the data source would send them: template variables replaced by demo values (or a variable set to "All" dropping
 * its optional field), the `datasource` key removed.
 */
import { PROVISIONED_DASHBOARDS, renderDashboard } from '../../provisioning/build/dashboards';
import { MLSIGHT_DATASOURCE } from '../../provisioning/build/dataSources';

/** Demo values of each template variable (the story's model, a champion version, a story prediction id…). */
export const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  model: 'credit-risk',
  version: '2',
  alias: 'champion',
  feature: 'employment_type',
  segment: 'region=north',
  attribute: 'region',
  prediction_id: 'cr-d29-000001',
  experiment: 'credit-risk-pipeline',
  run_id: 'b2f0c0ffee',
};

export const VARIABLE_REFERENCE = /\$(\w+)|\$\{(\w+)(?::[^}]*)?\}/g;

type Obj = Record<string, unknown>;

function substitute(
  value: unknown,
  values: Readonly<Record<string, string>>,
  allSelected: ReadonlySet<string>
): unknown {
  if (typeof value === 'string') {
    const whole = /^\$(\w+)$|^\$\{(\w+)\}$/.exec(value);
    const name = whole?.[1] ?? whole?.[2];
    if (name && allSelected.has(name)) return undefined;
    return value.replace(VARIABLE_REFERENCE, (ref, a?: string, b?: string) => values[a ?? b ?? ''] ?? ref);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values, allSelected)).filter((v) => v !== undefined);
  return value;
}

/** A target with its variables replaced; a field that is exactly an `allSelected` variable is dropped. */
export function interpolateTarget(
  target: Obj,
  values: Readonly<Record<string, string>> = SAMPLE_VALUES,
  allSelected: ReadonlySet<string> = new Set()
): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(target)) {
    if (key === 'datasource') continue;
    const replaced = substitute(value, values, allSelected);
    if (replaced !== undefined) out[key] = replaced;
  }
  return out;
}

interface DataSourceRef {
  type: string;
  uid: string;
}

/** The parts of a saved dashboard the checks read; everything else Grafana fills with its defaults. */
export interface SavedTarget {
  refId: string;
  datasource: DataSourceRef;
  expr?: string;
  queryType?: string;
  [field: string]: unknown;
}

export interface SavedPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: SavedTarget[];
  panels?: SavedPanel[];
}

export interface SavedVariable {
  type: string;
  name: string;
  includeAll?: boolean;
  datasource?: DataSourceRef;
  query?: string | { kind?: string; [field: string]: unknown };
}

export interface SavedAnnotationLayer {
  name: string;
  datasource: DataSourceRef;
  target?: { queryType?: string; kinds?: string[]; [field: string]: unknown };
}

export interface SavedDashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: SavedVariable[] };
  annotations: { list: SavedAnnotationLayer[] };
  panels: SavedPanel[];
}

/** Every provisioned dashboard as Grafana reads it: the JSON the code renders (the committed files are pinned to it). */
export const SAVED_DASHBOARDS: readonly SavedDashboard[] = PROVISIONED_DASHBOARDS.map(
  ({ dashboard }) => JSON.parse(renderDashboard(dashboard)) as SavedDashboard
);

export function panelsOf(dashboard: SavedDashboard): SavedPanel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  target: Obj;
}

/** Every MLSight target of every provisioned dashboard, uninterpolated. */
export function mlsightTargets(): DashboardQuery[] {
  return SAVED_DASHBOARDS.flatMap((dashboard) =>
    panelsOf(dashboard).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((t) => t.datasource.uid === MLSIGHT_DATASOURCE.uid)
        .map((t) => ({ dashboard: dashboard.uid, panel: panel.title, target: t }))
    )
  );
}
