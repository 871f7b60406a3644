import type { AppRootProps } from '@grafana/data';
import { useSceneApp } from '@grafana/scenes';
import React, { useCallback } from 'react';
import { mlsightApp } from '../scenes/mlsightApp';
import { appSettings } from '../settings';
import { DEFAULT_DATASOURCE_UID } from '../constants';

/** The app's root page (Grafana routes /a/mlsight-app/* here); Scenes routes within it. */
export function App({ meta }: AppRootProps) {
  const datasourceUid = appSettings(meta.jsonData).datasourceUid ?? DEFAULT_DATASOURCE_UID;
  // useSceneApp caches the app per factory, so the factory must be stable for one data source.
  const factory = useCallback(() => mlsightApp(datasourceUid), [datasourceUid]);
  const scene = useSceneApp(factory);
  return <scene.Component model={scene} />;
}
