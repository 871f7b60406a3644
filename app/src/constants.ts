/** Ids and URLs the app's pages, links and queries share. */
export const PLUGIN_ID = 'mlsight-app';
/** Grafana mounts an app's root page at `/a/<plugin id>`. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** The provisioned MLSight data source (provisioning/datasources); the app's jsonData may name another. */
export const DEFAULT_DATASOURCE_UID = 'mlsight';
export const DATASOURCE_TYPE = 'mlsight-mlflow-datasource';

/** The MLSight panels the app draws with, by plugin id (the app brings them along as nested plugins). */
export const PANEL_IDS = {
  driftHeatmap: 'mlsight-driftheatmap-panel',
  explanations: 'mlsight-explanations-panel',
  provenance: 'mlsight-provenance-panel',
} as const;

export const MODEL_TABS = ['drift', 'performance', 'explanations', 'quality', 'lineage', 'deployments'] as const;
export type ModelTab = (typeof MODEL_TABS)[number];

const segment = (text: string) => encodeURIComponent(text);

export const fleetUrl = (): string => `${PLUGIN_BASE_URL}/fleet`;
export const modelsUrl = (): string => `${PLUGIN_BASE_URL}/models`;
export const modelUrl = (model: string, tab: ModelTab = 'drift'): string => `${modelsUrl()}/${segment(model)}/${tab}`;
export const featureUrl = (model: string, feature: string): string =>
  `${modelUrl(model, 'drift')}/features/${segment(feature)}`;
