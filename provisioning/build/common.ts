/**
 * What the persona dashboards share: template variables fed by the data source's variables API, annotation layers
 * from the annotations API, and the links between the dashboards.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  type AnnotationQuery,
  AnnotationQueryBuilder,
  type DashboardLink,
  DashboardLinkBuilder,
  DashboardLinkType,
  QueryVariableBuilder,
  TextBoxVariableBuilder,
  type VariableModel,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { AnnotationKind, VariableKind, VariableQuery } from '@mlsight/contract';
import { MLSIGHT_DATASOURCE } from './dataSources';
import { mlsight, MLSightAnnotationTargetBuilder, type MLSightQueryBuilder } from './mlsight';

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
  /** Alphabetical unless given; Disabled keeps the proxy's order. */
  sort?: VariableSort;
}

/** The object MLSight's variable editor saves: the kind and the query string of `GET /api/v1/variables/{kind}`. */
type MLSightVariableQuery = { refId: string; kind: VariableKind } & VariableQuery;

/** A query variable served by the data source's variables API. */
function queryVariable(o: VariableOptions): cog.Builder<VariableModel> {
  const query: MLSightVariableQuery = {
    refId: 'variable',
    kind: o.kind,
    ...(o.scopedToModel ? { model: '$model' } : {}),
  };
  const current = o.current === '$__all' ? { text: 'All', value: '$__all' } : { text: o.current, value: o.current };
  const variable = new QueryVariableBuilder(o.name)
    .label(o.label)
    .datasource(MLSIGHT_DATASOURCE)
    .query(query)
    .refresh(VariableRefresh.OnDashboardLoad)
    .includeAll(o.includeAll ?? false)
    .multi(false)
    .sort(o.sort ?? VariableSort.AlphabeticalAsc)
    .current(current)
    .options([]);
  // Grafana lists a query variable by its `definition`; the SDK's VariableModel has no such field.
  const definition = o.scopedToModel ? `${o.kind}?model=$model` : o.kind;
  return { build: (): VariableModel & { definition: string } => ({ ...variable.build(), definition }) };
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
  // The training runs of the model's versions, newest first: metric-history panels start on the latest one.
  run: queryVariable({
    name: 'run_id',
    label: 'Run',
    kind: 'runs',
    scopedToModel: true,
    current: '',
    sort: VariableSort.Disabled,
  }),
  experiment: queryVariable({
    name: 'experiment',
    label: 'Experiment',
    kind: 'experiments',
    current: 'credit-risk-pipeline',
  }),
} as const;

export function textbox(name: string, label: string, value: string, description: string): TextBoxVariableBuilder {
  return new TextBoxVariableBuilder(name)
    .label(label)
    .defaultValue(value)
    .current({ text: value, value })
    .description(description);
}

const ANNOTATION_COLORS: Record<AnnotationKind, string> = {
  deployment: '#73BF69',
  alias_change: '#5794F2',
  retrain: '#B877D9',
  drift_alert: '#F2495C',
};

/** A layer of events of the given kinds from the annotations API, for the selected model. */
export function annotationLayer(name: string, kinds: AnnotationKind[], enable = true): cog.Builder<AnnotationQuery> {
  const [first] = kinds;
  return new AnnotationQueryBuilder()
    .name(name)
    .datasource(MLSIGHT_DATASOURCE)
    .enable(enable)
    .iconColor(first ? ANNOTATION_COLORS[first] : '#5794F2')
    .target(new MLSightAnnotationTargetBuilder({ refId: 'Anno', queryType: 'annotations', model: '$model', kinds }));
}

/** Deployments and alias moves on every time axis, so a change in a trend lines up with what shipped. */
export const RELEASE_ANNOTATIONS = [
  annotationLayer('Deployments', ['deployment']),
  annotationLayer('Alias changes', ['alias_change']),
  annotationLayer('Retrains', ['retrain'], false),
  annotationLayer('Drift alerts', ['drift_alert']),
];

/** Every persona dashboard links to the others (tag `mlsight`), keeping the time range and variables. */
export const PERSONA_LINKS: cog.Builder<DashboardLink>[] = [
  new DashboardLinkBuilder('MLSight dashboards')
    .type(DashboardLinkType.Dashboards)
    .tags(['mlsight'])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true),
];

/** A link to another MLSight dashboard that keeps the time range; `vars` is a query string such as `var-model=…`. */
export function dashboardUrl(uid: string, vars: string): string {
  return `/d/${uid}?\${__url_time_range}&${vars}`;
}

/** The latest runs of the `$experiment` pipeline, whatever the dashboard's range: as a table or as a graph. */
export function pipelineRuns(format: 'table' | 'nodeGraph', limit: number): MLSightQueryBuilder<'pipeline_runs'> {
  return mlsight({
    refId: 'A',
    queryType: 'pipeline_runs',
    experiment: '$experiment',
    format,
    limit,
    ignoreTimeRange: true,
  });
}
