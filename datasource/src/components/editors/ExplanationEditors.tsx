import { InlineFieldRow } from '@grafana/ui';
import type { QueryType } from '@mlsight/contract';
import { getOption, getString } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { Choice, TextInput } from '../fields/inputs';
import { ModelFields } from '../fields/ModelFields';
import { NumberField } from '../fields/QueryFields';
import { bindFields, type TypeEditorProps } from './types';

const SOURCES = ['auto', 'store', 'mlflow'] as const;
const SOURCE_OPTIONS = [
  { label: 'Auto', value: 'auto' },
  { label: 'Drift store', value: 'store' },
  { label: 'MLflow artifacts', value: 'mlflow' },
] as const;

function readsAttributionSource(type: QueryType): boolean {
  return type === 'explanations_global';
}

/** explanations_global and explanation_drift: importance ranking, top N features. */
export function ImportanceEditor(props: TypeEditorProps) {
  const { query } = props;
  const f = bindFields(props);
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        {readsAttributionSource(query.queryType) && (
          <EditorField name="source" error={f.error('source')} htmlFor={f.id('source')}>
            <Choice
              options={SOURCE_OPTIONS}
              value={getOption(query, 'source', SOURCES) ?? 'auto'}
              onChange={(value) => f.commit('source', value)}
            />
          </EditorField>
        )}
        <NumberField {...props} name="topN" step={1} />
      </InlineFieldRow>
    </>
  );
}

/** explanations_local: one prediction's attributions. */
export function LocalExplanationEditor(props: TypeEditorProps) {
  const { query } = props;
  const f = bindFields(props);
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <EditorField name="predictionId" error={f.error('predictionId')} htmlFor={f.id('predictionId')}>
          <TextInput
            id={f.id('predictionId')}
            value={getString(query, 'predictionId')}
            invalid={f.error('predictionId') !== undefined}
            placeholder="prediction_id, or $prediction"
            onChange={(value) => f.change('predictionId', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
      </InlineFieldRow>
    </>
  );
}
