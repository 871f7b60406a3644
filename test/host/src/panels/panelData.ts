import {
  LoadingState,
  applyFieldOverrides,
  getPanelOptionsWithDefaults,
  toDataFrame,
  type DataQueryError,
  type DataQueryResponse,
  type FieldConfigSource,
  type GrafanaTheme2,
  type InterpolateFunction,
  type PanelData,
  type PanelPlugin,
  type TimeRange,
} from '@grafana/data';

/**
 * The options and field config a panel starts with, as Grafana's panel model computes them: a saved panel's own
 * over the plugin's defaults (a new panel has none saved).
 */
export function panelDefaults(
  plugin: PanelPlugin,
  savedOptions: Record<string, unknown>,
  savedFieldConfig: FieldConfigSource = { defaults: {}, overrides: [] }
): { options: Record<string, unknown>; fieldConfig: FieldConfigSource } {
  const { options, fieldConfig } = getPanelOptionsWithDefaults({
    plugin,
    currentOptions: savedOptions,
    currentFieldConfig: savedFieldConfig,
    isAfterPluginChange: false,
  });
  return { options: options as Record<string, unknown>, fieldConfig };
}

/** The errors of a response the way Grafana's `runRequest` collects them (`errors`, else the single `error`). */
export function responseErrors(response: DataQueryResponse): DataQueryError[] {
  if (response.errors && response.errors.length > 0) return response.errors;
  return response.error ? [response.error] : [];
}

/** A query response as the panel query runner hands it on: frames, state, errors, the range it was run for. */
export function toPanelData(response: DataQueryResponse, timeRange: TimeRange): PanelData {
  const errors = responseErrors(response);
  return {
    state: errors.length > 0 ? LoadingState.Error : LoadingState.Done,
    series: response.data.map((d: unknown) => toDataFrame(d)),
    errors: errors.length > 0 ? errors : undefined,
    error: errors[0],
    timeRange,
  };
}

export function failedPanelData(message: string, timeRange: TimeRange): PanelData {
  const error: DataQueryError = { message };
  return { state: LoadingState.Error, series: [], errors: [error], error, timeRange };
}

/**
 * What `PanelQueryRunner.getData({ withFieldConfig: true })` adds before a panel sees the data: field config
 * defaults and overrides applied through the plugin's field-config registry, and a `display` processor on every
 * field, for the current theme.
 */
export function withFieldConfig(
  data: PanelData,
  plugin: PanelPlugin,
  fieldConfig: FieldConfigSource,
  theme: GrafanaTheme2,
  replaceVariables: InterpolateFunction,
  timeZone: string
): PanelData {
  const series = applyFieldOverrides({
    data: data.series,
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone,
  });
  return { ...data, series };
}
