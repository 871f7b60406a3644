// Three suites: unit (stubs allowed, beside the code), integration (real MLflow / PostgreSQL / Prometheus),
// fidelity (statistics checked against scipy / scikit-learn / Evidently in the project's Python venv).
const { withGrafanaUi } = require('./datasource/.config/jest/grafanaUnit.js');

const swc = [
  '<rootDir>/test/support/jestSwcTransform.js',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: { '^@mlsight/contract$': '<rootDir>/contract/src/index.ts' },
  testEnvironment: 'node',
  rootDir: __dirname,
  // cookie 2 (via fastify's light-my-request) ships ESM only; Node 20.19+ requires it natively, jest needs a transform.
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  modulePathIgnorePatterns: ['<rootDir>/.venv/', '<rootDir>/.data/', '<rootDir>/.*/dist/'],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{contract,backend-proxy}/src/**/*.test.ts',
        '<rootDir>/test/provisioning/**/*.test.ts',
        '<rootDir>/test/host/server/**/*.test.ts',
      ],
    },
    // Grafana plugins: jsdom, @grafana/ui's ESM-only dependencies transformed, browser APIs jsdom lacks.
    withGrafanaUi({
      ...common,
      displayName: 'plugins',
      testMatch: ['<rootDir>/{datasource,panels/*,app}/src/**/*.test.ts?(x)'],
    }),
    {
      ...common,
      displayName: 'integration',
      setupFilesAfterEnv: ['<rootDir>/test/integration/setupTimeout.ts'],
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/globalSetup.ts',
      globalTeardown: '<rootDir>/test/integration/globalTeardown.ts',
    },
    {
      ...common,
      displayName: 'fidelity',
      testMatch: ['<rootDir>/test/fidelity/**/*.test.ts'],
    },
  ],
};
