/**
 * Template variables of a dashboard resolved as Grafana's variable runner does on load: in order, each query
 * variable asking its data source with the values of the ones before it, the current value taken from the URL
 * (`var-<name>`), else the saved one if still offered, else the first option ("All" when included).
 */
import type { TimeRange } from '@grafana/data';
import type { HostDataSourceSrv } from '../runtime/dataSourceSrv';
import { queryVariable, type HostTemplateSrv, type HostVariableInput } from '../runtime/templateSrv';
import { variableOptions, type VariableOptionText } from '../runtime/variableValues';
import type { DashboardVariableModel } from './dashboardModel';

export const ALL_VALUE = '$__all';

export interface ResolvedVariable extends HostVariableInput {
  label?: string;
  /** The picker's text of each value, where it differs. */
  texts: Record<string, string>;
  type: DashboardVariableModel['type'];
  hidden: boolean;
}

/** Grafana's VariableSort on option texts. */
export function sortOptions<T extends { text: string }>(options: readonly T[], sort: number): T[] {
  const sorted = [...options];
  const numberOf = (v: string) => {
    const match = /-?\d+(\.\d+)?/.exec(v);
    return match ? Number(match[0]) : Number.NaN;
  };
  switch (sort) {
    case 1:
    case 2:
      sorted.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
      break;
    case 3:
    case 4:
      sorted.sort((a, b) => numberOf(a.text) - numberOf(b.text));
      break;
    case 5:
    case 6:
      sorted.sort((a, b) => a.text.toLowerCase().localeCompare(b.text.toLowerCase()));
      break;
    default:
      return sorted;
  }
  return sort % 2 === 0 ? sorted.reverse() : sorted;
}

/**
 * The current value: the URL's, else the saved one while it is offered (by value, else by text, as Grafana's
 * variables match a saved selection), else the first option.
 */
export function chooseCurrent(
  variable: Pick<DashboardVariableModel, 'includeAll' | 'multi' | 'type'>,
  options: readonly VariableOptionText[],
  wanted: string | string[] | undefined
): string | string[] | undefined {
  if (variable.type === 'textbox') return typeof wanted === 'string' ? wanted : (options[0]?.value ?? '');
  const values = options.map((o) => o.value);
  const offered = (v: string) => values.includes(v) || (variable.includeAll && v === ALL_VALUE);
  if (typeof wanted === 'string' && !offered(wanted)) {
    const byText = options.find((o) => o.text === wanted);
    if (byText) return byText.value;
  }
  if (Array.isArray(wanted)) {
    const kept = wanted.filter(offered);
    if (kept.length > 0) return variable.multi ? kept : kept[0];
  } else if (wanted !== undefined && offered(wanted)) {
    return wanted;
  }
  if (variable.includeAll) return ALL_VALUE;
  return values[0];
}

async function optionsOf(
  variable: DashboardVariableModel,
  dataSourceSrv: HostDataSourceSrv,
  templateSrv: HostTemplateSrv,
  range: TimeRange,
  urlValue: string | string[] | undefined
): Promise<VariableOptionText[]> {
  const plain = (values: string[]) => values.map((value) => ({ text: value, value }));
  switch (variable.type) {
    case 'query': {
      const ds = await dataSourceSrv.get(variable.datasource);
      // The variable's own query may name earlier variables ($model): Grafana interpolates them (the data
      // source's variable support does it for object queries).
      const definition =
        typeof variable.query === 'string' ? templateSrv.replace(variable.query) : { ...variable.query };
      return sortOptions(await variableOptions(ds, definition, range), variable.sort);
    }
    case 'custom':
      return plain(
        String(variable.query)
          .split(/(?<!\\),/)
          .map((v) => v.trim())
          .filter((v) => v !== '')
      );
    case 'constant':
      return plain([String(variable.query)]);
    case 'textbox': {
      const text = typeof urlValue === 'string' ? urlValue : (variable.current ?? variable.query);
      return plain([Array.isArray(text) ? (text[0] ?? '') : String(text)]);
    }
  }
}

/**
 * Resolves `variables` from index `from` on (earlier ones keep their values), publishing each to templateSrv as
 * soon as it is known so the next one's query sees it. `wanted` holds values picked in the URL or by the user.
 */
export async function resolveVariables(
  variables: readonly DashboardVariableModel[],
  previous: readonly ResolvedVariable[],
  from: number,
  wanted: Record<string, string | string[]>,
  services: { dataSourceSrv: HostDataSourceSrv; templateSrv: HostTemplateSrv },
  range: TimeRange
): Promise<ResolvedVariable[]> {
  const resolved: ResolvedVariable[] = previous.slice(0, from);
  const publish = () =>
    services.templateSrv.setVariables(
      resolved.map((v, i) => queryVariable(v, i, variables[i]?.datasource ?? { uid: '' }))
    );
  publish();
  for (const variable of variables.slice(from)) {
    const options = await optionsOf(
      variable,
      services.dataSourceSrv,
      services.templateSrv,
      range,
      wanted[variable.name]
    );
    const saved =
      variable.current !== undefined &&
      !options.some((o) => o.value === variable.current) &&
      variable.currentText !== undefined
        ? variable.currentText
        : variable.current;
    const current = chooseCurrent(variable, options, wanted[variable.name] ?? saved);
    resolved.push({
      name: variable.name,
      texts: Object.fromEntries(options.filter((o) => o.text !== o.value).map((o) => [o.value, o.text])),
      type: variable.type,
      hidden: variable.hidden,
      ...(variable.label === undefined ? {} : { label: variable.label }),
      query: variable.query,
      options: options.map((o) => o.value),
      ...(current === undefined ? {} : { current }),
      multi: variable.multi,
      includeAll: variable.includeAll,
    });
    publish();
  }
  return resolved;
}

/** `var-<name>` URL parameters (repeated for multi-values), as Grafana's dashboard URLs carry them. */
export function urlVariableValues(params: URLSearchParams): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    if (!key.startsWith('var-')) continue;
    const all = params.getAll(key);
    values[key.slice(4)] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return values;
}
