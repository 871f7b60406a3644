import { css } from '@emotion/css';
import { ThemeContext, type GrafanaTheme2 } from '@grafana/data';
import { LocationServiceProvider, locationSearchToObject, locationService } from '@grafana/runtime';
import { ErrorBoundaryAlert, GlobalStyles, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Route, Router, Routes, type Navigator, type To } from 'react-router-dom';
import { applyTheme, type ThemeMode } from '../components/Host';
import type { LoadedAppPlugin } from '../pluginLoader';
import { hostSelectors } from '../selectors';
import { interceptLinkClicks } from './interceptLinkClicks';

interface Props {
  app: LoadedAppPlugin;
  initialTheme: ThemeMode;
  line: string;
  sharedModules: string[];
}

/** Grafana's history (locationService's, with appSubUrl as basename) as React Router 6 reads it. */
function useHistoryLocation() {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return { history, location };
}

/**
 * Grafana's app page: `LocationServiceProvider`, `<Router>` over locationService's history, the route `/a/:pluginId/*`, and the app's root page
 * with AppRootProps (`meta`, `path` and `basename` = `/a/<id>`, `query` from the URL, `onNavChanged`), inside an error
 * boundary as Grafana's AppRootPage does; links that stay in Grafana are pushed to the history.
 */
export function AppPage({ app, initialTheme, line, sharedModules }: Props) {
  const [mode, setMode] = useState<ThemeMode>(initialTheme);
  const theme = useMemo(() => applyTheme(mode), [mode]);
  const { history, location } = useHistoryLocation();
  const Root = app.plugin.root;
  const basename = `/a/${app.meta.id}`;
  const query = useMemo(() => locationSearchToObject(location.search), [location.search]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => (ref.current ? interceptLinkClicks(ref.current) : undefined), []);
  // React Router 6's navigator over history 4: both describe a location as { pathname, search, hash }.
  const navigator = useMemo<Navigator>(() => {
    const describe = (to: To, state?: unknown) =>
      typeof to === 'string'
        ? { pathname: to, state }
        : { pathname: to.pathname, search: to.search, hash: to.hash, state };
    return {
      createHref: (to) => history.createHref(describe(to)),
      push: (to, state) => history.push(describe(to, state)),
      replace: (to, state) => history.replace(describe(to, state)),
      go: (delta) => history.go(delta),
    };
  }, [history]);
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <AppChrome mode={mode} onMode={setMode} line={line} sharedModules={sharedModules} name={app.meta.name}>
        <div ref={ref} data-testid={hostSelectors.appPlugin.root} data-app-id={app.meta.id}>
          <LocationServiceProvider service={locationService}>
            <Router location={location} navigator={navigator}>
              <Routes>
                <Route
                  path="/a/:pluginId/*"
                  element={
                    <ErrorBoundaryAlert style="page">
                      {Root ? (
                        <Root
                          meta={app.meta}
                          path={basename}
                          basename={basename}
                          query={query}
                          onNavChanged={() => {}}
                        />
                      ) : (
                        <p>App {app.meta.id} has no root page</p>
                      )}
                    </ErrorBoundaryAlert>
                  }
                />
              </Routes>
            </Router>
          </LocationServiceProvider>
        </div>
      </AppChrome>
    </ThemeContext.Provider>
  );
}

function AppChrome(props: {
  mode: ThemeMode;
  onMode: (mode: ThemeMode) => void;
  line: string;
  sharedModules: string[];
  name: string;
  children: ReactNode;
}) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.page} data-testid={hostSelectors.app} data-theme={props.mode}>
      <Stack direction="row" justifyContent="space-between" alignItems="center">
        <Text element="h1" variant="h3">
          Plugin host · {props.name}
        </Text>
        <div data-testid={hostSelectors.themeSwitch}>
          <RadioButtonGroup<ThemeMode>
            options={[
              { label: 'Light', value: 'light' },
              { label: 'Dark', value: 'dark' },
            ]}
            value={props.mode}
            onChange={props.onMode}
          />
        </div>
      </Stack>
      <Text color="secondary" variant="bodySmall">
        <span data-testid={hostSelectors.sharedModules}>
          {props.line} · shared modules: {props.sharedModules.join(', ')}
        </span>
      </Text>
      {props.children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    padding: theme.spacing(2, 4),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    minHeight: '100vh',
    background: theme.colors.background.canvas,
  }),
});
