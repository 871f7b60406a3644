import { InlineField, InlineFieldRow, Input, MultiCombobox } from '@grafana/ui';
import { ANNOTATION_KINDS, type AnnotationKind } from '@mlsight/contract';
import type { ChangeEvent } from 'react';
import { defaultAnnotationQuery } from '../annotations';
import { selectors } from '../selectors';
import { sameValues, uniqueValues, useDistinctChange } from './fields/pickerChange';
import { isAnnotationQuery, type MLSightAnnotationQuery, type MLSightDataSourceQuery } from '../types';

const KIND_LABELS: Record<AnnotationKind, string> = {
  deployment: 'Versions registered',
  alias_change: 'Alias changes (champion / challenger)',
  retrain: 'Retrain runs',
  drift_alert: 'Drift alerts',
};
const KIND_OPTIONS = ANNOTATION_KINDS.map((kind) => ({ label: KIND_LABELS[kind], value: kind }));
const LABEL_WIDTH = 16;

interface Props {
  query: MLSightDataSourceQuery;
  onChange: (query: MLSightDataSourceQuery) => void;
}

/** Editor of an annotation layer: which MLOps events to draw, for one model or all. */
export function AnnotationQueryEditor({ query, onChange }: Props) {
  const current: MLSightAnnotationQuery = isAnnotationQuery(query) ? query : defaultAnnotationQuery(query.refId);
  const s = selectors.annotation;
  const kinds = current.kinds ?? [...ANNOTATION_KINDS];
  const changeKinds = useDistinctChange(
    kinds,
    (next: AnnotationKind[]) => onChange({ ...current, kinds: next }),
    sameValues
  );
  return (
    <InlineFieldRow>
      <InlineField label={s.kinds.label} labelWidth={LABEL_WIDTH} htmlFor={s.kinds.id}>
        <MultiCombobox<AnnotationKind>
          id={s.kinds.id}
          options={KIND_OPTIONS}
          value={kinds}
          onChange={(options) => changeKinds(uniqueValues(options))}
          width="auto"
          minWidth={32}
        />
      </InlineField>
      <InlineField label={s.model.label} tooltip={s.model.tooltip} labelWidth={LABEL_WIDTH} htmlFor={s.model.id}>
        <Input
          id={s.model.id}
          value={current.model ?? ''}
          placeholder="all models, or $model"
          width={32}
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            onChange({ ...current, model: e.currentTarget.value.trim() || undefined })
          }
        />
      </InlineField>
    </InlineFieldRow>
  );
}
