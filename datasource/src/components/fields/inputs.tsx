import { Combobox, Input, InlineSwitch, MultiCombobox, RadioButtonGroup } from '@grafana/ui';
import type { ChangeEvent, FormEvent } from 'react';
import { sameValues, uniqueValues, useDistinctChange } from './pickerChange';

interface TextProps {
  id: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  onBlur: () => void;
  invalid?: boolean;
  placeholder?: string;
  width?: number;
}

/** Free text; the query runs when the field loses focus, not on every keystroke. */
export function TextInput({ id, value, onChange, onBlur, invalid, placeholder, width }: TextProps) {
  return (
    <Input
      id={id}
      value={value ?? ''}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.currentTarget.value)}
      onBlur={onBlur}
      invalid={invalid}
      placeholder={placeholder}
      width={width ?? 32}
    />
  );
}

interface NumberProps {
  id: string;
  value?: number;
  onChange: (value: number | undefined) => void;
  onBlur: () => void;
  invalid?: boolean;
  placeholder?: string;
  step?: number;
}

/** A number, empty meaning "the proxy's default". */
export function NumberInput({ id, value, onChange, onBlur, invalid, placeholder, step }: NumberProps) {
  const parse = (text: string) => {
    const n = Number(text);
    return text.trim() === '' || !Number.isFinite(n) ? undefined : n;
  };
  return (
    <Input
      id={id}
      type="number"
      step={step}
      value={value ?? ''}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(parse(e.currentTarget.value))}
      onBlur={onBlur}
      invalid={invalid}
      placeholder={placeholder ?? 'default'}
      width={16}
    />
  );
}

interface OptionProps<T extends string> {
  id: string;
  options: ReadonlyArray<{ label: string; value: T; description?: string }>;
  value?: T;
  onChange: (value: T | undefined) => void;
  placeholder?: string;
  invalid?: boolean;
}

/** One value from a fixed list; clearing returns to the proxy's default. */
export function OptionPicker<T extends string>({ id, options, value, onChange, placeholder, invalid }: OptionProps<T>) {
  const change = useDistinctChange(value, onChange);
  return (
    <Combobox<T>
      id={id}
      options={[...options]}
      value={value ?? null}
      isClearable
      onChange={(option) => change(option?.value)}
      placeholder={placeholder ?? 'default'}
      invalid={invalid}
      width={24}
    />
  );
}

interface OptionsProps<T extends string> {
  id: string;
  options: ReadonlyArray<{ label: string; value: T }>;
  values: T[];
  onChange: (values: T[]) => void;
  placeholder?: string;
  invalid?: boolean;
}

/** Several values from a fixed list. */
export function OptionsPicker<T extends string>({
  id,
  options,
  values,
  onChange,
  placeholder,
  invalid,
}: OptionsProps<T>) {
  const change = useDistinctChange(values, onChange, sameValues);
  return (
    <MultiCombobox<T>
      id={id}
      options={[...options]}
      value={values}
      onChange={(selected) => change(uniqueValues(selected))}
      placeholder={placeholder ?? 'default'}
      invalid={invalid}
      width="auto"
      minWidth={24}
      maxWidth={80}
    />
  );
}

interface ListProps {
  id: string;
  values: string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  invalid?: boolean;
}

/** A free list of names (run ids, MLflow metric names); type a value and press Enter to add it. */
export function ListInput({ id, values, onChange, placeholder, invalid }: ListProps) {
  const change = useDistinctChange(values, onChange, sameValues);
  return (
    <MultiCombobox
      id={id}
      options={values.map((v) => ({ label: v, value: v }))}
      value={values}
      createCustomValue
      onChange={(selected) => change(uniqueValues(selected))}
      placeholder={placeholder ?? 'type and press Enter'}
      invalid={invalid}
      width="auto"
      minWidth={32}
      maxWidth={80}
    />
  );
}

interface ChoiceProps<T extends string> {
  options: ReadonlyArray<{ label: string; value: T }>;
  value: T;
  onChange: (value: T) => void;
}

/** A small set of exclusive choices as buttons. */
export function Choice<T extends string>({ options, value, onChange }: ChoiceProps<T>) {
  return <RadioButtonGroup<T> options={[...options]} value={value} onChange={onChange} size="sm" />;
}

interface SwitchProps {
  id: string;
  value: boolean;
  onChange: (value: boolean) => void;
}

export function Switch({ id, value, onChange }: SwitchProps) {
  return (
    <InlineSwitch
      id={id}
      value={value}
      onChange={(e: FormEvent<HTMLInputElement>) => onChange(e.currentTarget.checked)}
    />
  );
}
