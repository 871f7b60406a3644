import { encodeDict, encodeF64, encodeJson, encodeUsedDict } from './columns';
import type { ChunkColumn } from './chunks';
import { idHash as idHashImport } from './hash';
import { attributionColumn, type FrozenColumn, type FrozenReference, SCORE_COLUMN } from './profile';
import type { GroupSketches } from './sketchBatch';
import { describe, isFeatureValue, type PredictionInput } from './validate';

// Bound once: under tsx/esbuild an imported function is read through a getter at every call (once per row here).
const idHash = idHashImport;

/** Codes of a categorical column: the reference's categories first (code = category index), unseen ones after. */
export class CategoryCodes {
  readonly names: string[];
  private readonly index: Map<string, number>;
  readonly known: number;

  constructor(column: FrozenColumn) {
    this.index = new Map(column.categories ?? []);
    this.names = [...this.index.keys()];
    this.known = this.names.length;
  }

  code(name: string): number {
    let code = this.index.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.names.push(name);
      this.index.set(name, code);
    }
    return code;
  }
}

type ValueColumn =
  | { kind: 'numeric'; column: FrozenColumn; values: Float64Array }
  | { kind: 'categorical'; column: FrozenColumn; codes: Int32Array; dict: CategoryCodes };

function valueColumn(column: FrozenColumn, capacity: number): ValueColumn {
  return column.kind === 'numeric'
    ? { kind: 'numeric', column, values: new Float64Array(capacity) }
    : { kind: 'categorical', column, codes: new Int32Array(capacity), dict: new CategoryCodes(column) };
}

/**
 * Writes a value into a column at `pos`, checked against the column's kind.
 * @returns an error text (without the field name) when the value has the wrong type
 */
function put(target: ValueColumn, pos: number, v: unknown): string | undefined {
  if (target.kind === 'numeric') {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'not a finite number';
      target.values[pos] = v;
    } else if (v === null || v === undefined) target.values[pos] = Number.NaN;
    else return `expected a number (kind numeric), got ${typeof v}`;
    return undefined;
  }
  let name: string;
  if (typeof v === 'string') name = v;
  else if (v === null || v === undefined) {
    target.codes[pos] = -1;
    return undefined;
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'not a finite number';
    name = String(v);
  } else if (typeof v === 'boolean') name = String(v);
  else return `expected a string (kind categorical), got ${typeof v}`;
  target.codes[pos] = target.dict.code(name);
  return undefined;
}

export interface RowProblems {
  problems: string[];
  /** Reference feature indexes whose value had the wrong type. */
  typeErrorFeatures: number[];
}

/**
 * The accepted prediction rows of one (reference, version) group, column by column: each feature value is checked
 * against its frozen kind and written straight into a typed array. Chunks and sketches are then built by walking
 * columns, never row objects.
 */
export class PredictionBatch {
  readonly inputs: PredictionInput[] = [];
  readonly hashes: number[] = [];
  readonly ts: Float64Array;
  readonly features: ValueColumn[];
  readonly prediction: ValueColumn | undefined;
  /** Predictions without a reference profile, kept as sent. */
  readonly loosePredictions: unknown[] = [];
  readonly scores: Float64Array;
  private readonly hasExtras: Uint8Array;
  private readonly columnOf: Map<string, number>;
  private vectorScores = false;
  length = 0;

  constructor(
    readonly reference: FrozenReference,
    readonly version: string,
    capacity: number
  ) {
    this.ts = new Float64Array(capacity);
    this.scores = new Float64Array(capacity);
    this.hasExtras = new Uint8Array(capacity);
    this.features = reference.features.map((c) => valueColumn(c, capacity));
    this.columnOf = new Map(reference.features.map((c, i) => [c.name, i]));
    this.prediction = reference.prediction ? valueColumn(reference.prediction, capacity) : undefined;
  }

  /** Adds a row whose values fit the reference kinds. @returns its problems instead when some do not */
  tryAdd(input: PredictionInput): RowProblems | undefined {
    const pos = this.length;
    const features = input.features;
    let problems: RowProblems | undefined;
    let present = 0;
    for (let c = 0; c < this.features.length; c++) {
      const target = this.features[c];
      if (!target) continue;
      const v = features[target.column.name];
      if (v !== undefined) present++;
      if (target.kind === 'numeric' && typeof v === 'number' && v - v === 0) {
        target.values[pos] = v;
        continue;
      }
      const error = put(target, pos, v);
      if (error) {
        problems ??= { problems: [], typeErrorFeatures: [] };
        problems.problems.push(`features.${target.column.name}: ${error}`);
        problems.typeErrorFeatures.push(c);
      }
    }
    // Features the reference does not profile are kept as sent, but must still be plain values. (Counting keys with
    // for-in allocates nothing, unlike Object.keys, once per row.)
    let keys = 0;
    for (const _name in features) keys++;
    const extras = keys > present;
    if (extras) {
      for (const name in features) {
        if (this.columnOf.has(name)) continue;
        const v = features[name];
        if (name.length === 0 || name.length > 256) {
          problems ??= { problems: [], typeErrorFeatures: [] };
          problems.problems.push('features: names must have 1 to 256 characters');
        } else if (!isFeatureValue(v)) {
          problems ??= { problems: [], typeErrorFeatures: [] };
          problems.problems.push(`features.${name}: expected a number, string, boolean or null, got ${describe(v)}`);
        }
      }
    }
    if (this.prediction) {
      const error = put(this.prediction, pos, input.prediction);
      if (error) {
        problems ??= { problems: [], typeErrorFeatures: [] };
        problems.problems.push(`prediction: ${error}`);
      }
    }
    if (problems) return problems;
    if (!this.prediction) this.loosePredictions[pos] = input.prediction ?? null;
    const score = input.score;
    if (typeof score === 'number') this.scores[pos] = score;
    else {
      this.scores[pos] = Number.NaN;
      if (score !== null) this.vectorScores = true;
    }
    this.hasExtras[pos] = extras ? 1 : 0;
    this.ts[pos] = input.ts;
    this.inputs[pos] = input;
    this.hashes[pos] = idHash(input.id);
    this.length++;
    return undefined;
  }

  /** Positions of rows in time order (stable), restricted to `keep`. */
  timeOrder(keep: readonly number[]): Int32Array {
    const order = Int32Array.from(keep);
    let sorted = true;
    for (let i = 1; i < order.length && sorted; i++) {
      if ((this.ts[order[i] ?? 0] ?? 0) < (this.ts[order[i - 1] ?? 0] ?? 0)) sorted = false;
    }
    if (!sorted) {
      const positions = Array.from(order).sort((a, b) => (this.ts[a] ?? 0) - (this.ts[b] ?? 0) || a - b);
      order.set(positions);
    }
    return order;
  }

  /** The stored columns of rows `order[start…end)` (see `chunks.ts` for the layout). */
  chunkColumns(order: Int32Array, start: number, end: number): ChunkColumn[] {
    const n = end - start;
    const rows = order.subarray(start, end);
    const out: ChunkColumn[] = [];
    const gatherF64 = (source: Float64Array) => {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = source[rows[i] ?? 0] ?? Number.NaN;
      return values;
    };
    const gatherCodes = (source: Int32Array) => {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = source[rows[i] ?? 0] ?? -1;
      return codes;
    };
    const inputAt = (i: number) => this.inputs[rows[i] ?? 0];

    out.push({ role: 'meta', name: 'id', ...encodeJson(Array.from(rows, (p) => this.inputs[p]?.id ?? '')) });
    out.push({ role: 'meta', name: 'ts', ...encodeF64(gatherF64(this.ts)) });
    out.push({ role: 'meta', name: 'hash', ...encodeF64(Float64Array.from(rows, (p) => this.hashes[p] ?? 0)) });
    const valueColumns = this.prediction ? [...this.features, this.prediction] : this.features;
    for (const target of valueColumns) {
      const { role, name } = target.column;
      if (target.kind === 'numeric') out.push({ role, name, ...encodeF64(gatherF64(target.values)) });
      else out.push({ role, name, ...encodeUsedDict(gatherCodes(target.codes), target.dict.names) });
    }
    if (!this.prediction) {
      const loose = Array.from(rows, (p) => this.loosePredictions[p] ?? null);
      if (loose.some((v) => v !== null)) {
        const numeric = loose.every((v) => v === null || typeof v === 'number');
        const encoded = numeric
          ? encodeF64(Float64Array.from(loose, (v) => (typeof v === 'number' ? v : Number.NaN)))
          : encodeJson(loose);
        out.push({ role: 'prediction', name: 'prediction', ...encoded });
      }
    }

    let anyScore = false;
    let anyVector = false;
    let anyExtras = false;
    for (let i = 0; i < n; i++) {
      const p = rows[i] ?? 0;
      if (!Number.isNaN(this.scores[p] ?? Number.NaN)) anyScore = true;
      else if (this.vectorScores && Array.isArray(this.inputs[p]?.score)) anyVector = true;
      if (this.hasExtras[p]) anyExtras = true;
    }
    if (anyVector)
      out.push({ role: 'score', name: 'score', ...encodeJson(Array.from(rows, (p) => this.inputs[p]?.score ?? null)) });
    else if (anyScore) out.push({ role: 'score', name: 'score', ...encodeF64(gatherF64(this.scores)) });

    if (anyExtras) {
      const extras = Array.from(rows, (p) => {
        const input = this.inputs[p];
        if (!input || !this.hasExtras[p]) return null;
        const out: Record<string, unknown> = {};
        for (const name in input.features)
          if (!this.reference.featureByName.has(name)) out[name] = input.features[name];
        return out;
      });
      out.push({ role: 'extra', name: '', ...encodeJson(extras) });
    }

    const segments = new Map<string, { codes: Int32Array; names: string[]; index: Map<string, number> }>();
    const attributions = new Map<string, Float64Array>();
    for (let i = 0; i < n; i++) {
      const input = inputAt(i);
      if (input?.segment) {
        for (const field in input.segment) {
          const value = input.segment[field];
          if (value === undefined) continue;
          let column = segments.get(field);
          if (!column)
            segments.set(field, (column = { codes: new Int32Array(n).fill(-1), names: [], index: new Map() }));
          let code = column.index.get(value);
          if (code === undefined) {
            code = column.names.length;
            column.names.push(value);
            column.index.set(value, code);
          }
          column.codes[i] = code;
        }
      }
      if (input?.attributions) {
        for (const name in input.attributions) {
          const value = input.attributions[name];
          if (value === undefined) continue;
          let column = attributions.get(name);
          if (!column) attributions.set(name, (column = new Float64Array(n).fill(Number.NaN)));
          column[i] = value;
        }
      }
    }
    for (const [field, column] of segments)
      out.push({ role: 'segment', name: field, ...encodeDict(column.codes, column.names) });
    for (const [name, values] of attributions) out.push({ role: 'attribution', name, ...encodeF64(values) });
    return out;
  }

  /** Adds rows `order` to the group's sketches: features, prediction, score and attributions. */
  sketch(group: GroupSketches, order: Int32Array): void {
    if (order.length === 0) return;
    const slots = group.slotIds(this.ts, order);
    const runs = group.runs(slots);
    const valueColumns = this.prediction ? [...this.features, this.prediction] : this.features;
    for (const target of valueColumns) {
      const id = group.columnId(target.column);
      if (target.kind === 'numeric') group.addNumericColumn(id, target.values, order, slots, runs);
      else group.addCodeColumn(id, target.codes, target.dict.names, order, slots, runs);
    }
    let anyScore = false;
    for (let i = 0; i < order.length && !anyScore; i++)
      anyScore = !Number.isNaN(this.scores[order[i] ?? 0] ?? Number.NaN);
    if (anyScore) group.addNumericColumn(group.columnId(SCORE_COLUMN), this.scores, order, slots, runs);
    for (let i = 0; i < order.length; i++) {
      const input = this.inputs[order[i] ?? 0];
      if (!input?.attributions) continue;
      group.at(input.ts);
      for (const name in input.attributions) {
        const value = input.attributions[name];
        if (value !== undefined) group.add(group.columnId(attributionColumn(name)), value);
      }
    }
  }
}
