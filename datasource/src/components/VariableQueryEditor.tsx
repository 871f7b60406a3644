import type { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Input, Stack, Text } from '@grafana/ui';
import { VARIABLE_KINDS, VARIABLE_NEEDS_MODEL, type VariableKind } from '@mlsight/contract';
import { useMemo, type ChangeEvent } from 'react';
import type { DataSource } from '../datasource';
import { selectors } from '../selectors';
import type { MLSightDataSourceQuery, MLSightOptions, MLSightVariableQuery } from '../types';
import { formatVariableQuery, parseVariableQuery } from '../variableQuery';
import { useDistinctChange, whenPicked } from './fields/pickerChange';

type Props = QueryEditorProps<DataSource, MLSightDataSourceQuery, MLSightOptions, MLSightVariableQuery>;

const KIND_OPTIONS = VARIABLE_KINDS.map((kind) => ({ label: kind, value: kind }));
const LABEL_WIDTH = 16;

/** Reads what Grafana stored (the object, or the text form from provisioning); starts at "models" otherwise. */
function toVariableQuery(raw: unknown): MLSightVariableQuery {
  try {
    return parseVariableQuery(raw);
  } catch {
    return { refId: 'variable', kind: 'models' };
  }
}

/** Editor of a query variable: which values to list, scoped by model or experiment, optionally filtered. */
export function VariableQueryEditor({ query, onChange, datasource }: Props) {
  const current = useMemo(() => toVariableQuery(query), [query]);
  const s = selectors.variable;
  const set = (patch: Partial<MLSightVariableQuery>) => {
    const next: MLSightVariableQuery = { ...current, ...patch };
    for (const key of ['model', 'experiment', 'search'] as const) {
      if (!next[key]) delete next[key];
    }
    onChange(next);
  };
  const text = (key: 'model' | 'experiment' | 'search') => (e: ChangeEvent<HTMLInputElement>) =>
    set({ [key]: e.currentTarget.value });
  const changeKind = useDistinctChange(current.kind, (kind: VariableKind) => set({ kind }));
  const needsModel = VARIABLE_NEEDS_MODEL[current.kind];

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label={s.kind.label} labelWidth={LABEL_WIDTH} htmlFor={s.kind.id}>
          <Combobox<VariableKind>
            id={s.kind.id}
            options={KIND_OPTIONS}
            value={current.kind}
            onChange={whenPicked(changeKind)}
            width={24}
          />
        </InlineField>
        {needsModel && (
          <InlineField label={s.model.label} labelWidth={LABEL_WIDTH} htmlFor={s.model.id}>
            <Input
              id={s.model.id}
              value={current.model ?? ''}
              placeholder={datasource.defaultModel ?? 'model or $model'}
              onChange={text('model')}
              width={32}
            />
          </InlineField>
        )}
        {current.kind === 'experiments' ? null : (
          <InlineField label={s.search.label} labelWidth={LABEL_WIDTH} htmlFor={s.search.id}>
            <Input id={s.search.id} value={current.search ?? ''} onChange={text('search')} width={24} />
          </InlineField>
        )}
      </InlineFieldRow>
      <Text color="secondary" variant="bodySmall">
        As text (for provisioning): <code>{formatVariableQuery(current)}</code>
      </Text>
    </Stack>
  );
}
