import {
  LoadingState,
  VariableHide,
  VariableRefresh,
  VariableSort,
  type DataSourceRef,
  type QueryVariableModel,
  type ScopedVars,
  type TimeRange,
  type TypedVariableModel,
  type VariableOption,
} from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/** Grafana's variable syntax: `$var`, `[[var:format]]`, `${var.field:format}`. */
const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;
const ALL_VALUE = '$__all';

type FormatFn = (value: string | string[], variable?: unknown) => string;

function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

/** Grafana's built-in interpolation formats (the ones data sources use most). */
const FORMATS: Record<string, (values: string[], multi: boolean) => string> = {
  glob: (v, multi) => (multi && v.length > 1 ? `{${v.join(',')}}` : (v[0] ?? '')),
  raw: (v) => v.join(','),
  csv: (v) => v.join(','),
  pipe: (v) => v.join('|'),
  json: (v, multi) => JSON.stringify(multi ? v : (v[0] ?? '')),
  regex: (v, multi) => (multi && v.length > 1 ? `(${v.map(escapeRegex).join('|')})` : escapeRegex(v[0] ?? '')),
  doublequote: (v) => v.map((x) => `"${x}"`).join(','),
  singlequote: (v) => v.map((x) => `'${x}'`).join(','),
  sqlstring: (v) => v.map((x) => `'${x.replace(/'/g, "''")}'`).join(','),
  percentencode: (v, multi) => encodeURIComponent(multi && v.length > 1 ? `{${v.join(',')}}` : (v[0] ?? '')),
  queryparam: (v) => v.map((x) => `var-${encodeURIComponent(x)}`).join('&'),
  text: (v) => v.join(' + '),
};

export interface HostVariableInput {
  name: string;
  query: string | Record<string, unknown>;
  options: string[];
  current?: string | string[];
  multi?: boolean;
  includeAll?: boolean;
}

/** A query variable in the shape Grafana's dashboards keep (the fields plugins read). */
export function queryVariable(input: HostVariableInput, index: number, datasource: DataSourceRef): QueryVariableModel {
  const selected = input.current ?? input.options[0] ?? '';
  const isSelected = (v: string) => (Array.isArray(selected) ? selected.includes(v) : selected === v);
  const options: VariableOption[] = [
    ...(input.includeAll ? [{ text: 'All', value: ALL_VALUE, selected: isSelected(ALL_VALUE) }] : []),
    ...input.options.map((v) => ({ text: v, value: v, selected: isSelected(v) })),
  ];
  const current: VariableOption = {
    text: Array.isArray(selected) ? selected : selected === ALL_VALUE ? 'All' : selected,
    value: selected,
    selected: true,
  };
  return {
    id: input.name,
    name: input.name,
    label: input.name,
    type: 'query',
    rootStateKey: 'host-dashboard',
    global: false,
    hide: VariableHide.dontHide,
    skipUrlSync: false,
    index,
    state: LoadingState.Done,
    error: null,
    description: null,
    datasource,
    definition: typeof input.query === 'string' ? input.query : JSON.stringify(input.query),
    sort: VariableSort.disabled,
    query: input.query,
    regex: '',
    refresh: VariableRefresh.onDashboardLoad,
    current,
    options,
    multi: input.multi === true,
    includeAll: input.includeAll === true,
    allValue: null,
  };
}

function optionValues(variable: QueryVariableModel): string[] {
  const value = variable.current.value;
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (values.includes(ALL_VALUE)) {
    if (variable.allValue) return [variable.allValue];
    return variable.options.flatMap((o) => (o.value === ALL_VALUE ? [] : Array.isArray(o.value) ? o.value : [o.value]));
  }
  return values;
}

/**
 * Grafana's templateSrv for one dashboard: its variables, `replace()` with scoped variables first, the built-in
 * `$__from`/`$__to`, multi-value and "All" expansion and the standard formats (glob for multi-values by default).
 */
export class HostTemplateSrv implements TemplateSrv {
  private variables: QueryVariableModel[] = [];
  private range: TimeRange | undefined;

  setVariables(variables: QueryVariableModel[]): void {
    this.variables = variables;
  }

  getVariables(): TypedVariableModel[] {
    return [...this.variables];
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.range = timeRange;
  }

  containsTemplate(target?: string): boolean {
    if (!target) return false;
    VARIABLE_REGEX.lastIndex = 0;
    for (const match of target.matchAll(VARIABLE_REGEX)) {
      const name = match[1] ?? match[2] ?? match[4];
      if (name && (this.variables.some((v) => v.name === name) || name.startsWith('__'))) return true;
    }
    return false;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | FormatFn): string {
    if (!target) return target ?? '';
    return target.replace(
      VARIABLE_REGEX,
      (
        match,
        plain?: string,
        bracket?: string,
        bracketFormat?: string,
        braced?: string,
        _field?: string,
        bracedFormat?: string
      ) => {
        const name = plain ?? bracket ?? braced ?? '';
        const fmt = bracketFormat ?? bracedFormat ?? format;
        const values = this.valuesOf(name, scopedVars);
        if (values === undefined) return match;
        const multi = values.multi;
        if (typeof fmt === 'function') return fmt(multi ? values.list : (values.list[0] ?? ''), undefined);
        const formatter = FORMATS[fmt ?? 'glob'] ?? FORMATS.glob;
        return formatter ? formatter(values.list, multi) : values.list.join(',');
      }
    );
  }

  private valuesOf(name: string, scopedVars?: ScopedVars): { list: string[]; multi: boolean } | undefined {
    const scoped = scopedVars?.[name];
    if (scoped) {
      const value: unknown = scoped.value;
      return Array.isArray(value) ? { list: value.map(String), multi: true } : { list: [String(value)], multi: false };
    }
    if (name === '__from' && this.range) return { list: [String(this.range.from.valueOf())], multi: false };
    if (name === '__to' && this.range) return { list: [String(this.range.to.valueOf())], multi: false };
    const variable = this.variables.find((v) => v.name === name);
    if (!variable) return undefined;
    const list = optionValues(variable);
    return { list, multi: list.length > 1 || variable.multi };
  }
}
