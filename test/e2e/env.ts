/** Environment variables through which globalSetup hands the running services to the tests. */
export const E2E_ENV = {
  hostUrl: 'MLSIGHT_E2E_HOST_URL',
  proxyUrl: 'MLSIGHT_E2E_PROXY_URL',
  token: 'MLSIGHT_E2E_TOKEN',
  model: 'MLSIGHT_E2E_MODEL',
  demoModels: 'MLSIGHT_E2E_DEMO_MODELS',
  prometheusUrl: 'MLSIGHT_E2E_PROMETHEUS_URL',
  mlflowUrl: 'MLSIGHT_E2E_MLFLOW_URL',
} as const;

/** A second data source with no settings, for the config-editor tests. */
export const UNCONFIGURED_UID = 'mlsight-new';

export interface E2EServices {
  hostUrl: string;
  proxyUrl: string;
  token: string;
  model: string;
  /** Every model of the demo story (credit-risk and the fleet models), from its summary. */
  demoModels: string[];
  prometheusUrl: string;
  /** MLflow itself, for ground truth past the proxy (and for moving an alias behind the app's back). */
  mlflowUrl: string;
}

/** The services globalSetup started; throws when the suite was run without it. */
export function e2eServices(): E2EServices {
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value)
      throw new Error(`${name} is not set: run the suite with \`npx playwright test\` (its globalSetup sets it)`);
    return value;
  };
  return {
    hostUrl: read(E2E_ENV.hostUrl),
    proxyUrl: read(E2E_ENV.proxyUrl),
    token: read(E2E_ENV.token),
    model: read(E2E_ENV.model),
    demoModels: read(E2E_ENV.demoModels).split(','),
    prometheusUrl: read(E2E_ENV.prometheusUrl),
    mlflowUrl: read(E2E_ENV.mlflowUrl),
  };
}
