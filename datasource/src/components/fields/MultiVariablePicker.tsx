import { MultiCombobox, type ComboboxOption } from '@grafana/ui';
import type { VariableKind } from '@mlsight/contract';
import { useCallback } from 'react';
import type { DataSource } from '../../datasource';

interface Props {
  id: string;
  kind: VariableKind;
  datasource: DataSource;
  values: string[];
  model?: string;
  onChange: (values: string[]) => void;
  invalid?: boolean;
  placeholder?: string;
}

/** A multi-value picker fed by the variables API (e.g. features); `$variable` entries expand at query time. */
export function MultiVariablePicker({ id, kind, datasource, values, model, onChange, invalid, placeholder }: Props) {
  const loadOptions = useCallback(
    (search: string): Promise<Array<ComboboxOption<string>>> => datasource.getPickerOptions(kind, { model, search }),
    [datasource, kind, model]
  );
  return (
    <MultiCombobox<string>
      id={id}
      options={loadOptions}
      value={values.map((v) => ({ label: v, value: v }))}
      onChange={(options) => onChange(options.map((o) => o.value))}
      createCustomValue
      invalid={invalid}
      placeholder={placeholder ?? `All ${kind}`}
      width="auto"
      minWidth={32}
      maxWidth={80}
    />
  );
}
