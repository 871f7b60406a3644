import { css } from '@emotion/css';
import { ThemeContext, createTheme, type DataSourceApi, type GrafanaTheme2 } from '@grafana/data';
import { config } from '@grafana/runtime';
import { GlobalStyles, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { HostServices } from '../hostServices';
import { hostSelectors } from '../selectors';
import type { LoadedPanelPlugin } from '../pluginLoader';
import { AnnotationsSection } from './AnnotationsSection';
import { ConfigSection } from './ConfigSection';
import { DashboardPage, type DashboardPageProps } from './DashboardPage';
import { PanelSection, type PanelConfig } from './PanelSection';
import { QuerySection } from './QuerySection';
import { VariablesSection } from './VariablesSection';

export type ThemeMode = 'light' | 'dark';

/** Switches the theme as Grafana's `changeTheme` does: a new theme2 in config, the v1 theme and the body class. */
export function applyTheme(mode: ThemeMode): GrafanaTheme2 {
  const theme = createTheme({ colors: { mode } });
  config.theme2 = theme;
  config.theme = theme.v1;
  config.bootData.user.lightTheme = mode === 'light';
  document.body.classList.remove('theme-light', 'theme-dark');
  document.body.classList.add(`theme-${mode}`);
  return theme;
}

interface Props {
  services: HostServices;
  initialTheme: ThemeMode;
  sharedModules: string[];
  line: string;
  /** Panel mode: one panel plugin on a dashboard, instead of the data source's pages. */
  panel?: { loaded: LoadedPanelPlugin; config: PanelConfig };
  /** Dashboard mode: a provisioned dashboard with all its panels. */
  dashboard?: Omit<DashboardPageProps, 'services'>;
}

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <section className={styles.section} data-testid={testId}>
      <Text element="h2" variant="h4">
        {title}
      </Text>
      {children}
    </section>
  );
}

function HostBody({
  services,
  sharedModules,
  line,
  panel,
  dashboard,
  mode,
  onMode,
}: Omit<Props, 'initialTheme'> & { mode: ThemeMode; onMode: (m: ThemeMode) => void }) {
  const styles = useStyles2(getStyles);
  const [datasource, setDatasource] = useState<DataSourceApi | undefined>();
  // Saving settings builds a new instance; editors below then get the fresh one, as after a Grafana page reload.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    void services.getDataSource().then(setDatasource);
  }, [services, generation]);

  return (
    <div className={styles.page} data-testid={hostSelectors.app} data-theme={mode}>
      <Stack direction="row" justifyContent="space-between" alignItems="center">
        <Text element="h1" variant="h3">
          Plugin host · {dashboard ? 'Dashboard' : panel ? panel.loaded.meta.name : services.meta.name}
        </Text>
        <div data-testid={hostSelectors.themeSwitch}>
          <RadioButtonGroup<ThemeMode>
            options={[
              { label: 'Light', value: 'light' },
              { label: 'Dark', value: 'dark' },
            ]}
            value={mode}
            onChange={onMode}
          />
        </div>
      </Stack>
      <Text color="secondary" variant="bodySmall">
        <span data-testid={hostSelectors.sharedModules}>
          {line} · shared modules: {sharedModules.join(', ')}
        </span>
      </Text>
      {panel && datasource && (
        <Section title={`Panel · ${panel.loaded.meta.id}`} testId={hostSelectors.panel.section}>
          <PanelSection services={services} datasource={datasource} panel={panel.loaded} config={panel.config} />
        </Section>
      )}
      {dashboard && (
        <section data-testid={hostSelectors.dashboard.section}>
          <DashboardPage services={services} {...dashboard} />
        </section>
      )}
      {!panel && !dashboard && (
        <Section title="Data source settings" testId={hostSelectors.config.section}>
          <ConfigSection services={services} onSaved={() => setGeneration((g) => g + 1)} />
        </Section>
      )}
      {!panel && !dashboard && datasource && (
        <>
          <Section title="Query" testId={hostSelectors.query.section}>
            <QuerySection key={`q${generation}`} services={services} datasource={datasource} />
          </Section>
          <Section title="Variables" testId={hostSelectors.variables.section}>
            <VariablesSection key={`v${generation}`} services={services} datasource={datasource} />
          </Section>
          <Section title="Annotations" testId={hostSelectors.annotations.section}>
            <AnnotationsSection key={`a${generation}`} datasource={datasource} />
          </Section>
        </>
      )}
    </div>
  );
}

/** The host page: Grafana's theme context around the data-source settings, query, variables and annotations. */
export function Host(props: Props) {
  const [mode, setMode] = useState<ThemeMode>(props.initialTheme);
  const theme = useMemo(() => applyTheme(mode), [mode]);
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <HostBody
        services={props.services}
        sharedModules={props.sharedModules}
        line={props.line}
        panel={props.panel}
        dashboard={props.dashboard}
        mode={mode}
        onMode={setMode}
      />
    </ThemeContext.Provider>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2), display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  section: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    padding: theme.spacing(2),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  }),
});
