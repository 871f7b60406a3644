/**
 * What the persona dashboards share: template variables fed by the data source's variables API, annotation layers
 * from the annotations API, and the links between the dashboards.
 */
import type { AnnotationKind, VariableKind } from '@mlsight/contract';
import {
  type AnnotationLayer,
  type DashboardLink,
  MLSIGHT_DATASOURCE,
  type QueryVariable,
  type TextVariable,
} from './grafana';

/** The demo's model; every dashboard lets the user pick another from the registry. */
export const DEMO_MODEL = 'credit-risk';

export const UIDS = {
  business: 'mlsight-business',
  dataScientist: 'mlsight-data-scientist',
  featureDrift: 'mlsight-feature-drift',
  mlEngineer: 'mlsight-ml-engineer',
  dataEngineer: 'mlsight-data-engineer',
  support: 'mlsight-support',
} as const;

interface VariableOptions {
  name: string;
  label: string;
  kind: VariableKind;
  scopedToModel?: boolean;
  includeAll?: boolean;
  current: string;
}

function queryVariable(o: VariableOptions): QueryVariable {
  const query = { refId: 'variable', kind: o.kind, ...(o.scopedToModel ? { model: '$model' } : {}) };
  return {
    type: 'query',
    name: o.name,
    label: o.label,
    datasource: MLSIGHT_DATASOURCE,
    query,
    definition: o.scopedToModel ? `${o.kind}?model=$model` : o.kind,
    refresh: 1,
    includeAll: o.includeAll ?? false,
    multi: false,
    sort: 1,
    current: o.current === '$__all' ? { text: 'All', value: '$__all' } : { text: o.current, value: o.current },
    options: [],
  };
}

export const VARIABLES = {
  model: queryVariable({ name: 'model', label: 'Model', kind: 'models', current: DEMO_MODEL }),
  version: queryVariable({
    name: 'version',
    label: 'Version',
    kind: 'versions',
    scopedToModel: true,
    includeAll: true,
    current: '$__all',
  }),
  alias: queryVariable({ name: 'alias', label: 'Alias', kind: 'aliases', scopedToModel: true, current: 'champion' }),
  feature: queryVariable({
    name: 'feature',
    label: 'Feature',
    kind: 'features',
    scopedToModel: true,
    // Categorical, so the category panels show something at once; drifted in the demo story.
    current: 'employment_type',
  }),
  segment: queryVariable({
    name: 'segment',
    label: 'Segment',
    kind: 'segments',
    scopedToModel: true,
    includeAll: true,
    current: '$__all',
  }),
  experiment: queryVariable({
    name: 'experiment',
    label: 'Experiment',
    kind: 'experiments',
    current: 'credit-risk-pipeline',
  }),
} as const;

export function textbox(name: string, label: string, value: string, description: string): TextVariable {
  return { type: 'textbox', name, label, query: value, current: { text: value, value }, description };
}

const ANNOTATION_COLORS: Record<AnnotationKind, string> = {
  deployment: '#73BF69',
  alias_change: '#5794F2',
  retrain: '#B877D9',
  drift_alert: '#F2495C',
};

export function annotationLayer(name: string, kinds: AnnotationKind[], enable = true): AnnotationLayer {
  const [first] = kinds;
  return {
    name,
    datasource: MLSIGHT_DATASOURCE,
    enable,
    iconColor: first ? ANNOTATION_COLORS[first] : '#5794F2',
    target: { refId: 'Anno', queryType: 'annotations', model: '$model', kinds },
  };
}

/** Deployments and alias moves on every time axis, so a change in a trend lines up with what shipped. */
export const RELEASE_ANNOTATIONS = [
  annotationLayer('Deployments', ['deployment']),
  annotationLayer('Alias changes', ['alias_change']),
  annotationLayer('Retrains', ['retrain'], false),
  annotationLayer('Drift alerts', ['drift_alert']),
];

/** Every persona dashboard links to the others (tag `mlsight`), keeping the time range and variables. */
export const PERSONA_LINKS: DashboardLink[] = [
  {
    title: 'MLSight dashboards',
    type: 'dashboards',
    tags: ['mlsight'],
    asDropdown: true,
    includeVars: true,
    keepTime: true,
  },
];

/** A link to another MLSight dashboard that keeps the time range; `vars` is a query string such as `var-model=…`. */
export function dashboardUrl(uid: string, vars: string): string {
  return `/d/${uid}?\${__url_time_range}&${vars}`;
}
