import {
  CoreApp,
  PluginContextProvider,
  toDataFrame,
  type DataFrame,
  type DataQuery,
  type DataSourceApi,
} from '@grafana/data';
import { Alert, Button, Stack } from '@grafana/ui';
import { useCallback, useEffect, useRef, useState } from 'react';
import { hostTimeRange, type HostServices } from '../hostServices';
import { runQuery } from '../runQuery';
import { hostSelectors } from '../selectors';
import { FramesTable } from './FramesTable';

interface RunState {
  state: 'idle' | 'running' | 'done';
  frames: DataFrame[];
  errors: string[];
  /** Completed runs, so a test can wait for the run it started rather than an earlier one. */
  runs: number;
}

/**
 * A panel's query tab: the plugin's QueryEditor on query A (started from `getDefaultQuery`, as Grafana does for a
 * new panel), "Run queries" and the editor's own `onRunQuery`, and the frames that came back as tables.
 */
export function QuerySection({ services, datasource }: { services: HostServices; datasource: DataSourceApi }) {
  const [query, setQuery] = useState<DataQuery>(() => ({
    refId: 'A',
    ...datasource.getDefaultQuery?.(CoreApp.Dashboard),
  }));
  const [run, setRun] = useState<RunState>({ state: 'idle', frames: [], errors: [], runs: 0 });
  const latest = useRef(query);
  latest.current = query;
  const range = useRef(hostTimeRange());
  const QueryEditor = services.dataSourceSrv.pluginComponents().QueryEditor;

  const execute = useCallback(async () => {
    setRun((r) => ({ ...r, state: 'running' }));
    try {
      const response = await runQuery(datasource, [latest.current], range.current);
      const frames = response.data.map((d: unknown) => toDataFrame(d));
      const errors = (response.errors ?? (response.error ? [response.error] : [])).map((e) => e.message ?? 'error');
      setRun((r) => ({ state: 'done', frames, errors, runs: r.runs + 1 }));
    } catch (err) {
      const message = err instanceof Error ? err.message : JSON.stringify(err);
      setRun((r) => ({ state: 'done', frames: [], errors: [message], runs: r.runs + 1 }));
    }
  }, [datasource]);

  useEffect(() => {
    void execute();
  }, [execute]);

  if (!QueryEditor) return <Alert title="The plugin registers no QueryEditor" severity="error" />;
  return (
    <Stack direction="column" gap={1}>
      <div data-testid={hostSelectors.query.editor}>
        <PluginContextProvider meta={services.meta}>
          <QueryEditor
            datasource={datasource}
            query={query}
            onChange={setQuery}
            onRunQuery={() => void execute()}
            range={range.current}
            app={CoreApp.Dashboard}
          />
        </PluginContextProvider>
      </div>
      <div>
        <Button data-testid={hostSelectors.query.run} icon="sync" onClick={() => void execute()}>
          Run queries
        </Button>
      </div>
      <div data-testid={hostSelectors.query.state} data-state={run.state} data-runs={run.runs}>
        {run.errors.map((message) => (
          <div key={message} data-testid={hostSelectors.query.error}>
            <Alert severity="error" title={message} />
          </div>
        ))}
        <div data-testid={hostSelectors.query.frames} data-count={run.frames.length}>
          {run.frames.map((frame, index) => (
            <FramesTable key={index} frame={frame} testId={hostSelectors.query.frame(index)} />
          ))}
        </div>
      </div>
    </Stack>
  );
}
