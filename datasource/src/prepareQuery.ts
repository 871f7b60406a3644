import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import {
  describeIssues,
  isQueryType,
  migrateQuery,
  MLSightQuerySchema,
  querySchemas,
  type MLSightQuery,
  type QueryType,
} from '@mlsight/contract';
import { interpolateList, interpolateScalar, LIST_FIELDS, SCALAR_FIELDS } from './interpolate';
import { DEFAULT_QUERY, type MLSightDataQuery } from './types';

export interface PrepareContext {
  templateSrv: TemplateSrv;
  scopedVars?: ScopedVars;
  /** Data-source setting used when a query that takes a model names none. */
  defaultModel?: string;
}

export type Prepared = { ok: true; query: MLSightQuery } | { ok: false; refId: string; error: string };

function fail(refId: string, error: string): Prepared {
  return { ok: false, refId, error };
}

/** Whether queries of this type have the field at all. */
export function takesField(type: QueryType, field: string): boolean {
  return field in querySchemas[type].shape;
}

/** Whether the contract lets the field be left out for this query type (unknown fields count as optional). */
export function fieldIsOptional(type: QueryType, field: string): boolean {
  const shape: Record<string, { safeParse(v: unknown): { success: boolean } }> = querySchemas[type].shape;
  return shape[field]?.safeParse(undefined).success ?? true;
}

/** A query whose type needs a model that neither the query nor the data source's default names yet. */
export function awaitsModel(saved: { queryType?: unknown; model?: unknown }, defaultModel?: string): boolean {
  const type = isQueryType(saved.queryType) ? saved.queryType : DEFAULT_QUERY.queryType;
  if (type === undefined || !takesField(type, 'model') || fieldIsOptional(type, 'model')) return false;
  const named = typeof saved.model === 'string' && saved.model.trim() !== '';
  return !named && !defaultModel;
}

/** Saved query → current shape, with the query type defaulted and the data source's default model filled in. */
export function normalizeQuery(saved: object, defaultModel?: string): Record<string, unknown> {
  const query = migrateQuery({ ...saved });
  if (!isQueryType(query.queryType)) {
    query.queryType = DEFAULT_QUERY.queryType;
  }
  const type = query.queryType;
  const model = query.model;
  if (defaultModel && isQueryType(type) && takesField(type, 'model') && (model === undefined || model === '')) {
    query.model = defaultModel;
  }
  return query;
}

/** Replaces dashboard variables in every string field; reports a field a multi-valued variable cannot fill. */
export function interpolateQuery(
  query: Record<string, unknown>,
  templateSrv: TemplateSrv,
  scopedVars?: ScopedVars
): { query: Record<string, unknown> } | { error: string } {
  const out: Record<string, unknown> = { ...query };
  const type = isQueryType(query.queryType) ? query.queryType : undefined;
  for (const field of SCALAR_FIELDS) {
    const value = out[field];
    if (typeof value !== 'string') continue;
    const result = interpolateScalar(templateSrv, value, scopedVars);
    if (result.kind === 'value') {
      out[field] = result.value;
    } else if (result.kind === 'all' && type !== undefined && fieldIsOptional(type, field)) {
      delete out[field];
    } else if (result.kind === 'all') {
      return { error: `${field}: "${value}" is set to All, but this query needs one ${field}` };
    } else {
      return {
        error: `${field}: $${result.variable} has ${result.values.length} values (${result.values.join(', ')}), but this field takes one; repeat the panel by $${result.variable} or make the variable single-valued`,
      };
    }
  }
  for (const field of LIST_FIELDS) {
    const value = out[field];
    if (!Array.isArray(value)) continue;
    out[field] = interpolateList(
      templateSrv,
      value.filter((v): v is string => typeof v === 'string'),
      scopedVars
    );
  }
  return { query: out };
}

/**
 * Turns one saved panel query into what the proxy accepts: migrated, defaulted, interpolated and validated with the
 * contract's own schema, so one bad query is reported on its panel instead of failing the whole batch with a 400.
 */
export function prepareQuery(saved: MLSightDataQuery, ctx: PrepareContext): Prepared {
  const refId = saved.refId;
  const normalized = normalizeQuery(saved, ctx.defaultModel);
  const interpolated = interpolateQuery(normalized, ctx.templateSrv, ctx.scopedVars);
  if ('error' in interpolated) return fail(refId, interpolated.error);
  const parsed = MLSightQuerySchema.safeParse(interpolated.query);
  if (!parsed.success) {
    const first = describeIssues(parsed.error.issues)[0];
    return fail(refId, first ? `${first.field || 'query'}: ${first.message}` : 'invalid query');
  }
  return { ok: true, query: parsed.data };
}
