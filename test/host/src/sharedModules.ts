/**
 * The modules the host shares with plugins, by the names plugins import them by — the subset of Grafana's plugin
 * loader `sharedDependenciesMap` that exists in this repository's node_modules. Imported as namespaces, the way
 * Grafana's loader hands them to SystemJS. Importing this file evaluates every one of them, UMD bundles such as
 * lodash included, which must happen before the global AMD `define` exists.
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as d3 from 'd3';
import * as i18next from 'i18next';
import * as lodash from 'lodash';
import * as moment from 'moment';
import * as react from 'react';
import * as reactDom from 'react-dom';
import * as reactDomClient from 'react-dom/client';
// One React Router 6 under Grafana's three names (build.ts resolves all three to the line's v6).
import * as reactRouter from 'react-router';
import * as reactRouterDom from 'react-router-dom';
import * as jsxDevRuntime from 'react/jsx-dev-runtime';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

export const SHARED_MODULES: Readonly<Record<string, unknown>> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  d3,
  i18next,
  lodash,
  moment,
  react,
  'react-dom': reactDom,
  'react-dom/client': reactDomClient,
  'react-router': reactRouter,
  'react-router-dom': reactRouterDom,
  'react-router-dom-v5-compat': reactRouterDom,
  'react/jsx-runtime': jsxRuntime,
  'react/jsx-dev-runtime': jsxDevRuntime,
  rxjs,
  'rxjs/operators': rxjsOperators,
};

/** Versions shown in the host's header, so a screenshot says which Grafana line rendered it. */
export const SHARED_VERSIONS = { react: react.version };
