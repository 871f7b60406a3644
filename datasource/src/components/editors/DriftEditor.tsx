import { InlineFieldRow } from '@grafana/ui';
import { DRIFT_METHODS, type QueryType } from '@mlsight/contract';
import { getBoolean, getList, getNumber, getOption, getString } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { NumberInput, OptionPicker, Switch } from '../fields/inputs';
import { ModelFields } from '../fields/ModelFields';
import { MultiVariablePicker } from '../fields/MultiVariablePicker';
import { VariablePicker } from '../fields/VariablePicker';
import { bindFields, type TypeEditorProps } from './types';

const METHOD_OPTIONS = DRIFT_METHODS.map((m) => ({ label: m, value: m }));

/** category_drift looks at one categorical feature; the other drift queries at a set of features. */
function looksAtOneFeature(type: QueryType): boolean {
  return type === 'category_drift';
}

function hasDriftShare(type: QueryType): boolean {
  return type === 'dataset_drift';
}

/** prediction_drift and label_drift judge one column of the model's own, so they have no feature field. */
function looksAtTarget(type: QueryType): boolean {
  return type === 'prediction_drift' || type === 'label_drift';
}

function canIncludeTargets(type: QueryType): boolean {
  return type === 'drift_heatmap';
}

/** drift_heatmap, feature_drift, category_drift, dataset_drift, drift_trend, prediction_drift, label_drift. */
export function DriftEditor(props: TypeEditorProps) {
  const { query, datasource } = props;
  const f = bindFields(props);
  const model = getString(query, 'model');
  const oneFeature = looksAtOneFeature(query.queryType);
  const target = looksAtTarget(query.queryType);

  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        {oneFeature ? (
          <EditorField name="feature" error={f.error('feature')} htmlFor={f.id('feature')}>
            <VariablePicker
              id={f.id('feature')}
              kind="features"
              datasource={datasource}
              model={model}
              value={getString(query, 'feature') || undefined}
              invalid={f.error('feature') !== undefined}
              placeholder="Choose a feature"
              onChange={(value) => f.commit('feature', value)}
            />
          </EditorField>
        ) : target ? null : (
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
        )}
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
        <EditorField name="method" error={f.error('method')} htmlFor={f.id('method')}>
          <OptionPicker
            id={f.id('method')}
            options={METHOD_OPTIONS}
            value={getOption(query, 'method', DRIFT_METHODS)}
            onChange={(value) => f.commit('method', value)}
            placeholder="auto"
          />
        </EditorField>
        <EditorField name="threshold" error={f.error('threshold')} htmlFor={f.id('threshold')}>
          <NumberInput
            id={f.id('threshold')}
            value={getNumber(query, 'threshold')}
            step={0.01}
            invalid={f.error('threshold') !== undefined}
            onChange={(value) => f.change('threshold', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
        <EditorField name="minSampleSize" error={f.error('minSampleSize')} htmlFor={f.id('minSampleSize')}>
          <NumberInput
            id={f.id('minSampleSize')}
            value={getNumber(query, 'minSampleSize')}
            step={1}
            invalid={f.error('minSampleSize') !== undefined}
            onChange={(value) => f.change('minSampleSize', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
        {canIncludeTargets(query.queryType) && (
          <EditorField name="includeTargets" htmlFor={f.id('includeTargets')}>
            <Switch
              id={f.id('includeTargets')}
              value={getBoolean(query, 'includeTargets')}
              onChange={(value) => f.commit('includeTargets', value || undefined)}
            />
          </EditorField>
        )}
        {hasDriftShare(query.queryType) && (
          <EditorField name="driftShare" error={f.error('driftShare')} htmlFor={f.id('driftShare')}>
            <NumberInput
              id={f.id('driftShare')}
              value={getNumber(query, 'driftShare')}
              step={0.05}
              invalid={f.error('driftShare') !== undefined}
              onChange={(value) => f.change('driftShare', value)}
              onBlur={props.onRunQuery}
            />
          </EditorField>
        )}
      </InlineFieldRow>
    </>
  );
}
