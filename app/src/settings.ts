import type { KeyValue } from '@grafana/data';

/** The app's jsonData (Grafana's `/api/plugins/mlsight-app/settings`). */
export interface AppSettings {
  /** The MLSight data source the pages query; default the provisioned one. */
  datasourceUid?: string;
}

/** Reads the app's settings from plugin meta jsonData, ignoring what is not a setting of this app. */
export function appSettings(jsonData: KeyValue | undefined): AppSettings {
  const uid = jsonData?.datasourceUid;
  return typeof uid === 'string' && uid.trim() !== '' ? { datasourceUid: uid.trim() } : {};
}
