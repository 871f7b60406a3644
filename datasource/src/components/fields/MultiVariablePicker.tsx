import { MultiCombobox, type ComboboxOption } from '@grafana/ui';
import type { VariableKind } from '@mlsight/contract';
import { useCallback } from 'react';
import type { DataSource } from '../../datasource';
import { sameValues, uniqueValues, useDistinctChange } from './pickerChange';

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
  const change = useDistinctChange(values, onChange, sameValues);
  return (
    <MultiCombobox<string>
      id={id}
      options={loadOptions}
      value={values.map((v) => ({ label: v, value: v }))}
      onChange={(options) => change(uniqueValues(options))}
      createCustomValue
      invalid={invalid}
      placeholder={placeholder ?? `All ${kind}`}
      width="auto"
      minWidth={32}
      maxWidth={80}
    />
  );
}
