import type { DataQuery, DataSourceApi, MetricFindValue, TimeRange } from '@grafana/data';
import { lastValueFrom } from 'rxjs';
import { buildRequest } from '../runQuery';

/** A variable option: what queries get (`value`) and what the picker shows (`text`). */
export interface VariableOptionText {
  text: string;
  value: string;
}

function optionOf(found: MetricFindValue): VariableOptionText {
  return { text: String(found.text), value: String(found.value ?? found.text) };
}

function isMetricFindValue(value: unknown): value is MetricFindValue {
  return typeof value === 'object' && value !== null && 'text' in value;
}

/** One query variable's options as Grafana's variable runner gets them: variable support `query()`, else metricFindQuery. */
export async function variableOptions(
  ds: DataSourceApi,
  definition: string | Record<string, unknown>,
  range: TimeRange
): Promise<VariableOptionText[]> {
  const support = ds.variables;
  if (support && 'query' in support && typeof support.query === 'function' && typeof definition === 'object') {
    const target = { refId: 'variable', ...definition } as DataQuery;
    const response = await lastValueFrom(support.query(buildRequest([target], range)));
    return response.data.filter(isMetricFindValue).map(optionOf);
  }
  if (!ds.metricFindQuery) throw new Error('The data source supports no query variables');
  const values = await ds.metricFindQuery(definition, { range });
  return values.map(optionOf);
}

/** The values of `variableOptions`. */
export async function variableValues(
  ds: DataSourceApi,
  definition: string | Record<string, unknown>,
  range: TimeRange
): Promise<string[]> {
  return (await variableOptions(ds, definition, range)).map((o) => o.value);
}
