import { InlineField } from '@grafana/ui';
import type { ReactElement } from 'react';
import { selectors, type QueryFieldName } from '../../selectors';

interface Props {
  name: QueryFieldName;
  error?: string;
  htmlFor: string;
  grow?: boolean;
  children: ReactElement;
}

export const LABEL_WIDTH = 16;

/** One labelled query field with its validation message; labels and tooltips come from selectors. */
export function EditorField({ name, error, htmlFor, grow, children }: Props) {
  const text: { label: string; tooltip?: string } = selectors.query.fields[name];
  return (
    <InlineField
      label={text.label}
      tooltip={text.tooltip}
      labelWidth={LABEL_WIDTH}
      invalid={error !== undefined}
      error={error}
      htmlFor={htmlFor}
      grow={grow}
    >
      {children}
    </InlineField>
  );
}
