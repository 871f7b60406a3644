import { getList, getNumber, getString, type NumberFieldName } from '../../queryModel';
import { bindFields, type TypeEditorProps } from '../editors/types';
import { EditorField } from './EditorField';
import { NumberInput } from './inputs';
import { MultiVariablePicker } from './MultiVariablePicker';
import { VariablePicker } from './VariablePicker';

/**
 * Fields that several query types share, each bound to the query by name: one place for their labels, pickers,
 * validation and when the query runs (numbers on blur, pickers on change).
 */

/** The features a query looks at (all of the reference's when empty), picked from the model's reference. */
export function FeaturesField(props: TypeEditorProps) {
  const f = bindFields(props);
  return (
    <EditorField name="features" error={f.error('features')} htmlFor={f.id('features')}>
      <MultiVariablePicker
        id={f.id('features')}
        kind="features"
        datasource={props.datasource}
        model={getString(props.query, 'model')}
        values={getList(props.query, 'features')}
        invalid={f.error('features') !== undefined}
        onChange={(values) => f.commit('features', values)}
      />
    </EditorField>
  );
}

/** An optional segment filter (`field=value`); empty means the whole population. */
export function SegmentFilterField(props: TypeEditorProps) {
  const f = bindFields(props);
  return (
    <EditorField name="segment" error={f.error('segment')} htmlFor={f.id('segment')}>
      <VariablePicker
        id={f.id('segment')}
        kind="segments"
        datasource={props.datasource}
        model={getString(props.query, 'model')}
        value={getString(props.query, 'segment')}
        clearable
        placeholder="Whole population"
        onChange={(value) => f.commit('segment', value)}
      />
    </EditorField>
  );
}

/** A numeric option of the query; it runs when the input loses focus. */
export function NumberField(props: TypeEditorProps & { name: NumberFieldName; step: number }) {
  const { name, step } = props;
  const f = bindFields(props);
  return (
    <EditorField name={name} error={f.error(name)} htmlFor={f.id(name)}>
      <NumberInput
        id={f.id(name)}
        value={getNumber(props.query, name)}
        step={step}
        invalid={f.error(name) !== undefined}
        onChange={(value) => f.change(name, value)}
        onBlur={props.onRunQuery}
      />
    </EditorField>
  );
}
