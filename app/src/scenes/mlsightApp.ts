import {
  EmbeddedScene,
  SceneApp,
  SceneAppPage,
  SceneFlexItem,
  SceneFlexLayout,
  SceneReactObject,
} from '@grafana/scenes';
import { modelsUrl } from '../constants';
import { ModelsIndex } from '../components/ModelsIndex';
import { fleetPage } from './fleetPage';
import { modelPage, routeParam } from './modelPage';

/** The models page itself lists nothing new: it points to the fleet; each model is a drill-down below it. */
function modelsPage(datasourceUid: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Models',
    subTitle: 'One page per registered model',
    url: modelsUrl(),
    routePath: 'models/*',
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          children: [new SceneFlexItem({ body: new SceneReactObject({ component: ModelsIndex }) })],
        }),
      }),
    drilldowns: [
      {
        routePath: ':model/*',
        getPage: (match, parent) => modelPage(datasourceUid, routeParam(match.params, 'model'), parent),
      },
    ],
  });
}

/** The app: the fleet overview and the model pages, with their state (tabs, drill-down, range, filters) in the URL. */
export function mlsightApp(datasourceUid: string): SceneApp {
  return new SceneApp({
    name: 'mlsight-app',
    pages: [fleetPage(datasourceUid), modelsPage(datasourceUid)],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}
