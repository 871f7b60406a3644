import {
  EmbeddedScene,
  PanelBuilders,
  SceneAppPage,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  VizPanel,
  type SceneAppPageLike,
  type SceneQueryRunner,
  type SceneObject,
} from '@grafana/scenes';
import { featureUrl, modelsUrl, modelUrl, PANEL_IDS, type ModelTab } from '../constants';
import { PromoteControl } from '../promote/PromoteControl';
import { CategoryDrift } from './CategoryDrift';
import { ChampionChallenger } from './ChampionChallenger';
import { mlsightQueries, type AppQuery } from './queries';

/** URL keys a tab link or drill-down keeps: the time range is the user's, whichever page shows it. */
const KEEP_URL_KEYS = ['from', 'to', 'timezone', 'refresh'];

interface PanelRow {
  height: number;
  panels: SceneObject[];
  /** One answer the row's panels share (a panel without its own data reads its nearest ancestor's). */
  data?: SceneQueryRunner;
}

/** A tab's scene: rows of panels under the time picker; every tab has its own time range synced to the URL. */
function tabScene(rows: PanelRow[]): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-7d', to: 'now' }),
    controls: [new SceneControlsSpacer(), new SceneTimePicker({ isOnCanvas: true }), new SceneRefreshPicker({})],
    body: new SceneFlexLayout({
      direction: 'column',
      children: rows.map(
        (row) =>
          new SceneFlexItem({
            height: row.height,
            body: new SceneFlexLayout({
              direction: 'row',
              ...(row.data ? { $data: row.data } : {}),
              children: row.panels.map((panel) => new SceneFlexItem({ body: panel })),
            }),
          })
      ),
    }),
  });
}

function panel(pluginId: string, title: string, ds: string, queries: AppQuery[], options = {}): VizPanel {
  return new VizPanel({ pluginId, title, options, $data: mlsightQueries(ds, queries) });
}

/**
 * The drift heatmap's click opens the feature's drill-down on the clicked bucket: the heatmap fills `${feature}`
 * (URL-encoded) and the bucket's `${from}`/`${to}` (epoch ms), which the drill-down's time range reads from the URL.
 */
export function heatmapDrillDownUrl(model: string): string {
  return `${modelUrl(model, 'drift')}/features/\${feature}?from=\${from}&to=\${to}`;
}

/** The feature table's link to the drill-down: Scenes fills `${__value.raw}` with the row's feature name. */
export function featureTableLink(model: string): string {
  return `${modelUrl(model, 'drift')}/features/\${__value.raw:percentencode}`;
}

function driftScene(ds: string, model: string): EmbeddedScene {
  const featureTable = PanelBuilders.table()
    .setTitle('Features: drift now')
    .setOverrides((b) =>
      b
        .matchFieldsWithName('feature')
        .overrideLinks([{ title: 'Drill down to the feature', url: featureTableLink(model) }])
    )
    .build();
  return tabScene([
    {
      height: 420,
      panels: [
        panel(PANEL_IDS.driftHeatmap, 'Feature drift over time', ds, [{ queryType: 'drift_heatmap', model }], {
          drillDownUrl: heatmapDrillDownUrl(model),
        }),
      ],
    },
    {
      // The feature table and the category panel share one feature_drift answer (the category panel reads `kind`).
      height: 380,
      data: mlsightQueries(ds, [{ queryType: 'feature_drift', model }]),
      panels: [featureTable, new CategoryDrift({ datasourceUid: ds, model })],
    },
  ]);
}

/** The model's provenance graph: dataset → steps → run → model → version → alias, each node a link onward. */
function lineagePanel(ds: string, model: string, title = 'Provenance'): VizPanel {
  return panel(PANEL_IDS.provenance, title, ds, [{ queryType: 'provenance', model, limit: 300 }]);
}

/** Rows the feature drill-down shows: enough to read a bucket's rows, few enough for one table. */
export const DRILL_DOWN_ROWS = 200;

/** The stored predictions behind the page's range, with the one feature's values beside prediction and label. */
function rowsPanel(ds: string, model: string, feature: string): VizPanel {
  return PanelBuilders.table()
    .setTitle('Rows in this range')
    .setDescription(`The first ${DRILL_DOWN_ROWS} stored predictions of the range, with ${feature} and the label`)
    .setData(mlsightQueries(ds, [{ queryType: 'predictions', model, features: [feature], limit: DRILL_DOWN_ROWS }]))
    .build();
}

/** Each tab's panels: the existing query types, drawn by the MLSight panels or Grafana's own. */
const TAB_SCENES: Record<ModelTab, (ds: string, model: string) => EmbeddedScene> = {
  drift: driftScene,
  performance: (ds, model) =>
    tabScene([
      {
        height: 320,
        panels: [
          PanelBuilders.timeseries()
            .setTitle('Realised performance')
            .setData(mlsightQueries(ds, [{ queryType: 'performance', model, metrics: ['accuracy'] }]))
            .build(),
          PanelBuilders.timeseries()
            .setTitle('Estimated accuracy (CBPE, without labels)')
            .setData(mlsightQueries(ds, [{ queryType: 'estimated_performance', model, metrics: ['accuracy'] }]))
            .build(),
        ],
      },
      {
        // The comparison is drawn only when the registry has both aliases (the model_versions answer says).
        height: 300,
        data: mlsightQueries(ds, [{ queryType: 'model_versions', model }]),
        panels: [new ChampionChallenger({ datasourceUid: ds, model })],
      },
    ]),
  explanations: (ds, model) =>
    tabScene([
      {
        height: 460,
        panels: [
          panel(PANEL_IDS.explanations, 'Global importance', ds, [
            { queryType: 'explanations_global', model, topN: 15 },
          ]),
          panel(PANEL_IDS.explanations, 'Explanation drift', ds, [{ queryType: 'explanation_drift', model, topN: 15 }]),
        ],
      },
    ]),
  quality: (ds, model) =>
    tabScene([
      {
        height: 320,
        panels: [
          PanelBuilders.timeseries()
            .setTitle('Data quality over time')
            .setData(mlsightQueries(ds, [{ queryType: 'data_quality', model }]))
            .build(),
        ],
      },
      {
        height: 320,
        panels: [
          PanelBuilders.table()
            .setTitle('Data quality per feature')
            .setData(mlsightQueries(ds, [{ queryType: 'data_quality', model }]))
            .build(),
        ],
      },
    ]),
  lineage: (ds, model) =>
    tabScene([
      {
        height: 640,
        panels: [lineagePanel(ds, model)],
      },
    ]),
  deployments: (ds, model) =>
    tabScene([
      {
        height: 320,
        panels: [
          PanelBuilders.table()
            .setTitle('Deployments')
            .setData(mlsightQueries(ds, [{ queryType: 'deployments', model }]))
            .build(),
        ],
      },
      {
        height: 320,
        panels: [
          PanelBuilders.table()
            .setTitle('Versions')
            .setData(mlsightQueries(ds, [{ queryType: 'model_versions', model }]))
            .build(),
        ],
      },
    ]),
};

const TAB_TITLES: Record<ModelTab, string> = {
  drift: 'Drift',
  performance: 'Performance',
  explanations: 'Explanations',
  quality: 'Data quality',
  lineage: 'Lineage',
  deployments: 'Deployments',
};

/**
 * The feature drill-down: the feature's drift trend, its verdict now and, for a categorical feature, its categories
 * over time; then the rows behind the range (a heatmap cell narrows it to one bucket) and the model's lineage, so the
 * run and the dataset behind each version are one click away.
 */
export function featurePage(ds: string, model: string, feature: string, parent: SceneAppPageLike): SceneAppPage {
  return new SceneAppPage({
    title: feature,
    subTitle: `Feature of ${model}`,
    url: featureUrl(model, feature),
    routePath: 'drift/features/:feature',
    preserveUrlKeys: KEEP_URL_KEYS,
    getParentPage: () => parent,
    getScene: () =>
      tabScene([
        {
          height: 340,
          panels: [
            PanelBuilders.timeseries()
              .setTitle(`Drift trend: ${feature}`)
              .setData(mlsightQueries(ds, [{ queryType: 'drift_trend', model, features: [feature] }]))
              .build(),
          ],
        },
        {
          height: 400,
          data: mlsightQueries(ds, [{ queryType: 'feature_drift', model, features: [feature] }]),
          panels: [
            PanelBuilders.table().setTitle(`Drift now: ${feature}`).build(),
            new CategoryDrift({ datasourceUid: ds, model, feature }),
          ],
        },
        { height: 420, panels: [rowsPanel(ds, model, feature)] },
        { height: 520, panels: [lineagePanel(ds, model, 'Lineage: the runs and datasets behind the versions')] },
      ]),
  });
}

export function routeParam(params: Record<string, string | undefined>, name: string): string {
  // React Router hands the route parameter still percent-encoded when the URL was encoded by us.
  const raw = params[name] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A model's page: the six tabs, the promote / rollback action, and the feature drill-down under the drift tab. */
export function modelPage(ds: string, model: string, parent: SceneAppPageLike): SceneAppPage {
  const tabs = (Object.keys(TAB_SCENES) as ModelTab[]).map(
    (tab) =>
      new SceneAppPage({
        title: TAB_TITLES[tab],
        url: modelUrl(model, tab),
        routePath: tab,
        preserveUrlKeys: KEEP_URL_KEYS,
        getScene: () => TAB_SCENES[tab](ds, model),
        ...(tab === 'drift'
          ? {
              drilldowns: [
                {
                  routePath: 'drift/features/:feature',
                  getPage: (match, driftTab) => featurePage(ds, model, routeParam(match.params, 'feature'), driftTab),
                },
              ],
            }
          : {}),
      })
  );
  return new SceneAppPage({
    title: model,
    subTitle: 'Drift, performance, explanations, data quality, lineage and deployments of one registered model',
    url: `${modelsUrl()}/${encodeURIComponent(model)}`,
    routePath: ':model/*',
    getParentPage: () => parent,
    preserveUrlKeys: KEEP_URL_KEYS,
    controls: [
      new PromoteControl({
        datasourceUid: ds,
        model,
        $data: mlsightQueries(ds, [{ queryType: 'model_versions', model }]),
      }),
    ],
    tabs,
  });
}
