import { css } from '@emotion/css';
import type { DataSourceApi, GrafanaTheme2, TimeRange } from '@grafana/data';
import { Alert, InlineField, InlineFieldRow, Text, useStyles2 } from '@grafana/ui';
import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import {
  gridHeight,
  panelBox,
  panelDataSource,
  panelTimeRange,
  type DashboardModel,
  type DashboardPanelModel,
} from '../dashboard/dashboardModel';
import { ALL_VALUE, resolveVariables, type ResolvedVariable } from '../dashboard/variables';
import type { HostServices } from '../hostServices';
import type { LoadedPanelPlugin } from '../pluginLoader';
import { hostSelectors } from '../selectors';
import { PanelSection, type PanelConfig } from './PanelSection';

export interface DashboardPageProps {
  services: HostServices;
  dashboard: DashboardModel;
  /** Panel plugins by type: the loaded MLSight panels and the host's stand-ins of Grafana's core panels. */
  panels: Record<string, LoadedPanelPlugin>;
  timeRange: TimeRange;
  /** `var-<name>` values from the URL. */
  urlValues: Record<string, string | string[]>;
  /** The grid's width in pixels. */
  width: number;
}

/** One grid item: a row header, or the panel rendered by PanelSection with its data source. */
function GridItem({
  panel,
  plugin,
  datasource,
  datasourceError,
  config,
  services,
}: {
  panel: DashboardPanelModel;
  plugin: LoadedPanelPlugin | undefined;
  datasource: DataSourceApi | undefined;
  datasourceError: string | undefined;
  config: PanelConfig;
  services: HostServices;
}) {
  const styles = useStyles2(getStyles);
  if (panel.type === 'row') {
    return (
      <div className={styles.row}>
        <Text element="h3" variant="h5">
          {services.templateSrv.replace(panel.title)}
        </Text>
      </div>
    );
  }
  // What Grafana shows for a panel it cannot draw; counted as a panel error by the tests.
  const problem = !plugin ? `Panel plugin not found: ${panel.type}` : datasourceError;
  if (problem || !plugin) {
    return (
      <div data-testid={hostSelectors.dashboard.panelError}>
        <Alert severity="error" title={panel.title}>
          {problem}
        </Alert>
      </div>
    );
  }
  return (
    <PanelSection
      services={services}
      datasource={datasource}
      panel={plugin}
      config={config}
      panelId={panel.id}
      benchHook={false}
    />
  );
}

/**
 * A provisioned dashboard as Grafana shows it: the variable pickers, then every panel on the 24-column grid with
 * its saved options and field config, queries run through its data source with the interval Grafana derives from
 * the panel's width. Changing a variable re-resolves the variables after it and re-runs every panel.
 */
export function DashboardPage({ services, dashboard, panels, timeRange, urlValues, width }: DashboardPageProps) {
  const styles = useStyles2(getStyles);
  const [variables, setVariables] = useState<ResolvedVariable[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [datasources, setDatasources] = useState<Record<string, DataSourceApi | string>>({});
  // Bumped when the variables change: every panel gets new configs, so its queries run again.
  const [generation, setGeneration] = useState(0);

  const change = async (index: number, value: string) => {
    const current = variables ?? [];
    const wanted: Record<string, string | string[]> = {};
    for (const v of current) if (v.current !== undefined) wanted[v.name] = v.current;
    const name = dashboard.variables[index]?.name;
    if (name !== undefined) wanted[name] = value;
    try {
      const next = await resolveVariables(dashboard.variables, current, index, wanted, services, timeRange);
      setVariables(next);
      setGeneration((g) => g + 1);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  useEffect(() => {
    let cancelled = false;
    services.templateSrv.updateTimeRange(timeRange);
    const uids = [...new Set(dashboard.panels.flatMap((p) => panelDataSource(p)?.uid ?? []))];
    const loadDatasources = Promise.all(
      uids.map(async (uid) => {
        try {
          return [uid, await services.dataSourceSrv.get(uid)] as const;
        } catch (err) {
          return [uid, err instanceof Error ? err.message : String(err)] as const;
        }
      })
    );
    Promise.all([resolveVariables(dashboard.variables, [], 0, urlValues, services, timeRange), loadDatasources])
      .then(([resolved, loaded]) => {
        if (cancelled) return;
        setDatasources(Object.fromEntries(loaded));
        setVariables(resolved);
      })
      .catch((err: unknown) => {
        if (!cancelled) setError(err instanceof Error ? err.message : String(err));
      });
    return () => {
      cancelled = true;
    };
  }, [dashboard, services, timeRange, urlValues]);

  const configs = useMemo(
    () =>
      new Map(
        dashboard.panels.map((panel) => {
          const box = panelBox(panel.gridPos, width);
          const ds = panelDataSource(panel);
          const settings = ds?.uid ? services.dataSourceSrv.getInstanceSettings(ds.uid) : undefined;
          const jsonData: Record<string, unknown> = { ...settings?.jsonData };
          const panelRange = panelTimeRange(panel, timeRange);
          const minInterval = panel.interval ?? jsonData.timeInterval;
          const config: PanelConfig = {
            targets: panel.targets,
            savedOptions: panel.options,
            savedFieldConfig: panel.fieldConfig,
            width: box.width,
            height: box.height,
            title: panel.title,
            ...(panelRange.info ? { titleInfo: panelRange.info } : {}),
            timeRange: panelRange.range,
            resolution: {
              maxDataPoints: panel.maxDataPoints ?? box.width,
              ...(typeof minInterval === 'string' ? { minInterval } : {}),
              panelId: panel.id,
              dashboardUID: dashboard.uid,
            },
          };
          return [panel.id, config] as const;
        })
      ),
    // `generation` makes fresh configs (and so fresh queries) after a variable change.
    [dashboard, width, timeRange, services, generation]
  );

  return (
    <div data-testid={hostSelectors.dashboard.page} data-uid={dashboard.uid} data-ready={variables ? 'true' : 'false'}>
      <Text element="h2" variant="h3">
        {dashboard.title}
      </Text>
      <InlineFieldRow className={styles.variables}>
        {(variables ?? [])
          .map((variable, index) => ({ variable, index }))
          .filter(({ variable }) => !variable.hidden)
          .map(({ variable, index }) => (
            <InlineField key={variable.name} label={variable.label ?? variable.name}>
              {variable.type === 'textbox' ? (
                <input
                  className={styles.input}
                  data-testid={hostSelectors.variables.picker(variable.name)}
                  defaultValue={typeof variable.current === 'string' ? variable.current : ''}
                  onBlur={(e: ChangeEvent<HTMLInputElement>) => void change(index, e.currentTarget.value)}
                />
              ) : (
                <select
                  className={styles.input}
                  data-testid={hostSelectors.variables.picker(variable.name)}
                  value={Array.isArray(variable.current) ? (variable.current[0] ?? '') : (variable.current ?? '')}
                  onChange={(e: ChangeEvent<HTMLSelectElement>) => void change(index, e.currentTarget.value)}
                >
                  {variable.includeAll && <option value={ALL_VALUE}>All</option>}
                  {variable.options.map((option) => (
                    <option key={option} value={option}>
                      {variable.texts[option] ?? option}
                    </option>
                  ))}
                </select>
              )}
            </InlineField>
          ))}
      </InlineFieldRow>
      {error && <Alert severity="error" title={`Dashboard: ${error}`} />}
      {variables && (
        <div className={styles.grid} style={{ width, height: gridHeight(dashboard.panels, width) }}>
          {dashboard.panels.map((panel) => {
            const box = panelBox(panel.gridPos, width);
            const uid = panelDataSource(panel)?.uid;
            const ds = uid ? datasources[uid] : undefined;
            const config = configs.get(panel.id);
            if (!config) return null;
            return (
              <div
                key={panel.id}
                className={styles.item}
                style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
                data-testid={hostSelectors.dashboard.panel}
                data-panel-id={panel.id}
                data-panel-type={panel.type}
                data-panel-title={panel.title}
              >
                <GridItem
                  panel={panel}
                  plugin={panels[panel.type]}
                  datasource={typeof ds === 'string' ? undefined : ds}
                  datasourceError={typeof ds === 'string' ? `Data source ${uid}: ${ds}` : undefined}
                  config={config}
                  services={services}
                />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  variables: css({ margin: theme.spacing(1, 0) }),
  input: css({
    height: theme.spacing(4),
    background: theme.components.input.background,
    color: theme.colors.text.primary,
    border: `1px solid ${theme.components.input.borderColor}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0, 1),
  }),
  grid: css({ position: 'relative' }),
  item: css({ position: 'absolute', overflow: 'hidden' }),
  row: css({
    height: '100%',
    display: 'flex',
    alignItems: 'flex-end',
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
});
