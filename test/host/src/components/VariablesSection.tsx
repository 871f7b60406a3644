import type { DataQuery, DataSourceApi } from '@grafana/data';
import { Alert, Button, InlineField, InlineFieldRow, Stack } from '@grafana/ui';
import { useRef, useState, type ChangeEvent } from 'react';
import { hostTimeRange, type HostServices } from '../hostServices';
import { queryVariable, type HostVariableInput } from '../runtime/templateSrv';
import { variableValues } from '../runtime/variableValues';
import { hostSelectors } from '../selectors';

/** The host dashboard's query variables: `model` (edited with the plugin's editor) and `version`, which uses it. */
function initialVariables(): HostVariableInput[] {
  return [
    { name: 'model', query: { refId: 'variable', kind: 'models' }, options: [] },
    { name: 'version', query: 'versions?model=$model', options: [] },
  ];
}

/**
 * Dashboard variables: the plugin's variable editor on `model`, "Refresh" runs every variable in order (later ones
 * see the earlier ones' values through templateSrv), and a picker per variable sets its current value.
 *
 * As in Grafana, a change wins over a refresh still running: choosing a value (or refreshing again) makes an earlier
 * refresh stop publishing, and every refresh starts from the variables as they are now.
 */
export function VariablesSection({ services, datasource }: { services: HostServices; datasource: DataSourceApi }) {
  const [variables, setVariables] = useState<HostVariableInput[]>(initialVariables);
  const latest = useRef(variables);
  /** Bumped by every refresh and every choice: a refresh publishes only while it is the latest. */
  const generation = useRef(0);
  const [error, setError] = useState<string | undefined>();
  const Editor = datasource.variables && 'editor' in datasource.variables ? datasource.variables.editor : undefined;

  const publish = (next: HostVariableInput[]) => {
    latest.current = next;
    setVariables(next);
    services.templateSrv.setVariables(
      next.map((v, i) => queryVariable(v, i, { uid: services.uid, type: services.meta.id }))
    );
  };

  const refresh = async () => {
    const mine = ++generation.current;
    setError(undefined);
    const next = [...latest.current];
    try {
      for (let i = 0; i < next.length; i++) {
        const variable = next[i];
        if (!variable) continue;
        const options = await variableValues(datasource, variable.query, hostTimeRange());
        if (mine !== generation.current) return;
        const chosen = latest.current[i]?.current ?? variable.current;
        const current = typeof chosen === 'string' && options.includes(chosen) ? chosen : options[0];
        next[i] = { ...variable, options, ...(current === undefined ? {} : { current }) };
        // A new array each time: React skips a state it has already seen, so publishing the same (mutated) array
        // twice left the picker of every variable after the first with its old options.
        publish([...next]);
      }
    } catch (err) {
      if (mine === generation.current) setError(err instanceof Error ? err.message : JSON.stringify(err));
    }
  };

  const select = (index: number) => (e: ChangeEvent<HTMLSelectElement>) => {
    generation.current++;
    const next = latest.current.map((v, i) => (i === index ? { ...v, current: e.currentTarget.value } : v));
    publish(next);
  };

  const [first] = variables;
  return (
    <Stack direction="column" gap={1}>
      {Editor && first && typeof first.query === 'object' && (
        <div data-testid={hostSelectors.variables.editor}>
          <Editor
            datasource={datasource}
            query={{ refId: 'variable', ...first.query }}
            onChange={(query: DataQuery) => {
              latest.current = latest.current.map((v, i) => (i === 0 ? { ...v, query: { ...query } } : v));
              setVariables(latest.current);
            }}
            onRunQuery={() => undefined}
          />
        </div>
      )}
      <InlineFieldRow>
        {variables.map((variable, index) => (
          <InlineField key={variable.name} label={`$${variable.name}`} labelWidth={12}>
            <select
              data-testid={hostSelectors.variables.picker(variable.name)}
              value={typeof variable.current === 'string' ? variable.current : ''}
              onChange={select(index)}
            >
              {variable.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </InlineField>
        ))}
      </InlineFieldRow>
      {error && (
        <div data-testid={hostSelectors.variables.error}>
          <Alert severity="error" title={error} />
        </div>
      )}
      <div>
        <Button
          data-testid={hostSelectors.variables.refresh}
          variant="secondary"
          icon="sync"
          onClick={() => void refresh()}
        >
          Refresh variables
        </Button>
      </div>
    </Stack>
  );
}
