import { PluginType, type DataSourceInstanceSettings, type DataSourcePluginMeta } from '@grafana/data';
import type { MLSightOptions } from '../types';

export const INSTANCE_URL = '/api/datasources/proxy/uid/mlsight-test';

const meta: DataSourcePluginMeta<MLSightOptions> = {
  id: 'mlsight-mlflow-datasource',
  name: 'MLSight',
  type: PluginType.datasource,
  module: 'public/plugins/mlsight-mlflow-datasource/module.js',
  baseUrl: 'public/plugins/mlsight-mlflow-datasource',
  info: {
    author: { name: 'MLSight' },
    description: '',
    links: [],
    logos: { small: '', large: '' },
    screenshots: [],
    updated: '',
    version: '0.1.0',
  },
};

/** Instance settings as Grafana hands them to the constructor (proxy access: `url` is the data-proxy path). */
export function instanceSettings(jsonData: MLSightOptions = {}): DataSourceInstanceSettings<MLSightOptions> {
  return {
    id: 1,
    uid: 'mlsight-test',
    type: 'mlsight-mlflow-datasource',
    name: 'MLSight',
    meta,
    readOnly: false,
    access: 'proxy',
    url: INSTANCE_URL,
    jsonData: { proxyUrl: 'http://127.0.0.1:8080', ...jsonData },
  };
}
