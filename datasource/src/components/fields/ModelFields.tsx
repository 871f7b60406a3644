import { InlineFieldRow } from '@grafana/ui';
import { getString } from '../../queryModel';
import { bindFields, type TypeEditorProps } from '../editors/types';
import { EditorField } from './EditorField';
import { Choice } from './inputs';
import { VariablePicker } from './VariablePicker';

type Pin = 'latest' | 'version' | 'alias';

const PIN_OPTIONS: ReadonlyArray<{ label: string; value: Pin }> = [
  { label: 'Latest', value: 'latest' },
  { label: 'Version', value: 'version' },
  { label: 'Alias', value: 'alias' },
];

function pinOf(query: TypeEditorProps['query']): Pin {
  if (getString(query, 'alias') !== undefined) return 'alias';
  if (getString(query, 'version') !== undefined) return 'version';
  return 'latest';
}

interface Props extends TypeEditorProps {
  /** Whether the query type may leave the model out (e.g. provenance of every model). */
  optionalModel?: boolean;
  /** Whether the query type can be pinned to a version or an alias. */
  pinnable?: boolean;
}

/** Model picker plus "latest / version / alias"; version and alias exclude each other as the contract requires. */
export function ModelFields(props: Props) {
  const { query, datasource, optionalModel, pinnable = true } = props;
  const f = bindFields(props);
  const model = getString(query, 'model');
  const pin = pinOf(query);
  const showPinPicker = pinnable && pin !== 'latest';

  const choosePin = (next: Pin) => {
    // Leaving version/alias both unset means "latest"; the picked one is filled from the picker below.
    const cleared = { ...query };
    Reflect.deleteProperty(cleared, 'version');
    Reflect.deleteProperty(cleared, 'alias');
    if (next !== 'latest') Reflect.set(cleared, next, '');
    props.onChange(cleared);
    if (next === 'latest') props.onRunQuery();
  };

  return (
    <InlineFieldRow>
      <EditorField name="model" error={f.error('model')} htmlFor={f.id('model')}>
        <VariablePicker
          id={f.id('model')}
          kind="models"
          datasource={datasource}
          value={model}
          clearable={optionalModel}
          invalid={f.error('model') !== undefined}
          placeholder={optionalModel ? 'All models' : 'Choose a model'}
          onChange={(value) => f.commit('model', value)}
        />
      </EditorField>
      {pinnable && (
        <EditorField name="pin" htmlFor={f.id('pin')} error={f.error('version') ?? f.error('alias')}>
          <Choice options={PIN_OPTIONS} value={pin} onChange={choosePin} />
        </EditorField>
      )}
      {showPinPicker && (
        <VariablePicker
          id={f.id(pin)}
          kind={pin === 'version' ? 'versions' : 'aliases'}
          datasource={datasource}
          model={model}
          value={getString(query, pin) || undefined}
          invalid={f.error(pin) !== undefined}
          placeholder={pin === 'version' ? 'e.g. 3' : 'e.g. champion'}
          width={20}
          onChange={(value) => f.commit(pin, value)}
        />
      )}
    </InlineFieldRow>
  );
}
