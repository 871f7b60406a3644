/**
 * What Grafana's alerting engine does with a Grafana-managed rule's answers, restated for the suite (no Grafana runs
 * on these machines): how a data source's frames become server-side-expression values, the threshold and math
 * expressions the provisioned rules use, and the alert state each condition value gives. Each step names the Grafana
 * source file it restates.
 *
 * - Frames → values: pkg/expr/converter.go (`ResultConverter.Convert`, `isNumberTable`, `extractNumberSet`,
 *   `WideToMany`) and the SDK's `Frame.TimeSeriesSchema` (data/time_series.go); frames whose meta has no
 *   `typeVersion` above 0.0 take this (non-dataplane) path (pkg/expr/dataplane.go `shouldUseDataplane`), as
 *   MLSight's do. https://grafana.com/docs/grafana/latest/alerting/fundamentals/alert-rule-evaluation/ calls the
 *   one-frame case "numeric data": no time field, string fields → labels, exactly one number field.
 * - Threshold: pkg/expr/threshold.go (1 / 0, null stays null). Math: pkg/expr/mathexp/exp.go (`union` joins two
 *   sets on equal labels or a label subset, or the only item of each side; `binaryOp`; comparisons give 1 / 0).
 * - Condition → state: pkg/services/ngalert/eval/eval.go — a series is refused ("looks like time series data, only
 *   reduced data can be alerted on"), two results with the same labels are refused (an instance must be told apart
 *   by its labels), null is NoData, 0 Normal, anything else Alerting; `$values` carries every refId's number whose
 *   labels match the instance's.
 */

export type Labels = Readonly<Record<string, string>>;

export interface SseNumber {
  kind: 'number';
  labels: Labels;
  value: number | null;
}

export interface SseSeries {
  kind: 'series';
  labels: Labels;
  points: Array<[number, number | null]>;
}

export type SseValue = SseNumber | SseSeries;

/** A refId's result: its values, or no data at all. */
export interface SseResult {
  noData: boolean;
  values: SseValue[];
}

/** A frame as Grafana's /api/ds/query answers it (DataFrameJSON). */
export interface JsonFrame {
  schema?: { name?: string; fields: Array<{ name: string; type: string; labels?: Record<string, string> }> };
  data?: { values: unknown[][] };
}

export class SseError extends Error {}

const isNumeric = (type: string) => type === 'number';

/** The SDK's TimeSeriesSchema type: not (no time field or no value field), wide (no string field) or long. */
function timeSeriesType(frame: JsonFrame): 'not' | 'wide' | 'long' {
  const fields = frame.schema?.fields ?? [];
  const time = fields.findIndex((f) => f.type === 'time');
  if (time < 0) return 'not';
  const strings = fields.filter((f) => f.type === 'string').length;
  const values = fields.length - 1 - strings;
  if (values === 0) return 'not';
  return strings === 0 ? 'wide' : 'long';
}

/** `isNumberTable`: exactly one numeric field and nothing but strings beside it. */
export function isNumberTable(frame: JsonFrame): boolean {
  const fields = frame.schema?.fields ?? [];
  const numeric = fields.filter((f) => isNumeric(f.type)).length;
  const other = fields.filter((f) => !isNumeric(f.type) && f.type !== 'string').length;
  return numeric === 1 && other === 0;
}

const asNumber = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** A data query's frames as Grafana's expressions see them, or the error Grafana's converter raises. */
export function framesToValues(frames: readonly JsonFrame[]): SseResult {
  if (frames.length === 0) return { noData: true, values: [] };
  const [only] = frames;
  if (frames.length === 1 && only) {
    const fields = only.schema?.fields ?? [];
    if (fields.length === 0) return { noData: true, values: [] };
    if (timeSeriesType(only) === 'not' && isNumberTable(only)) {
      const columns = only.data?.values ?? [];
      const valueIndex = fields.findIndex((f) => isNumeric(f.type));
      const rows = (columns[valueIndex] ?? []).length;
      const values: SseValue[] = [];
      for (let row = 0; row < rows; row++) {
        const labels: Record<string, string> = {};
        fields.forEach((f, i) => {
          if (f.type === 'string') labels[f.name] = String(columns[i]?.[row] ?? '');
        });
        values.push({ kind: 'number', labels, value: asNumber(columns[valueIndex]?.[row]) });
      }
      return { noData: rows === 0, values };
    }
  }
  const values: SseValue[] = [];
  for (const frame of frames) {
    const type = timeSeriesType(frame);
    if (type !== 'wide') throw new SseError(`input data must be a wide series but got type ${type}`);
    const fields = frame.schema?.fields ?? [];
    const columns = frame.data?.values ?? [];
    const time = fields.findIndex((f) => f.type === 'time');
    fields.forEach((f, i) => {
      if (i === time) return;
      // mathexp.SeriesFromFrame: a value field must read as *float64.
      if (!isNumeric(f.type)) throw new SseError(`no float64 value column found in frame ${frame.schema?.name ?? ''}`);
      const times = (columns[time] ?? []) as number[];
      values.push({
        kind: 'series',
        labels: f.labels ?? {},
        points: times.map((t, row) => [t, asNumber(columns[i]?.[row])]),
      });
    });
  }
  return { noData: values.length === 0, values };
}

/** Threshold evaluators the rules may use (pkg/expr/threshold.go). */
const PREDICATES: Record<string, (x: number, p: readonly number[]) => boolean> = {
  gt: (x, [a = 0]) => x > a,
  lt: (x, [a = 0]) => x < a,
  gte: (x, [a = 0]) => x >= a,
  lte: (x, [a = 0]) => x <= a,
  eq: (x, [a = 0]) => x === a,
  ne: (x, [a = 0]) => x !== a,
  within_range: (x, [a = 0, b = 0]) => x > a && x < b,
  outside_range: (x, [a = 0, b = 0]) => x < a || x > b,
};

function threshold(input: SseResult, type: string, params: readonly number[]): SseResult {
  const predicate = PREDICATES[type];
  if (!predicate) throw new SseError(`unsupported threshold type ${type}`);
  const at = (v: number | null) => (v === null ? null : predicate(v, params) ? 1 : 0);
  return {
    noData: input.noData,
    values: input.values.map((v) =>
      v.kind === 'number'
        ? { ...v, value: at(v.value) }
        : { ...v, points: v.points.map(([t, x]): [number, number | null] => [t, at(x)]) }
    ),
  };
}

// Math: numbers, $REF variables, unary minus and !, and the binary operators of mathexp's parser by precedence.
const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};

type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'var'; name: string }
  | { kind: 'unary'; op: string; arg: MathNode }
  | { kind: 'binary'; op: string; left: MathNode; right: MathNode };

function tokenize(text: string): string[] {
  const tokens = text.match(/\$\{?\w+\}?|\d+(?:\.\d+)?(?:e[-+]?\d+)?|\|\||&&|==|!=|>=|<=|[-+*/%<>()!]/gi);
  if (!tokens || tokens.join('') !== text.replace(/\s+/g, '')) throw new SseError(`cannot parse math "${text}"`);
  return tokens;
}

function parseMath(text: string): MathNode {
  const tokens = tokenize(text);
  let pos = 0;
  const primary = (): MathNode => {
    const token = tokens[pos++];
    if (token === undefined) throw new SseError(`math "${text}" ends early`);
    if (token === '(') {
      const inner = expression(0);
      if (tokens[pos++] !== ')') throw new SseError(`math "${text}": missing )`);
      return inner;
    }
    if (token === '-' || token === '!') return { kind: 'unary', op: token, arg: primary() };
    if (token.startsWith('$')) return { kind: 'var', name: token.replace(/[${}]/g, '') };
    const value = Number(token);
    if (Number.isNaN(value)) throw new SseError(`math "${text}": unexpected ${token}`);
    return { kind: 'number', value };
  };
  const expression = (min: number): MathNode => {
    let left = primary();
    for (;;) {
      const op = tokens[pos];
      const precedence = op === undefined ? undefined : BINARY_PRECEDENCE[op];
      if (op === undefined || precedence === undefined || precedence <= min) return left;
      pos++;
      left = { kind: 'binary', op, left, right: expression(precedence) };
    }
  };
  const tree = expression(0);
  if (pos !== tokens.length) throw new SseError(`math "${text}": unexpected ${tokens[pos] ?? ''}`);
  return tree;
}

/** The variables a math expression reads. */
export function mathVariables(text: string): string[] {
  const out: string[] = [];
  const walk = (n: MathNode) => {
    if (n.kind === 'var') out.push(n.name);
    if (n.kind === 'unary') walk(n.arg);
    if (n.kind === 'binary') {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(parseMath(text));
  return out;
}

function binaryOp(op: string, a: number, b: number): number {
  if (op === '||' && a !== 0) return 1;
  if (op === '&&' && a === 0) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  const flag = (x: boolean) => (x ? 1 : 0);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '==':
      return flag(a === b);
    case '!=':
      return flag(a !== b);
    case '>':
      return flag(a > b);
    case '<':
      return flag(a < b);
    case '>=':
      return flag(a >= b);
    case '<=':
      return flag(a <= b);
    case '||':
      return flag(a !== 0 || b !== 0);
    case '&&':
      return flag(a !== 0 && b !== 0);
    default:
      throw new SseError(`expr: unknown operator ${op}`);
  }
}

const labelCount = (l: Labels) => Object.keys(l).length;
/** Every label of `inner` is in `outer` with the same value. */
const contains = (outer: Labels, inner: Labels) => Object.entries(inner).every(([k, v]) => outer[k] === v);
const sameLabels = (a: Labels, b: Labels) => labelCount(a) === labelCount(b) && contains(a, b);

type Operand = { labels: Labels; value: number | null };

/** mathexp's `union` on numbers (series are not combined by the provisioned rules). */
function union(a: readonly Operand[], b: readonly Operand[]): Array<{ labels: Labels; a: Operand; b: Operand }> {
  const out: Array<{ labels: Labels; a: Operand; b: Operand }> = [];
  for (const x of a) {
    for (const y of b) {
      let labels: Labels;
      if (sameLabels(x.labels, y.labels) || labelCount(x.labels) === 0 || labelCount(y.labels) === 0)
        labels = labelCount(x.labels) === 0 ? y.labels : x.labels;
      else if (labelCount(x.labels) === labelCount(y.labels)) continue;
      else if (contains(x.labels, y.labels)) labels = x.labels;
      else if (contains(y.labels, x.labels)) labels = y.labels;
      else continue;
      out.push({ labels, a: x, b: y });
    }
  }
  const [onlyA] = a;
  const [onlyB] = b;
  if (out.length === 0 && a.length === 1 && b.length === 1 && onlyA && onlyB)
    out.push({ labels: {}, a: onlyA, b: onlyB });
  return out;
}

function evaluateMath(text: string, vars: ReadonlyMap<string, SseResult>): SseResult {
  let noData = false;
  const walk = (n: MathNode): Operand[] => {
    switch (n.kind) {
      case 'number':
        return [{ labels: {}, value: n.value }];
      case 'var': {
        const result = vars.get(n.name);
        if (!result) throw new SseError(`math: no result for $${n.name}`);
        if (result.noData) noData = true;
        return result.values.map((v) => {
          if (v.kind === 'series') throw new SseError(`math: $${n.name} is a time series; reduce it first`);
          return { labels: v.labels, value: v.value };
        });
      }
      case 'unary':
        return walk(n.arg).map((o) => ({
          labels: o.labels,
          value: o.value === null ? null : n.op === '-' ? -o.value : o.value === 0 ? 1 : 0,
        }));
      case 'binary':
        return union(walk(n.left), walk(n.right)).map(({ labels, a, b }) => ({
          labels,
          value: a.value === null || b.value === null ? null : binaryOp(n.op, a.value, b.value),
        }));
    }
  };
  const values = walk(parseMath(text)).map((o): SseValue => ({ kind: 'number', ...o }));
  return { noData: noData && values.length === 0, values };
}

export interface RuleQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange?: { from: number; to: number };
  model: Record<string, unknown>;
}

export interface RuleSpec {
  title: string;
  condition: string;
  data: readonly RuleQuery[];
}

export const EXPRESSION_DATASOURCE = '__expr__';

/** Runs a rule's expressions over its data queries' results, in the order Grafana's rule editor lists them. */
export function evaluateExpressions(rule: RuleSpec, queryResults: ReadonlyMap<string, SseResult>) {
  const vars = new Map(queryResults);
  for (const step of rule.data) {
    if (step.datasourceUid !== EXPRESSION_DATASOURCE) continue;
    const model = step.model;
    switch (model.type) {
      case 'threshold': {
        const input = vars.get(String(model.expression));
        if (!input) throw new SseError(`${step.refId}: no result for ${String(model.expression)}`);
        const conditions = model.conditions as Array<{ evaluator: { type: string; params: number[] } }>;
        if (conditions.length !== 1) throw new SseError('threshold expression requires exactly one condition');
        const [{ evaluator }] = conditions as [{ evaluator: { type: string; params: number[] } }];
        vars.set(step.refId, threshold(input, evaluator.type, evaluator.params));
        break;
      }
      case 'math':
        vars.set(step.refId, evaluateMath(String(model.expression), vars));
        break;
      default:
        throw new SseError(`${step.refId}: expression type ${String(model.type)} is not restated here`);
    }
  }
  return vars;
}

export type AlertState = 'Alerting' | 'Normal' | 'NoData';

export interface AlertInstance {
  labels: Labels;
  state: AlertState;
  /** `$values.<refId>.Value` of the instance: every refId's number whose labels match the instance's. */
  values: Record<string, number | null>;
}

/** The rule's alert instances from its condition, as ngalert's evaluation reads them. */
export function alertInstances(rule: RuleSpec, vars: ReadonlyMap<string, SseResult>): AlertInstance[] {
  const condition = vars.get(rule.condition);
  if (!condition) throw new SseError(`condition ${rule.condition} has no result`);
  if (condition.noData && condition.values.length === 0) return [];
  const seen = new Set<string>();
  return condition.values.map((v) => {
    if (v.kind === 'series')
      throw new SseError(
        'invalid format of evaluation results: looks like time series data, only reduced data can be alerted on'
      );
    const key = JSON.stringify(Object.entries(v.labels).sort());
    if (seen.has(key)) throw new SseError(`frame cannot uniquely be identified by its labels: duplicate ${key}`);
    seen.add(key);
    const values: Record<string, number | null> = {};
    for (const [refId, result] of vars) {
      const match = result.values.find(
        (x): x is SseNumber => x.kind === 'number' && (contains(v.labels, x.labels) || contains(x.labels, v.labels))
      );
      if (match) values[refId] = match.value;
    }
    const state: AlertState = v.value === null ? 'NoData' : v.value === 0 ? 'Normal' : 'Alerting';
    return { labels: v.labels, state, values };
  });
}

/** The `$values.<refId>` a rule's annotations read. */
export function templateValueRefs(annotations: Readonly<Record<string, string>>): string[] {
  return [...new Set([...JSON.stringify(annotations).matchAll(/\$values\.(\w+)/g)].map((m) => m[1] ?? ''))];
}
