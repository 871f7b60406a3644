import type { DataSource } from '../../datasource';
import { setField, type FieldName, type FieldValues } from '../../queryModel';
import type { MLSightDataQuery } from '../../types';

/** What every per-type editor receives from the QueryEditor shell. */
export interface TypeEditorProps {
  query: MLSightDataQuery;
  onChange: (query: MLSightDataQuery) => void;
  onRunQuery: () => void;
  datasource: DataSource;
  /** Validation message per field, from the contract's schema. */
  errors: Partial<Record<string, string>>;
}

export interface FieldBinding {
  /** Update the query (text inputs: the query runs on blur). */
  change: <K extends FieldName>(key: K, value: FieldValues[K] | undefined) => void;
  /** Update the query and run it (pickers, switches). */
  commit: <K extends FieldName>(key: K, value: FieldValues[K] | undefined) => void;
  error: (key: FieldName) => string | undefined;
  /** DOM id of a field's input, unique per query row. */
  id: (key: string) => string;
}

export function bindFields(props: TypeEditorProps): FieldBinding {
  const { query, onChange, onRunQuery, errors } = props;
  return {
    change: (key, value) => onChange(setField(query, key, value)),
    commit: (key, value) => {
      onChange(setField(query, key, value));
      onRunQuery();
    },
    error: (key) => errors[key],
    id: (key) => `mlsight-${query.refId}-${key}`,
  };
}
