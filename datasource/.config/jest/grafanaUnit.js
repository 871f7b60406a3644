// What the root jest `unit` project needs once tests import @grafana/data|ui under jsdom: ESM-only dependencies
// transformed, stylesheets and Grafana's SVG icon loader stubbed, and browser APIs jsdom lacks (jest.setup.ts).
const path = require('path');

/** ESM-only packages that the CommonJS builds of @grafana/data and @grafana/ui require. */
const GRAFANA_ESM_ONLY = [
  'd3-[^/]+',
  'internmap',
  'marked',
  'marked-mangle',
  'ol',
  'react-calendar',
  '@wojtekmaj',
  'get-user-locale',
  'memoize',
  'mimic-function',
  'uuid',
  'react-colorful',
  'rxjs',
  '@grafana/schema',
];

const NOT_IGNORED = /^\/node_modules\/\(\?!\(?(.+?)\)?\/\)$/;

/** Packages an existing `/node_modules/(?!a|b/)` pattern already lets through. */
function exceptionsOf(patterns) {
  return (patterns ?? []).flatMap((pattern) => {
    if (pattern === '/node_modules/') return [];
    const match = NOT_IGNORED.exec(pattern);
    if (!match) throw new Error(`withGrafanaUi: cannot merge transformIgnorePatterns entry ${pattern}`);
    return match[1].split('|');
  });
}

const here = (...p) => path.join(__dirname, ...p);

/** Returns the jest project with the Grafana UI test setup added (other settings kept). */
function withGrafanaUi(project) {
  const swc = Object.values(project.transform ?? {})[0];
  const allowed = [...new Set([...exceptionsOf(project.transformIgnorePatterns), ...GRAFANA_ESM_ONLY])];
  return {
    ...project,
    transform: { ...project.transform, '^.+\\.mjs$': swc },
    transformIgnorePatterns: [`/node_modules/(?!(${allowed.join('|')})/)`],
    moduleNameMapper: {
      ...project.moduleNameMapper,
      '\\.css$': here('mocks', 'style.js'),
      '^react-inlinesvg$': here('mocks', 'react-inlinesvg.tsx'),
    },
    setupFilesAfterEnv: [...(project.setupFilesAfterEnv ?? []), here('..', '..', 'jest.setup.ts')],
  };
}

module.exports = { withGrafanaUi, GRAFANA_ESM_ONLY };
