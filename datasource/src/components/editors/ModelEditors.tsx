import { InlineFieldRow } from '@grafana/ui';
import { CLASSIFICATION_METRICS, PERFORMANCE_METRICS, type QueryType } from '@mlsight/contract';
import { getList, getString } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { ListInput, OptionsPicker, TextInput } from '../fields/inputs';
import { ModelFields } from '../fields/ModelFields';
import { FeaturesField, NumberField, SegmentFilterField } from '../fields/QueryFields';
import { VariablePicker } from '../fields/VariablePicker';
import { bindFields, type TypeEditorProps } from './types';

const options = (values: readonly string[]) => values.map((v) => ({ label: v, value: v }));

/** Realised performance offers every metric; CBPE estimates classification metrics only. */
function metricChoices(type: QueryType): readonly string[] {
  return type === 'estimated_performance' ? CLASSIFICATION_METRICS : PERFORMANCE_METRICS;
}

function splitsBySegment(type: QueryType): boolean {
  return type === 'performance';
}

/** performance, estimated_performance. */
export function PerformanceEditor(props: TypeEditorProps) {
  const { query } = props;
  const f = bindFields(props);
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <EditorField name="metrics" error={f.error('metrics')} htmlFor={f.id('metrics')}>
          <OptionsPicker
            id={f.id('metrics')}
            options={options(metricChoices(query.queryType))}
            values={getList(query, 'metrics')}
            onChange={(values) => f.commit('metrics', values)}
          />
        </EditorField>
        {splitsBySegment(query.queryType) && <SegmentFilterField {...props} />}
      </InlineFieldRow>
    </>
  );
}

/** champion_challenger: two aliases of one model side by side. */
export function ChampionChallengerEditor(props: TypeEditorProps) {
  const { query, datasource } = props;
  const f = bindFields(props);
  const model = getString(query, 'model');
  return (
    <>
      <ModelFields {...props} pinnable={false} />
      <InlineFieldRow>
        {(['champion', 'challenger'] as const).map((side) => (
          <EditorField key={side} name={side} error={f.error(side)} htmlFor={f.id(side)}>
            <VariablePicker
              id={f.id(side)}
              kind="aliases"
              datasource={datasource}
              model={model}
              value={getString(query, side)}
              clearable
              placeholder={side}
              width={24}
              onChange={(value) => f.commit(side, value)}
            />
          </EditorField>
        ))}
        <EditorField name="metrics" error={f.error('metrics')} htmlFor={f.id('metrics')}>
          <OptionsPicker
            id={f.id('metrics')}
            options={options(PERFORMANCE_METRICS)}
            values={getList(query, 'metrics')}
            onChange={(values) => f.commit('metrics', values)}
          />
        </EditorField>
      </InlineFieldRow>
    </>
  );
}

/** data_quality: per-feature quality rates. */
export function DataQualityEditor(props: TypeEditorProps) {
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <FeaturesField {...props} />
      </InlineFieldRow>
    </>
  );
}

/** predictions: the stored rows of the range, with the feature columns chosen (default every feature). */
export function PredictionsEditor(props: TypeEditorProps) {
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <FeaturesField {...props} />
        <SegmentFilterField {...props} />
        <NumberField {...props} name="limit" step={1} />
      </InlineFieldRow>
    </>
  );
}

/** fairness: parity metrics across the groups of one segment field. */
export function FairnessEditor(props: TypeEditorProps) {
  const { query, datasource } = props;
  const f = bindFields(props);
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <EditorField name="segment" error={f.error('segment')} htmlFor={f.id('segment')}>
          <VariablePicker
            id={f.id('segment')}
            kind="segments"
            datasource={datasource}
            model={getString(query, 'model')}
            value={getString(query, 'segment') || undefined}
            invalid={f.error('segment') !== undefined}
            placeholder="Choose a segment field"
            onChange={(value) => f.commit('segment', value)}
          />
        </EditorField>
        <EditorField name="positiveLabel" error={f.error('positiveLabel')} htmlFor={f.id('positiveLabel')}>
          <TextInput
            id={f.id('positiveLabel')}
            value={getString(query, 'positiveLabel')}
            placeholder="1"
            width={16}
            onChange={(value) => f.change('positiveLabel', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
      </InlineFieldRow>
    </>
  );
}

/** kpis: headline numbers of a model (the default query of a new panel). */
export function KpisEditor(props: TypeEditorProps) {
  const { query } = props;
  const f = bindFields(props);
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <EditorField name="metrics" error={f.error('metrics')} htmlFor={f.id('metrics')}>
          <ListInput
            id={f.id('metrics')}
            values={getList(query, 'metrics')}
            placeholder="default KPIs"
            onChange={(values) => f.commit('metrics', values)}
          />
        </EditorField>
        <NumberField {...props} name="topN" step={1} />
      </InlineFieldRow>
    </>
  );
}

/** model_versions (model required) and deployments (every model when none is chosen). */
export function ModelOnlyEditor(props: TypeEditorProps) {
  return <ModelFields {...props} pinnable={false} optionalModel={props.query.queryType === 'deployments'} />;
}
