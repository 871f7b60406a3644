import { InlineFieldRow } from '@grafana/ui';
import { getList, getNumber, getString } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { NumberInput } from '../fields/inputs';
import { ModelFields } from '../fields/ModelFields';
import { MultiVariablePicker } from '../fields/MultiVariablePicker';
import { VariablePicker } from '../fields/VariablePicker';
import { bindFields, type TypeEditorProps } from './types';

/** multivariate_drift: the features the PCA is fitted on, and how the components and the band are chosen. */
export function MultivariateDriftEditor(props: TypeEditorProps) {
  const { query, datasource } = props;
  const f = bindFields(props);
  const model = getString(query, 'model');
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <EditorField name="features" error={f.error('features')} htmlFor={f.id('features')}>
          <MultiVariablePicker
            id={f.id('features')}
            kind="features"
            datasource={datasource}
            model={model}
            values={getList(query, 'features')}
            invalid={f.error('features') !== undefined}
            onChange={(values) => f.commit('features', values)}
          />
        </EditorField>
        <EditorField name="segment" error={f.error('segment')} htmlFor={f.id('segment')}>
          <VariablePicker
            id={f.id('segment')}
            kind="segments"
            datasource={datasource}
            model={model}
            value={getString(query, 'segment')}
            clearable
            placeholder="Whole population"
            onChange={(value) => f.commit('segment', value)}
          />
        </EditorField>
      </InlineFieldRow>
      <InlineFieldRow>
        <EditorField name="components" error={f.error('components')} htmlFor={f.id('components')}>
          <NumberInput
            id={f.id('components')}
            value={getNumber(query, 'components')}
            step={0.05}
            invalid={f.error('components') !== undefined}
            onChange={(value) => f.change('components', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
        <EditorField name="chunkSize" error={f.error('chunkSize')} htmlFor={f.id('chunkSize')}>
          <NumberInput
            id={f.id('chunkSize')}
            value={getNumber(query, 'chunkSize')}
            step={1}
            invalid={f.error('chunkSize') !== undefined}
            onChange={(value) => f.change('chunkSize', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
        <EditorField name="bandMultiplier" error={f.error('bandMultiplier')} htmlFor={f.id('bandMultiplier')}>
          <NumberInput
            id={f.id('bandMultiplier')}
            value={getNumber(query, 'bandMultiplier')}
            step={0.5}
            invalid={f.error('bandMultiplier') !== undefined}
            onChange={(value) => f.change('bandMultiplier', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
      </InlineFieldRow>
    </>
  );
}
