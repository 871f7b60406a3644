import { dateMath, type DataSourceApi, type DataSourcePluginMeta, type TimeRange } from '@grafana/data';
import type { HostBackendSrv } from './runtime/backendSrv';
import type { HostDataSourceSrv } from './runtime/dataSourceSrv';
import type { HostTemplateSrv } from './runtime/templateSrv';

/** What the host's sections share: the runtime services Grafana would provide, and the plugin under test. */
export interface HostServices {
  uid: string;
  meta: DataSourcePluginMeta;
  backendSrv: HostBackendSrv;
  templateSrv: HostTemplateSrv;
  dataSourceSrv: HostDataSourceSrv;
  getDataSource(): Promise<DataSourceApi>;
}

/** The dashboard time range of the host: the last 30 days up to an hour ahead (seeded data is recent). */
export function hostTimeRange(): TimeRange {
  const from = dateMath.parse('now-30d');
  const to = dateMath.parse('now+1h', true);
  if (!from || !to) throw new Error('dateMath could not parse the host time range');
  return { from, to, raw: { from: 'now-30d', to: 'now+1h' } };
}
