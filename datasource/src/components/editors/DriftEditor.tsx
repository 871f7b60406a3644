import { InlineFieldRow } from '@grafana/ui';
import { DRIFT_METHODS, type QueryType, THRESHOLD_MODES } from '@mlsight/contract';
import { getBoolean, getNumber, getOption, getString } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { OptionPicker, Switch } from '../fields/inputs';
import { ModelFields } from '../fields/ModelFields';
import { FeaturesField, NumberField, SegmentFilterField } from '../fields/QueryFields';
import { VariablePicker } from '../fields/VariablePicker';
import { bindFields, type TypeEditorProps } from './types';

const METHOD_OPTIONS = DRIFT_METHODS.map((m) => ({ label: m, value: m }));
const THRESHOLD_MODE_OPTIONS = THRESHOLD_MODES.map((m) => ({ label: m, value: m }));

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

/** Fixed thresholds: chosen, or implied by a threshold already set (the contract's rule). */
function fixedThresholds(query: TypeEditorProps['query']): boolean {
  return getOption(query, 'thresholdMode', THRESHOLD_MODES) === 'fixed' || getNumber(query, 'threshold') !== undefined;
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
          <FeaturesField {...props} />
        )}
        <SegmentFilterField {...props} />
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
        <EditorField name="thresholdMode" error={f.error('thresholdMode')} htmlFor={f.id('thresholdMode')}>
          <OptionPicker
            id={f.id('thresholdMode')}
            options={THRESHOLD_MODE_OPTIONS}
            value={getOption(query, 'thresholdMode', THRESHOLD_MODES)}
            onChange={(value) => f.commit('thresholdMode', value)}
            placeholder="calibrated"
          />
        </EditorField>
        {/* A fixed threshold and a false-alarm rate exclude each other (the proxy refuses both): offer the one that applies. */}
        {fixedThresholds(query) ? (
          <NumberField {...props} name="threshold" step={0.01} />
        ) : (
          <NumberField {...props} name="falseAlarmRate" step={0.001} />
        )}
        <NumberField {...props} name="minSampleSize" step={1} />
        {canIncludeTargets(query.queryType) && (
          <EditorField name="includeTargets" htmlFor={f.id('includeTargets')}>
            <Switch
              id={f.id('includeTargets')}
              value={getBoolean(query, 'includeTargets')}
              onChange={(value) => f.commit('includeTargets', value || undefined)}
            />
          </EditorField>
        )}
        {hasDriftShare(query.queryType) && <NumberField {...props} name="driftShare" step={0.05} />}
      </InlineFieldRow>
    </>
  );
}
