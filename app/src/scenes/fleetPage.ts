import {
  CustomVariable,
  EmbeddedScene,
  SceneAppPage,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  TextBoxVariable,
  VariableValueSelectors,
} from '@grafana/scenes';
import { fleetUrl } from '../constants';
import { FleetTable, SEARCH_VARIABLE, STATUS_VARIABLE } from './FleetTable';
import { mlsightQueries } from './queries';

/**
 * The fleet page: every registered model from one `fleet` query, filtered by a search box and a status choice whose
 * values Scenes keeps in the URL (`var-search`, `var-status`), so a filtered view can be shared. The query answers for
 * all models; the table filters the rows, so typing never waits for the proxy.
 */
export function fleetScene(datasourceUid: string): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-7d', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new TextBoxVariable({ name: SEARCH_VARIABLE, label: 'Search models', value: '' }),
        new CustomVariable({
          name: STATUS_VARIABLE,
          label: 'Status',
          query: 'All : all, Needs attention : attention, OK : ok',
          value: 'all',
          text: 'All',
        }),
      ],
    }),
    $data: mlsightQueries(datasourceUid, [{ queryType: 'fleet' }]),
    controls: [
      new VariableValueSelectors({}),
      new SceneControlsSpacer(),
      new SceneTimePicker({ isOnCanvas: true }),
      new SceneRefreshPicker({ isOnCanvas: true }),
    ],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ minHeight: 600, body: new FleetTable({}) })],
    }),
  });
}

export function fleetPage(datasourceUid: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Fleet',
    subTitle: 'Every registered model, worst first: drift, estimated and realised accuracy, data quality, alerts',
    url: fleetUrl(),
    routePath: 'fleet/*',
    getScene: () => fleetScene(datasourceUid),
  });
}
