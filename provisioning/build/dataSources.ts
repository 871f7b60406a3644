/**
 * The data sources the dashboards query, by the uids provisioning/datasources/mlsight.yaml gives them (Grafana's own
 * `-- Grafana --` source carries the built-in annotations).
 */
export const MLSIGHT_DATASOURCE = { type: 'mlsight-mlflow-datasource', uid: 'mlsight' } as const;
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'mlsight-prometheus' } as const;
export const GRAFANA_DATASOURCE = { type: 'grafana', uid: '-- Grafana --' } as const;
