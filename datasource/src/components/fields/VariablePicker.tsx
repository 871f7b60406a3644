import { Combobox, type ComboboxOption } from '@grafana/ui';
import type { VariableKind } from '@mlsight/contract';
import { useCallback, useMemo } from 'react';
import type { DataSource } from '../../datasource';
import { useDistinctChange, whenPicked } from './pickerChange';

interface Props {
  id: string;
  kind: VariableKind;
  datasource: DataSource;
  value?: string;
  /** Model scoping versions, aliases, features and segments. */
  model?: string;
  onChange: (value: string | undefined) => void;
  clearable?: boolean;
  invalid?: boolean;
  placeholder?: string;
  width?: number;
}

/**
 * A single-value picker fed by `GET /api/v1/variables/{kind}` (searched as the user types), with dashboard
 * variables offered too and free text allowed (a name the proxy does not list yet, or `$variable`).
 */
export function VariablePicker({
  id,
  kind,
  datasource,
  value,
  model,
  onChange,
  clearable,
  invalid,
  placeholder,
  width,
}: Props) {
  const loadOptions = useCallback(
    (search: string): Promise<Array<ComboboxOption<string>>> => datasource.getPickerOptions(kind, { model, search }),
    [datasource, kind, model]
  );
  // One option object per value: with async options the Combobox hands this object to downshift as the selected
  // item, and a new object on a host re-render (e.g. when query results arrive) resets the text being typed.
  const selected = useMemo(() => (value ? { label: value, value } : null), [value]);
  const change = useDistinctChange(value, onChange);
  const common = {
    id,
    options: loadOptions,
    value: selected,
    createCustomValue: true,
    invalid,
    placeholder: placeholder ?? `Choose ${kind}`,
    width: width ?? 32,
  };
  if (clearable) {
    return <Combobox {...common} isClearable onChange={(option) => change(option?.value)} />;
  }
  return <Combobox {...common} onChange={whenPicked(change)} />;
}
