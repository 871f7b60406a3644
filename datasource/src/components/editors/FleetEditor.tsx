import { InlineFieldRow } from '@grafana/ui';
import { getString } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { TextInput } from '../fields/inputs';
import { bindFields, type TypeEditorProps } from './types';

/** fleet: every registered model; an optional name filter (the status filter is set by the app's fleet page). */
export function FleetEditor(props: TypeEditorProps) {
  const f = bindFields(props);
  return (
    <InlineFieldRow>
      <EditorField name="search" error={f.error('search')} htmlFor={f.id('search')}>
        <TextInput
          id={f.id('search')}
          value={getString(props.query, 'search')}
          placeholder="All models"
          width={32}
          onChange={(value) => f.change('search', value)}
          onBlur={props.onRunQuery}
        />
      </EditorField>
    </InlineFieldRow>
  );
}
