import type { FeatureKind } from '@mlsight/contract';
import { InsufficientDataError, InvalidInputError } from '../errors';
import type { Matrix } from './pca';

/** One value of a table cell: a number, a category (compared as text), or missing. */
export type CellValue = number | string | boolean | null | undefined;

/** Columns of equal length, one per feature: the layout the store reads reference and window rows in. */
export interface Table {
  features: readonly string[];
  kinds: readonly FeatureKind[];
  /** `columns[f][row]`. */
  columns: ReadonlyArray<ReadonlyArray<CellValue>>;
  rows: number;
}

/** How one column becomes one number: imputation, count encoding and standard scaling fitted on the reference. */
type ColumnEncoding =
  | { kind: 'numeric'; imputed: number; mean: number; scale: number }
  | { kind: 'categorical'; imputed: string; frequencies: ReadonlyMap<string, number>; mean: number; scale: number };

/** A fitted encoding: every table with the same features becomes a standardised numeric matrix. */
export interface TabularEncoding {
  features: readonly string[];
  columns: readonly ColumnEncoding[];
}

const numberOf = (v: CellValue): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const categoryOf = (v: CellValue): string | undefined =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? undefined : String(v);

/** The mean of the non-missing numbers (scikit-learn's `SimpleImputer(strategy="mean")`). */
function imputedMean(name: string, values: ReadonlyArray<CellValue>): number {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    const x = numberOf(v);
    if (x === undefined) continue;
    sum += x;
    count++;
  }
  if (count === 0) throw new InsufficientDataError('fitTabularEncoding', `feature "${name}" has no reference values`);
  return sum / count;
}

/** The most frequent category, the smallest on a tie (scikit-learn's `SimpleImputer(strategy="most_frequent")`). */
function imputedMode(name: string, values: ReadonlyArray<CellValue>): string {
  const counts = new Map<string, number>();
  for (const v of values) {
    const c = categoryOf(v);
    if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [c, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== undefined && c < best)) {
      best = c;
      bestCount = n;
    }
  }
  if (best === undefined)
    throw new InsufficientDataError('fitTabularEncoding', `feature "${name}" has no reference values`);
  return best;
}

/**
 * Whether a column's variance is rounding noise, so scaling keeps it unscaled (scikit-learn's
 * `_is_constant_feature`: var ≤ n·ε·var + (n·mean·ε)²).
 */
function isConstant(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return variance <= n * eps * variance + (n * mean * eps) ** 2;
}

/** Mean and population standard deviation (scikit-learn's `StandardScaler`: divisor n; scale 1 for a constant). */
function scalingOf(values: Float64Array): { mean: number; scale: number } {
  const n = values.length;
  let sum = 0;
  for (const x of values) sum += x;
  const mean = sum / n;
  let squares = 0;
  for (const x of values) squares += (x - mean) ** 2;
  const variance = squares / n;
  return { mean, scale: isConstant(variance, mean, n) ? 1 : Math.sqrt(variance) };
}

/** The raw (unscaled) number of one cell under a column's imputation and count encoding. */
function rawNumber(column: ColumnEncoding, value: CellValue): number {
  if (column.kind === 'numeric') return numberOf(value) ?? column.imputed;
  const category = categoryOf(value) ?? column.imputed;
  // A category the reference never had counts 0 times (category_encoders' CountEncoder, handle_unknown="value").
  return column.frequencies.get(category) ?? 0;
}

function checkTable(fn: string, table: Table): void {
  if (table.kinds.length !== table.features.length || table.columns.length !== table.features.length) {
    throw new InvalidInputError(fn, 'features, kinds and columns differ in length');
  }
  for (let f = 0; f < table.columns.length; f++) {
    if ((table.columns[f] as ReadonlyArray<CellValue>).length !== table.rows) {
      throw new InvalidInputError(fn, `column "${table.features[f]}" has not ${table.rows} rows`);
    }
  }
}

/**
 * Fits NannyML's preprocessing of the data reconstruction drift calculator on a reference table: missing numbers
 * imputed with the reference mean, missing categories with the most frequent one; each category replaced by its
 * share of the (imputed) reference rows (category_encoders' `CountEncoder(normalize=True)`); then every column
 * standardised with the reference mean and population standard deviation (`StandardScaler`).
 *
 * Reference: NannyML 0.13, `nannyml/drift/multivariate/data_reconstruction/calculator.py` (`_fit`).
 *
 * @throws InsufficientDataError when the table has no rows or a feature has no value at all
 * @throws InvalidInputError when the table's arrays differ in length
 */
export function fitTabularEncoding(reference: Table): TabularEncoding {
  checkTable('fitTabularEncoding', reference);
  if (reference.rows === 0) throw new InsufficientDataError('fitTabularEncoding', 'the reference has no rows');
  const columns = reference.features.map((name, f): ColumnEncoding => {
    const values = reference.columns[f] as ReadonlyArray<CellValue>;
    let provisional: ColumnEncoding;
    if (reference.kinds[f] === 'numeric') {
      provisional = { kind: 'numeric', imputed: imputedMean(name, values), mean: 0, scale: 1 };
    } else {
      const imputed = imputedMode(name, values);
      const counts = new Map<string, number>();
      for (const v of values) {
        const c = categoryOf(v) ?? imputed;
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      const frequencies = new Map([...counts].map(([c, n]) => [c, n / reference.rows]));
      provisional = { kind: 'categorical', imputed, frequencies, mean: 0, scale: 1 };
    }
    const raw = Float64Array.from(values, (v) => rawNumber(provisional, v));
    return { ...provisional, ...scalingOf(raw) };
  });
  return { features: [...reference.features], columns };
}

/**
 * A table as the fitted encoding's standardised matrix (rows × features, in the encoding's feature order).
 * @throws InvalidInputError when the table's features differ from the encoding's
 */
export function encodeTable(encoding: TabularEncoding, table: Table): Matrix {
  checkTable('encodeTable', table);
  const d = encoding.features.length;
  if (table.features.length !== d || table.features.some((f, i) => f !== encoding.features[i])) {
    throw new InvalidInputError('encodeTable', `needs the features ${encoding.features.join(', ')} in that order`);
  }
  const data = new Float64Array(table.rows * d);
  for (let f = 0; f < d; f++) {
    const column = encoding.columns[f] as ColumnEncoding;
    const values = table.columns[f] as ReadonlyArray<CellValue>;
    for (let i = 0; i < table.rows; i++) data[i * d + f] = (rawNumber(column, values[i]) - column.mean) / column.scale;
  }
  return { rows: table.rows, columns: d, data };
}
