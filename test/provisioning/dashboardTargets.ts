/**
 * The MLSight queries of the provisioned dashboards as the data source would send them: template variables replaced
 * by demo values (or a variable set to "All" dropping its optional field), the `datasource` key removed.
 */
import { PROVISIONED_DASHBOARDS } from '../../provisioning/build/dashboards';
import { type Dashboard, MLSIGHT_DATASOURCE, type Panel } from '../../provisioning/build/grafana';

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

export function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  target: Obj;
}

/** Every MLSight target of every provisioned dashboard, uninterpolated. */
export function mlsightTargets(): DashboardQuery[] {
  return PROVISIONED_DASHBOARDS.flatMap(({ dashboard }) =>
    panelsOf(dashboard).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((t) => t.datasource.uid === MLSIGHT_DATASOURCE.uid)
        .map((t) => ({ dashboard: dashboard.uid, panel: panel.title, target: t as unknown as Obj }))
    )
  );
}
