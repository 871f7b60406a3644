/** Test ids of the host's own chrome, shared by the host and the E2E suite. */
export const hostSelectors = {
  app: 'host-app',
  appPlugin: { root: 'host-app-plugin-root', page: 'host-app-plugin-page' },
  bootError: 'host-boot-error',
  themeSwitch: 'host-theme-switch',
  sharedModules: 'host-shared-modules',
  config: {
    section: 'host-config-section',
    saveAndTest: 'host-config-save-and-test',
    alert: 'host-config-test-alert',
  },
  query: {
    section: 'host-query-section',
    editor: 'host-query-editor',
    run: 'host-query-run',
    frames: 'host-query-frames',
    frame: (index: number) => `host-query-frame-${index}`,
    error: 'host-query-error',
    state: 'host-query-state',
  },
  variables: {
    section: 'host-variables-section',
    editor: 'host-variable-editor',
    refresh: 'host-variables-refresh',
    picker: (name: string) => `host-variable-${name}`,
    error: 'host-variables-error',
  },
  annotations: {
    section: 'host-annotations-section',
    editor: 'host-annotation-editor',
    run: 'host-annotations-run',
    events: 'host-annotations-events',
    error: 'host-annotations-error',
  },
  dashboard: {
    section: 'host-dashboard-section',
    /** Carries data-uid and data-ready (variables resolved, panels placed). */
    page: 'host-dashboard',
    /** One grid item; carries data-panel-id, data-panel-type, data-panel-title. */
    panel: 'host-dashboard-panel',
    /** A panel the host cannot draw (unknown type, data source missing). */
    panelError: 'host-dashboard-panel-error',
  },
  panel: {
    section: 'host-panel-section',
    /**
     * Carries data-state (loading/done/error), data-runs (completed queries), data-from/data-to (range, ms),
     * data-options (the options the panel got) and data-fields / data-fields-with-display (display processors).
     */
    state: 'host-panel-state',
    errors: 'host-panel-errors',
    viz: 'host-panel-viz',
  },
} as const;
