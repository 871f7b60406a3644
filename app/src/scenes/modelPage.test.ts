/** @jest-environment jsdom */
import { SceneAppPage, SceneQueryRunner, VizPanel, type SceneObject } from '@grafana/scenes';
import { MODEL_TABS, PANEL_IDS } from '../constants';
import { fleetScene } from './fleetPage';
import { featurePage, featureTableLink, heatmapDrillDownUrl, modelPage, routeParam } from './modelPage';

function descendants(root: SceneObject): SceneObject[] {
  const found: SceneObject[] = [];
  root.forEachChild((child) => {
    found.push(child, ...descendants(child));
  });
  return found;
}

function queriesOf(root: SceneObject): Array<Record<string, unknown>> {
  return descendants(root)
    .filter((o): o is SceneQueryRunner => o instanceof SceneQueryRunner)
    .flatMap((runner) => runner.state.queries as Array<Record<string, unknown>>);
}

const parent = new SceneAppPage({ title: 'Models', url: '/a/mlsight-app/models', routePath: 'models/*' });

describe('modelPage', () => {
  const page = modelPage('mlsight', 'credit risk', parent);
  const tabs = page.state.tabs ?? [];

  it('has the six tabs in order, under the model URL-encoded', () => {
    expect(tabs.map((t) => t.state.routePath)).toEqual([...MODEL_TABS]);
    expect(tabs.map((t) => t.state.url)).toEqual(MODEL_TABS.map((t) => `/a/mlsight-app/models/credit%20risk/${t}`));
  });

  it("queries only the page's model on every tab, with the MLSight panels where they fit", () => {
    const match = { params: {}, url: '', path: '', isExact: true };
    for (const tab of tabs) {
      const scene = tab.getScene(match);
      const queries = queriesOf(scene);
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) expect(q.model).toBe('credit risk');
    }
    const lineage = tabs.find((t) => t.state.routePath === 'lineage')?.getScene(match);
    const panels = descendants(lineage as SceneObject).filter((o): o is VizPanel => o instanceof VizPanel);
    expect(panels.map((p) => p.state.pluginId)).toEqual([PANEL_IDS.provenance]);
  });

  it('drills down from the drift tab to a feature, decoded from the route', () => {
    const drift = tabs[0];
    const drilldown = drift?.state.drilldowns?.[0];
    expect(drilldown?.routePath).toBe('drift/features/:feature');
    const feature = drilldown?.getPage(
      { params: { feature: 'loan%20amount' }, url: '', path: '', isExact: true },
      drift as SceneAppPage
    );
    expect(feature?.state.url).toBe('/a/mlsight-app/models/credit%20risk/drift/features/loan%20amount');
    const scene = feature?.getScene({ params: {}, url: '', path: '', isExact: true });
    const driftTrend = queriesOf(scene as SceneObject).find((q) => q.queryType === 'drift_trend');
    expect(driftTrend?.features).toEqual(['loan amount']);
    // The rows behind the range, of this feature only, and the lineage of the model.
    expect(queriesOf(scene as SceneObject)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          queryType: 'predictions',
          model: 'credit risk',
          features: ['loan amount'],
          limit: 200,
        }),
        expect.objectContaining({ queryType: 'provenance', model: 'credit risk' }),
      ])
    );
    const panels = descendants(scene as SceneObject).filter((o): o is VizPanel => o instanceof VizPanel);
    expect(panels.map((p) => p.state.title)).toContain('Rows in this range');
    expect(panels.map((p) => p.state.pluginId)).toContain(PANEL_IDS.provenance);
  });

  it('puts the promote action in the page controls, on the model_versions answer', () => {
    const control = page.state.controls?.[0];
    expect(control?.constructor.name).toBe('PromoteControl');
    expect(queriesOf(page)).toContainEqual(
      expect.objectContaining({ queryType: 'model_versions', model: 'credit risk' })
    );
  });
});

describe('drill-down links', () => {
  it('leaves the panel placeholders for the heatmap and the table to fill', () => {
    expect(heatmapDrillDownUrl('m')).toBe('/a/mlsight-app/models/m/drift/features/${feature}?from=${from}&to=${to}');
    expect(featureTableLink('m')).toBe('/a/mlsight-app/models/m/drift/features/${__value.raw:percentencode}');
  });

  it('decodes route parameters, keeping a malformed one as it came', () => {
    expect(routeParam({ model: 'a%2Fb' }, 'model')).toBe('a/b');
    expect(routeParam({ model: '100%' }, 'model')).toBe('100%');
    expect(routeParam({}, 'model')).toBe('');
  });

  it('makes a feature page whose parent is the tab it came from', () => {
    const tab = new SceneAppPage({ title: 'Drift', url: '/x', routePath: 'drift' });
    expect(featurePage('mlsight', 'm', 'f', tab).state.getParentPage?.()).toBe(tab);
  });
});

describe('fleetScene', () => {
  it('asks one fleet query and has the search and status variables the URL keeps', () => {
    const scene = fleetScene('mlsight');
    expect(queriesOf(scene)).toEqual([{ refId: 'A', queryType: 'fleet' }]);
    const names = scene.state.$variables?.state.variables.map((v) => v.state.name);
    expect(names).toEqual(['search', 'status']);
    expect(scene.state.$variables?.state.variables[1]?.urlSync?.getUrlState()).toEqual({ 'var-status': 'all' });
  });
});
