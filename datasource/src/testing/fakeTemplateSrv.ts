import {
  LoadingState,
  VariableHide,
  type CustomVariableModel,
  type ScopedVars,
  type TypedVariableModel,
} from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

/** A dashboard variable for tests: its options and what is selected (`'$__all'` for All). */
export interface FakeVariable {
  name: string;
  options: string[];
  selected: string | string[];
  allValue?: string;
}

const ALL = '$__all';
/** Grafana's variable syntaxes: `$name`, `[[name:fmt]]`, `${name:fmt}`. */
const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

type FormatFn = (value: string | string[], variable: { name: string }) => string;

function toModel(v: FakeVariable, index: number): CustomVariableModel {
  const selected = Array.isArray(v.selected) ? v.selected : [v.selected];
  return {
    type: 'custom',
    id: v.name,
    name: v.name,
    rootStateKey: null,
    global: false,
    hide: VariableHide.dontHide,
    skipUrlSync: false,
    index,
    state: LoadingState.Done,
    error: null,
    description: null,
    query: v.options.join(','),
    multi: Array.isArray(v.selected),
    includeAll: true,
    allValue: v.allValue ?? null,
    options: [ALL, ...v.options].map((o) => ({ text: o, value: o, selected: selected.includes(o) })),
    current: { text: v.selected, value: v.selected, selected: true },
  };
}

/**
 * A stand-in for Grafana's TemplateSrv.replace with its documented behaviour: scoped (repeat) values win, "All"
 * becomes every option (or the custom all value, unformatted), a format function receives arrays for multi values,
 * and without a format a multi value renders as a glob `{a,b}`.
 */
export class FakeTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: FakeVariable[] = []) {}

  getVariables(): TypedVariableModel[] {
    return this.variables.map(toModel);
  }

  containsTemplate(target?: string): boolean {
    return target !== undefined && new RegExp(VARIABLE_REGEX.source).test(target);
  }

  updateTimeRange(): void {}

  replace(target?: string, scopedVars?: ScopedVars, format?: string | FormatFn): string {
    if (target === undefined) return '';
    return target.replace(VARIABLE_REGEX, (match, n1?: string, n2?: string, f2?: string, n3?: string, f3?: string) => {
      const name = n1 ?? n2 ?? n3 ?? '';
      const fmt = f2 ?? f3 ?? format;
      const scoped = scopedVars?.[name];
      if (scoped !== undefined) return this.format(String(scoped.value), fmt, name);
      const variable = this.variables.find((v) => v.name === name);
      if (!variable) return match;
      const selected = variable.selected;
      const isAll = selected === ALL || (Array.isArray(selected) && selected.includes(ALL));
      if (isAll && variable.allValue !== undefined) return variable.allValue;
      return this.format(isAll ? variable.options : selected, fmt, name);
    });
  }

  private format(value: string | string[], fmt: string | FormatFn | undefined, name: string): string {
    if (typeof fmt === 'function') return fmt(value, { name });
    const list = Array.isArray(value) ? value : [value];
    if (fmt === 'csv') return list.join(',');
    if (fmt === 'pipe') return list.join('|');
    return list.length === 1 ? (list[0] ?? '') : `{${list.join(',')}}`;
  }
}
