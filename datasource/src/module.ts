import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import type { MLSightDataSourceQuery, MLSightOptions, MLSightSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, MLSightDataSourceQuery, MLSightOptions, MLSightSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
