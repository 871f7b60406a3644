import {
  describeIssues,
  isQueryType,
  migrateQuery,
  QUERY_SCHEMA_VERSION,
  querySchemas,
  type DriftMethod,
  type MULTIVARIATE_BAND_SCALINGS,
  type QueryOf,
  type QueryType,
  type ThresholdMode,
} from '@mlsight/contract';
import { hasVariable } from './interpolate';
import { fieldIsOptional } from './prepareQuery';
import { DEFAULT_QUERY, isAnnotationQuery, type MLSightDataQuery, type MLSightDataSourceQuery } from './types';

/** Every editable query field with its value type (the union of the contract's per-type fields). */
export interface FieldValues {
  model: string;
  version: string;
  alias: string;
  segment: string;
  feature: string;
  predictionId: string;
  champion: string;
  challenger: string;
  runId: string;
  experiment: string;
  filter: string;
  metric: string;
  features: string[];
  runIds: string[];
  metrics: string[];
  params: string[];
  orderBy: string[];
  method: DriftMethod;
  thresholdMode: ThresholdMode;
  falseAlarmRate: number;
  threshold: number;
  minSampleSize: number;
  driftShare: number;
  topN: number;
  components: number;
  chunkSize: number;
  bandMultiplier: number;
  bandScaling: (typeof MULTIVARIATE_BAND_SCALINGS)[number];
  limit: number;
  source: 'auto' | 'store' | 'mlflow';
  format: 'table' | 'nodeGraph';
  ignoreTimeRange: boolean;
  includeTargets: boolean;
  positiveLabel: string;
  search: string;
}
export type FieldName = keyof FieldValues;
type FieldsOfType<V> = { [K in FieldName]: FieldValues[K] extends V ? K : never }[FieldName];
export type StringFieldName = FieldsOfType<string>;
export type ListFieldName = FieldsOfType<string[]>;
export type NumberFieldName = FieldsOfType<number>;

function read(query: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(query, key) ? Reflect.get(query, key) : undefined;
}

export function getString(query: MLSightDataQuery, key: StringFieldName): string | undefined {
  const value = read(query, key);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

export function getList(query: MLSightDataQuery, key: ListFieldName): string[] {
  const value = read(query, key);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function getNumber(query: MLSightDataQuery, key: NumberFieldName): number | undefined {
  const value = read(query, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A field restricted to a fixed list (method, source, format); anything else reads as unset. */
export function getOption<T extends string>(
  query: MLSightDataQuery,
  key: 'method' | 'thresholdMode' | 'bandScaling' | 'source' | 'format',
  allowed: readonly T[]
): T | undefined {
  const value = read(query, key);
  return allowed.find((option) => option === value);
}

export function getBoolean(query: MLSightDataQuery, key: 'ignoreTimeRange' | 'includeTargets'): boolean {
  return read(query, key) === true;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Sets one field. An emptied optional field is removed (the proxy's default applies); an emptied required one stays
 * as '' / [] so validation names it.
 */
export function setField<K extends FieldName>(
  query: MLSightDataQuery,
  key: K,
  value: FieldValues[K] | undefined
): MLSightDataQuery {
  const next: MLSightDataQuery = { ...query };
  if (!isEmpty(value)) {
    Reflect.set(next, key, value);
  } else if (fieldIsOptional(query.queryType, key)) {
    Reflect.deleteProperty(next, key);
  } else {
    Reflect.set(next, key, Array.isArray(value) ? [] : '');
  }
  return next;
}

/** What survives a switch of query type: identity, Grafana's keys and the model context. */
interface Carry {
  refId: string;
  hide?: boolean;
  key?: string;
  datasource?: MLSightDataQuery['datasource'];
  model?: string;
  version?: string;
  alias?: string;
}

function carryOf(query: MLSightDataSourceQuery): Carry {
  const carry: Carry = { refId: query.refId };
  if (query.hide !== undefined) carry.hide = query.hide;
  if (query.key !== undefined) carry.key = query.key;
  if (query.datasource !== undefined) carry.datasource = query.datasource;
  for (const key of ['model', 'version', 'alias'] as const) {
    const value = read(query, key);
    if (typeof value === 'string' && value !== '') carry[key] = value;
  }
  return carry;
}

function base(c: Carry) {
  return {
    refId: c.refId,
    schemaVersion: QUERY_SCHEMA_VERSION,
    ...(c.hide !== undefined ? { hide: c.hide } : {}),
    ...(c.key !== undefined ? { key: c.key } : {}),
    ...(c.datasource !== undefined ? { datasource: c.datasource } : {}),
  };
}

/** version or alias, never both (the contract refuses both). */
function pin(c: Carry): { version?: string; alias?: string } {
  if (c.version !== undefined) return { version: c.version };
  if (c.alias !== undefined) return { alias: c.alias };
  return {};
}

const model = (c: Carry) => ({ model: c.model ?? '' });
const modelRef = (c: Carry) => ({ ...model(c), ...pin(c) });
const optionalModel = (c: Carry) => (c.model !== undefined ? { model: c.model } : {});

type Templates = { [T in QueryType]: (c: Carry) => QueryOf<T> & MLSightDataQuery };

/**
 * A fresh query of each type, carrying over the model context, with required fields present but empty so the editor
 * can point at them. A new query type fails to compile until it has an entry here.
 */
const TEMPLATES: Templates = {
  drift_heatmap: (c) => ({ ...base(c), queryType: 'drift_heatmap', ...modelRef(c) }),
  feature_drift: (c) => ({ ...base(c), queryType: 'feature_drift', ...modelRef(c) }),
  category_drift: (c) => ({ ...base(c), queryType: 'category_drift', ...modelRef(c), feature: '' }),
  dataset_drift: (c) => ({ ...base(c), queryType: 'dataset_drift', ...modelRef(c) }),
  drift_trend: (c) => ({ ...base(c), queryType: 'drift_trend', ...modelRef(c) }),
  prediction_drift: (c) => ({ ...base(c), queryType: 'prediction_drift', ...modelRef(c) }),
  label_drift: (c) => ({ ...base(c), queryType: 'label_drift', ...modelRef(c) }),
  multivariate_drift: (c) => ({ ...base(c), queryType: 'multivariate_drift', ...modelRef(c) }),
  performance: (c) => ({ ...base(c), queryType: 'performance', ...modelRef(c) }),
  estimated_performance: (c) => ({ ...base(c), queryType: 'estimated_performance', ...modelRef(c) }),
  data_quality: (c) => ({ ...base(c), queryType: 'data_quality', ...modelRef(c) }),
  explanations_global: (c) => ({ ...base(c), queryType: 'explanations_global', ...modelRef(c) }),
  explanations_local: (c) => ({ ...base(c), queryType: 'explanations_local', ...modelRef(c), predictionId: '' }),
  explanation_drift: (c) => ({ ...base(c), queryType: 'explanation_drift', ...modelRef(c) }),
  fairness: (c) => ({ ...base(c), queryType: 'fairness', ...modelRef(c), segment: '' }),
  champion_challenger: (c) => ({ ...base(c), queryType: 'champion_challenger', ...model(c) }),
  provenance: (c) => ({ ...base(c), queryType: 'provenance', ...optionalModel(c), ...pin(c) }),
  pipeline_runs: (c) => ({ ...base(c), queryType: 'pipeline_runs' }),
  runs: (c) => ({ ...base(c), queryType: 'runs' }),
  metric_history: (c) => ({ ...base(c), queryType: 'metric_history', runIds: [], metric: '' }),
  model_versions: (c) => ({ ...base(c), queryType: 'model_versions', ...model(c) }),
  deployments: (c) => ({ ...base(c), queryType: 'deployments', ...optionalModel(c) }),
  kpis: (c) => ({ ...base(c), queryType: 'kpis', ...modelRef(c) }),
  predictions: (c) => ({ ...base(c), queryType: 'predictions', ...modelRef(c) }),
  fleet: (c) => ({ ...base(c), queryType: 'fleet' }),
};

/** The query after the user picks another query type. */
export function switchQueryType(query: MLSightDataSourceQuery, type: QueryType): MLSightDataQuery {
  return TEMPLATES[type](carryOf(query));
}

function isEditable(value: Record<string, unknown>): value is Record<string, unknown> & MLSightDataQuery {
  return typeof value.refId === 'string' && isQueryType(value.queryType);
}

/**
 * The query as the editor works on it: saved queries migrated, and anything without a known query type (a new
 * query, an annotation target) turned into the default query, with the data source's default model.
 */
export function toEditableQuery(query: MLSightDataSourceQuery, defaultModel?: string): MLSightDataQuery {
  if (!isAnnotationQuery(query)) {
    const migrated = migrateQuery({ ...query });
    if (isEditable(migrated)) return migrated;
  }
  const type = DEFAULT_QUERY.queryType ?? 'kpis';
  const carry = carryOf(query);
  return TEMPLATES[type](defaultModel && carry.model === undefined ? { ...carry, model: defaultModel } : carry);
}

export interface ValidationResult {
  /** First message per top-level field, shown beside that field. */
  byField: Partial<Record<string, string>>;
  /** Messages for the query as a whole or for fields the editor does not show. */
  other: string[];
}

/**
 * Validates with the contract's schema for the query's type. A field whose value names a dashboard variable is not
 * judged here: only its interpolated value means anything, and the data source checks that at run time.
 */
export function validateQuery(query: MLSightDataQuery): ValidationResult {
  const result: ValidationResult = { byField: {}, other: [] };
  const parsed = querySchemas[query.queryType].safeParse(query);
  if (parsed.success) {
    if (read(query, 'version') !== undefined && read(query, 'alias') !== undefined) {
      result.byField.alias = 'set either version or alias, not both';
    }
    return result;
  }
  for (const issue of parsed.error.issues) {
    const top = issue.path[0];
    const value = typeof top === 'string' ? read(query, top) : undefined;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && hasVariable(v))) continue;
    const [described] = describeIssues([issue]);
    if (typeof top === 'string' && result.byField[top] === undefined) {
      result.byField[top] = issue.message;
    } else if (typeof top !== 'string' && described) {
      result.other.push(described.field ? `${described.field}: ${described.message}` : described.message);
    }
  }
  return result;
}
