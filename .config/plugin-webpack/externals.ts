import type { Configuration } from 'webpack';

type Externals = NonNullable<Configuration['externals']>;

/**
 * Modules Grafana hands to plugins at load time (its plugin loader's shared-dependency map), so the plugin
 * uses Grafana's single copy of React, its theme and its runtime singletons instead of bundling its own.
 * `react/jsx-runtime` stays external too: a bundled JSX runtime would create elements for a different React.
 */
export const SHARED_MODULES = [
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'i18next',
  'react-router',
  // Grafana 12.0.2+ shares React Router 6 under these names too (apps and @grafana/scenes 6+ route with it).
  'react-router-dom',
  'react-router-dom-v5-compat',
  'd3',
  'angular',
] as const;

/** Whole package families Grafana shares (any sub-path import stays external as well). */
export const SHARED_PATTERNS = [/^@grafana\/ui/i, /^@grafana\/runtime/i, /^@grafana\/data/i] as const;

export const externals: Externals = [
  // SystemJS's AMD `module` dependency: gives the bundle its own URL for the public path.
  { 'amd-module': 'module' },
  ...SHARED_MODULES,
  ...SHARED_PATTERNS,
  // Legacy `grafana/app/...` imports resolve to Grafana's own modules without the prefix.
  ({ request }, callback) => {
    const prefix = 'grafana/';
    if (request?.startsWith(prefix)) return callback(undefined, request.slice(prefix.length));
    return callback();
  },
];
