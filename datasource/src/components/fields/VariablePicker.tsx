import { Combobox, type ComboboxOption } from '@grafana/ui';
import type { VariableKind } from '@mlsight/contract';
import { useCallback, useMemo } from 'react';
import type { DataSource } from '../../datasource';

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
  // A stable value: a fresh option object on every render makes @grafana/ui 12.0's Combobox re-select and call
  // onChange again, in a loop.
  const selected = useMemo(() => (value ? { label: value, value } : null), [value]);
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
    return <Combobox {...common} isClearable onChange={(option) => onChange(option?.value)} />;
  }
  return <Combobox {...common} onChange={(option) => onChange(option.value)} />;
}
