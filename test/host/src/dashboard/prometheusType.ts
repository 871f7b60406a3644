import { PluginType, type DataSourcePluginMeta } from '@grafana/data';
import type { CoreDataSourceType } from '../runtime/dataSourceSrv';
import { PrometheusStandIn } from './prometheusDataSource';

/** Grafana's Prometheus plugin as the dataSourceSrv knows it: core meta, instances of the host's stand-in. */
export const PROMETHEUS_TYPE: CoreDataSourceType = {
  meta: {
    id: 'prometheus',
    name: 'Prometheus',
    type: PluginType.datasource,
    module: 'core:plugin/prometheus',
    baseUrl: 'public/app/plugins/datasource/prometheus',
    metrics: true,
    alerting: true,
    annotations: true,
    info: {
      author: { name: 'Grafana Labs' },
      description: 'Open source time series database & alerting',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  } as DataSourcePluginMeta,
  create: (settings) => new PrometheusStandIn(settings),
};
