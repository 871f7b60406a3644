import type { RowError } from '@mlsight/contract';
import { inferFeatureKind, InsufficientDataError } from '../stats';
import { countIndex, FINE_BINS, quantileEdges, SCORE_EDGES } from './binning';
import type {
  CategoricalProfile,
  ColumnProfile,
  FeatureKind,
  NumericProfile,
  ReferenceProfile,
  SketchRole,
} from './types';
import { runSteps, runStepsInSlices, type Steps } from './steps';
import type { ReferenceRowInput } from './validate';

/** Marker of a missing value after a kind check. */
export const MISSING = Symbol('missing');

/** A client error of a whole request (HTTP status + message), as opposed to a bad row. */
export class StoreRequestError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409 | 413 | 422,
    message: string
  ) {
    super(message);
    this.name = 'StoreRequestError';
  }
}

/**
 * A reference column's kind by the one rule of the drift statistics ({@link inferFeatureKind}, Evidently's).
 * @returns undefined when the column has no non-missing value
 */
export function inferKind(values: readonly unknown[]): FeatureKind | undefined {
  try {
    return inferFeatureKind(values);
  } catch (err) {
    if (err instanceof InsufficientDataError) return undefined;
    throw err;
  }
}

/**
 * Checks a value against a kind: numeric takes finite numbers; categorical takes strings, finite numbers and
 * booleans, compared as their string form.
 * @returns the normalised value, MISSING, or an error text (a bare reason, without the field name)
 */
export function normaliseValue(
  kind: FeatureKind,
  value: unknown
): number | string | typeof MISSING | { error: string } {
  if (value === null || value === undefined) return MISSING;
  if (kind === 'numeric') {
    if (typeof value === 'number') return Number.isFinite(value) ? value : { error: 'not a finite number' };
    return { error: `expected a number (kind numeric), got ${typeof value}` };
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : { error: 'not a finite number' };
  return { error: `expected a string (kind categorical), got ${typeof value}` };
}

/** Numeric columns with at most this many distinct values keep their value counts (Evidently bins those apart). */
export const VALUE_COUNTS_LIMIT = 20;

function valueCounts(sorted: Float64Array, limit: number): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] === v) last[1]++;
    else if (out.length === limit) return null;
    else out.push([v, 1]);
  }
  return out;
}

function profileNumeric(values: number[], missing: number): NumericProfile {
  const sorted = Float64Array.from(values).sort();
  const edges = quantileEdges(sorted, FINE_BINS);
  const counts = new Array<number>(FINE_BINS + 2).fill(0);
  let sum = 0;
  let sumSq = 0;
  for (const v of sorted) {
    const i = countIndex(edges, v);
    counts[i] = (counts[i] ?? 0) + 1;
    sum += v;
    sumSq += v * v;
  }
  const mean = sorted.length > 0 ? sum / sorted.length : 0;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) * (v - mean);
  return {
    kind: 'numeric',
    count: sorted.length,
    missing,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    edges,
    counts,
    sum,
    sumSq,
    mean,
    std: sorted.length > 0 ? Math.sqrt(squares / sorted.length) : 0,
    valueCounts: valueCounts(sorted, VALUE_COUNTS_LIMIT),
  };
}

function profileCategorical(values: string[], missing: number): CategoricalProfile {
  const tally = new Map<string, number>();
  for (const v of values) tally.set(v, (tally.get(v) ?? 0) + 1);
  const categories = [...tally.keys()].sort();
  return {
    kind: 'categorical',
    count: values.length,
    missing,
    categories,
    counts: categories.map((c) => tally.get(c) ?? 0),
  };
}

/** Profiles one column of normalised values (numbers for numeric, strings for categorical). */
export function profileColumn(
  kind: FeatureKind,
  values: ReadonlyArray<number | string>,
  missing: number
): ColumnProfile {
  return kind === 'numeric'
    ? profileNumeric(
        values.filter((v): v is number => typeof v === 'number'),
        missing
      )
    : profileCategorical(
        values.filter((v): v is string => typeof v === 'string'),
        missing
      );
}

export interface ReferenceBuildOptions {
  kinds?: Record<string, FeatureKind>;
  predictionKind?: FeatureKind;
  labelKind?: FeatureKind;
  maxCategories: number;
}

/** What a reference request yields before it is stored. */
export interface BuiltReference {
  features: Record<string, ColumnProfile>;
  prediction: ColumnProfile | null;
  label: ColumnProfile | null;
  /** The valid rows, normalised, in request order. */
  rows: Array<{
    features: Record<string, number | string | typeof MISSING>;
    prediction: number | string | typeof MISSING;
    label: number | string | typeof MISSING;
  }>;
  errors: RowError[];
  notices: string[];
}

/**
 * Freezes a reference: infers (or takes the overridden) kind of every column, checks each row against the kinds
 * (a row with a value of the wrong type is rejected by index), then profiles the valid rows.
 * @throws StoreRequestError when a categorical column has more categories than allowed, or a column whose kind the
 *   request declares has no value
 */
export function buildReference(inputs: readonly ReferenceRowInput[], opts: ReferenceBuildOptions): BuiltReference {
  return runSteps(buildReferenceSteps(inputs, opts));
}

/** `buildReference` in slices of the event loop, for request handlers (see `runStepsInSlices`). */
export function buildReferenceInSlices(
  inputs: readonly ReferenceRowInput[],
  opts: ReferenceBuildOptions
): Promise<BuiltReference> {
  return runStepsInSlices(buildReferenceSteps(inputs, opts));
}

/** The steps of `buildReference`, with a checkpoint per row and per column. */
function* buildReferenceSteps(
  inputs: readonly ReferenceRowInput[],
  opts: ReferenceBuildOptions
): Steps<BuiltReference> {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of inputs) {
    yield;
    for (const name in row.features) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  const notices: string[] = [];
  const kinds = new Map<string, FeatureKind>();
  for (const name of names) {
    yield;
    const kind = opts.kinds?.[name] ?? inferKind(inputs.map((r) => r.features[name]));
    if (kind) kinds.set(name, kind);
    else notices.push(`feature "${name}" has no value in the reference; it is stored raw but not profiled`);
  }
  for (const name of Object.keys(opts.kinds ?? {})) {
    if (!seen.has(name)) notices.push(`kind override for "${name}" ignored: no row has this feature`);
  }
  const predictionKind = opts.predictionKind ?? inferKind(inputs.map((r) => r.prediction));
  const labelKind = opts.labelKind ?? inferKind(inputs.map((r) => r.label));

  const errors: RowError[] = [];
  const rows: BuiltReference['rows'] = [];
  for (const input of inputs) {
    yield;
    const problems: string[] = [];
    const features: Record<string, number | string | typeof MISSING> = {};
    for (const [name, kind] of kinds) {
      const v = normaliseValue(kind, input.features[name]);
      if (typeof v === 'object') problems.push(`features.${name}: ${v.error}`);
      else features[name] = v;
    }
    const prediction = predictionKind ? normaliseValue(predictionKind, input.prediction) : MISSING;
    if (typeof prediction === 'object') problems.push(`prediction: ${prediction.error}`);
    const label = labelKind ? normaliseValue(labelKind, input.label) : MISSING;
    if (typeof label === 'object') problems.push(`label: ${label.error}`);
    if (problems.length > 0) {
      errors.push({ index: input.index, reason: problems.slice(0, 3).join('; ') });
      continue;
    }
    rows.push({
      features,
      prediction: typeof prediction === 'object' ? MISSING : prediction,
      label: typeof label === 'object' ? MISSING : label,
    });
  }

  const column = (
    kind: FeatureKind,
    values: ReadonlyArray<number | string | typeof MISSING>,
    what: string,
    declaredAs: string | undefined
  ) => {
    const present = values.filter((v): v is number | string => v !== MISSING);
    if (present.length === 0) {
      // A declared kind is a promise of values; an inferred one had values, in rows rejected since (a notice says so).
      if (declaredAs !== undefined && rows.length > 0) {
        throw new StoreRequestError(
          400,
          `${declaredAs}: ${what} is declared ${kind} but has no value in the accepted rows of the reference; ` +
            'send values for it or drop the declaration'
        );
      }
      return null;
    }
    const profile = profileColumn(kind, present, values.length - present.length);
    if (profile.kind === 'categorical' && profile.categories.length > opts.maxCategories) {
      throw new StoreRequestError(
        400,
        `${what} has ${profile.categories.length} distinct values, more than the ${opts.maxCategories} a categorical ` +
          'column may have; declare it numeric (kinds) or leave it out'
      );
    }
    return profile;
  };
  const features: Record<string, ColumnProfile> = {};
  for (const [name, kind] of kinds) {
    yield;
    const profile = column(
      kind,
      rows.map((r) => r.features[name] ?? MISSING),
      `feature "${name}"`,
      opts.kinds?.[name] !== undefined ? `kinds.${name}` : undefined
    );
    if (profile) features[name] = profile;
    else if (rows.length > 0) notices.push(`feature "${name}" has no valid value in the accepted rows; not profiled`);
  }
  const prediction = predictionKind
    ? column(
        predictionKind,
        rows.map((r) => r.prediction),
        'prediction',
        opts.predictionKind !== undefined ? 'prediction_kind' : undefined
      )
    : null;
  const label = labelKind
    ? column(
        labelKind,
        rows.map((r) => r.label),
        'label',
        opts.labelKind !== undefined ? 'label_kind' : undefined
      )
    : null;
  return { features, prediction, label, rows, errors, notices };
}

/** A column of a frozen reference, ready for fast binning. */
export interface FrozenColumn {
  role: SketchRole;
  name: string;
  kind: FeatureKind | null;
  /** Length of the sketch counts. */
  size: number;
  edges: Float64Array | undefined;
  categories: Map<string, number> | undefined;
}

function freezeColumn(role: SketchRole, name: string, profile: ColumnProfile): FrozenColumn {
  if (profile.kind === 'numeric') {
    return {
      role,
      name,
      kind: 'numeric',
      size: profile.edges.length + 1,
      edges: Float64Array.from(profile.edges),
      categories: undefined,
    };
  }
  return {
    role,
    name,
    kind: 'categorical',
    size: profile.categories.length,
    edges: undefined,
    categories: new Map(profile.categories.map((c, i) => [c, i])),
  };
}

export const SCORE_COLUMN: FrozenColumn = {
  role: 'score',
  name: 'score',
  kind: 'numeric',
  size: SCORE_EDGES.length + 1,
  edges: Float64Array.from(SCORE_EDGES),
  categories: undefined,
};

/** Attribution series keep sums only. */
export function attributionColumn(name: string): FrozenColumn {
  return { role: 'attribution', name, kind: null, size: 0, edges: undefined, categories: undefined };
}

/** A reference profile with its columns prepared for binning. */
export class FrozenReference {
  readonly features: FrozenColumn[];
  readonly featureByName: Map<string, FrozenColumn>;
  readonly prediction: FrozenColumn | undefined;
  readonly label: FrozenColumn | undefined;

  constructor(readonly profile: ReferenceProfile) {
    this.features = Object.entries(profile.features).map(([name, p]) => freezeColumn('feature', name, p));
    this.featureByName = new Map(this.features.map((c) => [c.name, c]));
    this.prediction = profile.prediction ? freezeColumn('prediction', 'prediction', profile.prediction) : undefined;
    this.label = profile.label ? freezeColumn('label', 'label', profile.label) : undefined;
  }

  /** The column a sketch series of this reference describes. */
  column(role: SketchRole, name: string): FrozenColumn | undefined {
    switch (role) {
      case 'feature':
        return this.featureByName.get(name);
      case 'prediction':
        return this.prediction;
      case 'label':
        return this.label;
      case 'score':
        return SCORE_COLUMN;
      case 'attribution':
        return attributionColumn(name);
    }
  }
}
