import { InlineFieldRow } from '@grafana/ui';
import { getBoolean, getList, getOption, getString } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { Choice, ListInput, Switch, TextInput } from '../fields/inputs';
import { ModelFields } from '../fields/ModelFields';
import { NumberField } from '../fields/QueryFields';
import { VariablePicker } from '../fields/VariablePicker';
import { bindFields, type FieldBinding, type TypeEditorProps } from './types';

const FORMATS = ['table', 'nodeGraph'] as const;
const FORMAT_OPTIONS = [
  { label: 'Table', value: 'table' },
  { label: 'Node graph', value: 'nodeGraph' },
] as const;

function ExperimentField({ props, f }: { props: TypeEditorProps; f: FieldBinding }) {
  return (
    <EditorField name="experiment" error={f.error('experiment')} htmlFor={f.id('experiment')}>
      <VariablePicker
        id={f.id('experiment')}
        kind="experiments"
        datasource={props.datasource}
        value={getString(props.query, 'experiment')}
        clearable
        placeholder="All experiments"
        onChange={(value) => f.commit('experiment', value)}
      />
    </EditorField>
  );
}

function RunIdField({ props, f }: { props: TypeEditorProps; f: FieldBinding }) {
  return (
    <EditorField name="runId" error={f.error('runId')} htmlFor={f.id('runId')}>
      <TextInput
        id={f.id('runId')}
        value={getString(props.query, 'runId')}
        placeholder="any run"
        onChange={(value) => f.change('runId', value)}
        onBlur={props.onRunQuery}
      />
    </EditorField>
  );
}

function AllTimeField({ props, f }: { props: TypeEditorProps; f: FieldBinding }) {
  return (
    <EditorField name="ignoreTimeRange" htmlFor={f.id('ignoreTimeRange')}>
      <Switch
        id={f.id('ignoreTimeRange')}
        value={getBoolean(props.query, 'ignoreTimeRange')}
        onChange={(value) => f.commit('ignoreTimeRange', value || undefined)}
      />
    </EditorField>
  );
}

/** provenance: the lineage graph of a model (or of a run / an experiment). */
export function ProvenanceEditor(props: TypeEditorProps) {
  const f = bindFields(props);
  return (
    <>
      <ModelFields {...props} optionalModel />
      <InlineFieldRow>
        <ExperimentField props={props} f={f} />
        <RunIdField props={props} f={f} />
        <NumberField {...props} name="limit" step={1} />
      </InlineFieldRow>
    </>
  );
}

/** pipeline_runs: parent runs with their step runs, as a table or a node graph. */
export function PipelineRunsEditor(props: TypeEditorProps) {
  const f = bindFields(props);
  return (
    <InlineFieldRow>
      <ExperimentField props={props} f={f} />
      <RunIdField props={props} f={f} />
      <EditorField name="format" htmlFor={f.id('format')}>
        <Choice
          options={FORMAT_OPTIONS}
          value={getOption(props.query, 'format', FORMATS) ?? 'table'}
          onChange={(value) => f.commit('format', value)}
        />
      </EditorField>
      <NumberField {...props} name="limit" step={1} />
      <AllTimeField props={props} f={f} />
    </InlineFieldRow>
  );
}

/** runs: MLflow runs of an experiment with chosen metrics and params as columns. */
export function RunsEditor(props: TypeEditorProps) {
  const { query } = props;
  const f = bindFields(props);
  return (
    <>
      <InlineFieldRow>
        <ExperimentField props={props} f={f} />
        <EditorField name="filter" error={f.error('filter')} htmlFor={f.id('filter')} grow>
          <TextInput
            id={f.id('filter')}
            value={getString(query, 'filter')}
            placeholder="metrics.rmse < 1"
            width={48}
            onChange={(value) => f.change('filter', value)}
            onBlur={props.onRunQuery}
          />
        </EditorField>
      </InlineFieldRow>
      <InlineFieldRow>
        {(['metrics', 'params', 'orderBy'] as const).map((key) => (
          <EditorField key={key} name={key} error={f.error(key)} htmlFor={f.id(key)}>
            <ListInput id={f.id(key)} values={getList(query, key)} onChange={(values) => f.commit(key, values)} />
          </EditorField>
        ))}
      </InlineFieldRow>
      <InlineFieldRow>
        <NumberField {...props} name="limit" step={1} />
        <AllTimeField props={props} f={f} />
      </InlineFieldRow>
    </>
  );
}

/** metric_history: one metric's steps over time for one or more runs. */
export function MetricHistoryEditor(props: TypeEditorProps) {
  const { query } = props;
  const f = bindFields(props);
  return (
    <InlineFieldRow>
      <EditorField name="runIds" error={f.error('runIds')} htmlFor={f.id('runIds')}>
        <ListInput
          id={f.id('runIds')}
          values={getList(query, 'runIds')}
          invalid={f.error('runIds') !== undefined}
          placeholder="run id, or $run"
          onChange={(values) => f.commit('runIds', values)}
        />
      </EditorField>
      <EditorField name="metric" error={f.error('metric')} htmlFor={f.id('metric')}>
        <TextInput
          id={f.id('metric')}
          value={getString(query, 'metric')}
          invalid={f.error('metric') !== undefined}
          placeholder="e.g. val_loss"
          width={24}
          onChange={(value) => f.change('metric', value)}
          onBlur={props.onRunQuery}
        />
      </EditorField>
    </InlineFieldRow>
  );
}
