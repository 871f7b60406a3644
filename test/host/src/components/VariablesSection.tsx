import type { DataQuery, DataSourceApi } from '@grafana/data';
import { Alert, Button, InlineField, InlineFieldRow, Stack } from '@grafana/ui';
import { useState, type ChangeEvent } from 'react';
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
 */
export function VariablesSection({ services, datasource }: { services: HostServices; datasource: DataSourceApi }) {
  const [variables, setVariables] = useState<HostVariableInput[]>(initialVariables);
  const [error, setError] = useState<string | undefined>();
  const Editor = datasource.variables && 'editor' in datasource.variables ? datasource.variables.editor : undefined;

  const publish = (next: HostVariableInput[]) => {
    setVariables(next);
    services.templateSrv.setVariables(
      next.map((v, i) => queryVariable(v, i, { uid: services.uid, type: services.meta.id }))
    );
  };

  const refresh = async () => {
    setError(undefined);
    const next = [...variables];
    try {
      for (let i = 0; i < next.length; i++) {
        const variable = next[i];
        if (!variable) continue;
        const options = await variableValues(datasource, variable.query, hostTimeRange());
        const current =
          typeof variable.current === 'string' && options.includes(variable.current) ? variable.current : options[0];
        next[i] = { ...variable, options, ...(current === undefined ? {} : { current }) };
        publish(next);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : JSON.stringify(err));
    }
  };

  const select = (index: number) => (e: ChangeEvent<HTMLSelectElement>) => {
    const next = variables.map((v, i) => (i === index ? { ...v, current: e.currentTarget.value } : v));
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
            onChange={(query: DataQuery) =>
              setVariables(variables.map((v, i) => (i === 0 ? { ...v, query: { ...query } } : v)))
            }
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
