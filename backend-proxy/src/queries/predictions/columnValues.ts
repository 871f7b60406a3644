import type { FeatureKind, FieldType } from '@mlsight/contract';
import type { StoredValue } from '../../store';

/** A stored cell as the store hands it back: a scalar, or a vector (class scores, multi-output predictions). */
export type StoredCell = StoredValue | number[] | undefined;

export interface TableColumn {
  type: FieldType;
  values: Array<number | string | null>;
}

const isNumber = (v: StoredCell): v is number => typeof v === 'number' && Number.isFinite(v);

function asText(v: StoredCell): string | null {
  if (v === null || v === undefined) return null;
  // A vector keeps its shape in the table ("[0.1,0.9]") rather than losing all but one entry.
  return Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/**
 * One table column of stored cells with the field type its kind calls for: numbers for a numeric column (a stored
 * non-number, e.g. a type error, is null), text for a categorical one. Without a kind (a reference without that
 * column) the cells decide: number when every present cell is a finite number, else text.
 */
export function tableColumn(cells: readonly StoredCell[], kind: FeatureKind | undefined): TableColumn {
  const numeric =
    kind === 'numeric' || (kind === undefined && cells.every((c) => c === null || c === undefined || isNumber(c)));
  if (numeric) return { type: 'number', values: cells.map((c) => (isNumber(c) ? c : null)) };
  return { type: 'string', values: cells.map(asText) };
}
