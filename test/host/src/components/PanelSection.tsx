import {
  CoreApp,
  EventBusSrv,
  LoadingState,
  PluginContextProvider,
  dateTime,
  type AbsoluteTimeRange,
  type DataQuery,
  type DataSourceApi,
  type FieldConfigSource,
  type InterpolateFunction,
  type PanelData,
  type TimeRange,
} from '@grafana/data';
import { Alert, ErrorBoundaryAlert, PanelChrome, PanelContextProvider, Text, useTheme2 } from '@grafana/ui';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HostServices } from '../hostServices';
import type { PanelBenchHook, RenderTiming } from '../panels/benchHook';
import { failedPanelData, panelDefaults, toPanelData, withFieldConfig } from '../panels/panelData';
import type { LoadedPanelPlugin } from '../pluginLoader';
import { runQuery, type RequestResolution } from '../runQuery';
import { hostSelectors } from '../selectors';

/** One dashboard panel: its plugin, queries, saved options and size (from the host page's URL). */
export interface PanelConfig {
  targets: DataQuery[];
  savedOptions: Record<string, unknown>;
  width: number;
  height: number;
  title: string;
  /** The dashboard time range the panel starts with. */
  timeRange: TimeRange;
  /** What the header says about a panel's own range ("Last 6 hours"), as Grafana's panel header does. */
  titleInfo?: string;
  /** The saved panel's field config (a dashboard's `fieldConfig`); none for a new panel. */
  savedFieldConfig?: FieldConfigSource;
  /** Grafana's interval from the panel width (dashboard mode); a fixed 1h otherwise. */
  resolution?: RequestResolution;
}

declare global {
  interface Window {
    __mlsightPanel?: PanelBenchHook;
  }
}

const DEFAULT_PANEL_ID = 1;
const TIME_ZONE = 'browser';

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/**
 * A panel rendered as a Grafana dashboard renders it: option defaults from the plugin's builders
 * (`getPanelOptionsWithDefaults`), the data source's `query()` for the panel's targets, field config applied with
 * the theme (`applyFieldOverrides`), then the plugin's component inside @grafana/ui's `PanelChrome` (status,
 * loading) and `PanelContextProvider`, with real `PanelProps`. A brushed range re-runs the queries, as a dashboard
 * time-range change does.
 */
export function PanelSection({
  services,
  datasource,
  panel,
  config,
  panelId = DEFAULT_PANEL_ID,
  benchHook = true,
}: {
  services: HostServices;
  /** None for panels without queries (text, alert list). */
  datasource: DataSourceApi | undefined;
  panel: LoadedPanelPlugin;
  config: PanelConfig;
  panelId?: number;
  /** Registers `window.__mlsightPanel` (one panel per page: the render benchmark's). */
  benchHook?: boolean;
}) {
  const theme = useTheme2();
  const PanelComponent = panel.plugin.panel;
  const defaults = useMemo(
    () => panelDefaults(panel.plugin, config.savedOptions, config.savedFieldConfig),
    [panel.plugin, config.savedOptions, config.savedFieldConfig]
  );
  const [options, setOptions] = useState<Record<string, unknown>>(defaults.options);
  const [fieldConfig, setFieldConfig] = useState<FieldConfigSource>(defaults.fieldConfig);
  const [timeRange, setTimeRange] = useState<TimeRange>(config.timeRange);
  const [raw, setRaw] = useState<PanelData>(() => ({ state: LoadingState.Loading, series: [], timeRange }));
  const [runs, setRuns] = useState(0);
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const pendingRender = useRef<{ start: number; resolve: (t: RenderTiming) => void } | undefined>(undefined);

  const replaceVariables = useCallback<InterpolateFunction>(
    // InterpolateFunction types a format function as the bare `Function`; templateSrv's is the same call shape.
    (value, scopedVars, format) =>
      services.templateSrv.replace(value, scopedVars, format as Parameters<HostServices['templateSrv']['replace']>[2]),
    [services.templateSrv]
  );

  useEffect(() => {
    let cancelled = false;
    setRaw((d) => ({ ...d, state: LoadingState.Loading }));
    const targets = config.targets.filter((t) => !t.hide);
    const response =
      datasource && targets.length > 0
        ? runQuery(datasource, targets, timeRange, CoreApp.Dashboard, config.resolution)
        : Promise.resolve({ data: [] });
    response
      .then((response) => toPanelData(response, timeRange))
      .catch((err: unknown) => failedPanelData(err instanceof Error ? err.message : JSON.stringify(err), timeRange))
      .then((data) => {
        if (cancelled) return;
        setRaw(data);
        setRuns((n) => n + 1);
      });
    return () => {
      cancelled = true;
    };
  }, [datasource, config.targets, config.resolution, timeRange]);

  // The bench hook prepares its data (the query runner's share) before starting the clock; see below.
  const prepared = useRef<{ raw: PanelData; data: PanelData } | undefined>(undefined);
  const data = useMemo(
    () =>
      prepared.current?.raw === raw
        ? prepared.current.data
        : withFieldConfig(raw, panel.plugin, fieldConfig, theme, replaceVariables, TIME_ZONE),
    [raw, panel.plugin, fieldConfig, theme, replaceVariables]
  );

  // Grafana bumps renderCounter with every render request of the panel (new data, resize), in the same update.
  const renderCount = useRef(0);
  const renderCounter = useMemo(() => (renderCount.current += 1), [data, config.width, config.height]);

  // Effects run child first: by now the panel's own effects (a canvas draw) have run for this data.
  useEffect(() => {
    const pending = pendingRender.current;
    if (!pending) return;
    pendingRender.current = undefined;
    const commitMs = performance.now() - pending.start;
    void nextFrame()
      .then(nextFrame)
      .then(() => pending.resolve({ commitMs, frameMs: performance.now() - pending.start }));
  }, [data]);

  // Grafana applies field config in the query runner, before the panel renders: so does the hook, off the clock.
  useEffect(() => {
    if (!benchHook) return undefined;
    window.__mlsightPanel = {
      render: (frames) =>
        new Promise<RenderTiming>((resolve) => {
          const next = toPanelData({ data: frames }, timeRange);
          prepared.current = {
            raw: next,
            data: withFieldConfig(next, panel.plugin, fieldConfig, theme, replaceVariables, TIME_ZONE),
          };
          pendingRender.current = { start: performance.now(), resolve };
          setRaw(next);
        }),
    };
    return () => {
      delete window.__mlsightPanel;
    };
  }, [benchHook, timeRange, panel.plugin, fieldConfig, theme, replaceVariables]);

  const onChangeTimeRange = useCallback((range: AbsoluteTimeRange) => {
    const from = dateTime(range.from);
    const to = dateTime(range.to);
    setTimeRange({ from, to, raw: { from, to } });
  }, []);

  if (!PanelComponent) return <Alert severity="error" title={`${panel.meta.id} registers no panel component`} />;
  const errors = (data.errors ?? []).map((e) => e.message ?? 'Query error');
  const fields = data.series.flatMap((frame) => frame.fields);
  const state = data.state === LoadingState.Error ? 'error' : data.state === LoadingState.Done ? 'done' : 'loading';

  return (
    <div>
      <div
        data-testid={hostSelectors.panel.state}
        data-state={state}
        data-runs={runs}
        data-from={timeRange.from.valueOf()}
        data-to={timeRange.to.valueOf()}
        data-options={JSON.stringify(options)}
        data-fields={fields.length}
        data-fields-with-display={fields.filter((f) => typeof f.display === 'function').length}
      />
      <div data-testid={hostSelectors.panel.viz} style={{ width: config.width, height: config.height }}>
        <PanelChrome
          title={replaceVariables(config.title)}
          titleItems={
            config.titleInfo ? (
              <Text color="info" variant="bodySmall">
                {config.titleInfo}
              </Text>
            ) : undefined
          }
          width={config.width}
          height={config.height}
          loadingState={data.state}
          statusMessage={errors.length > 0 ? errors.join('\n') : undefined}
        >
          {(innerWidth, innerHeight) => (
            <PluginContextProvider meta={panel.meta}>
              <PanelContextProvider value={{ eventsScope: 'global', eventBus, app: CoreApp.Dashboard }}>
                <ErrorBoundaryAlert dependencies={[data]}>
                  <PanelComponent
                    id={panelId}
                    data={data}
                    timeRange={data.timeRange}
                    timeZone={TIME_ZONE}
                    options={options}
                    fieldConfig={fieldConfig}
                    transparent={false}
                    width={innerWidth}
                    height={innerHeight}
                    renderCounter={renderCounter}
                    title={replaceVariables(config.title)}
                    eventBus={eventBus}
                    onOptionsChange={(next: Record<string, unknown>) => setOptions(next)}
                    onFieldConfigChange={setFieldConfig}
                    replaceVariables={replaceVariables}
                    onChangeTimeRange={onChangeTimeRange}
                  />
                </ErrorBoundaryAlert>
              </PanelContextProvider>
            </PluginContextProvider>
          )}
        </PanelChrome>
      </div>
      <ul data-testid={hostSelectors.panel.errors} data-count={errors.length}>
        {errors.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
