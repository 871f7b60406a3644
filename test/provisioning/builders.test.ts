import * as stat from '@grafana/grafana-foundation-sdk/stat';
import { MLSIGHT_DATASOURCE, PROMETHEUS_DATASOURCE } from '../../provisioning/build/dataSources';
import { dashboard, prometheus, row } from '../../provisioning/build/grafana';
import { mlsight, MLSightAnnotationTargetBuilder } from '../../provisioning/build/mlsight';

/** The pieces provisioning/build adds to Grafana's SDK: the grid layout and the hand-typed MLSight builders. */

const tile = (title: string, w: number, h: number) => new stat.PanelBuilder().title(title).span(w).height(h);
const saved = (d: ReturnType<typeof dashboard>) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
const spec = { uid: 'u', title: 'T', description: '', tags: [], variables: [] };

describe('dashboard layout', () => {
  it('wraps a panel that does not fit the line, starts rows on a new line at full width, numbers from 1', () => {
    const built = saved(
      dashboard({ ...spec, panels: [tile('a', 16, 4), tile('b', 8, 2), tile('c', 12, 3), row('r'), tile('d', 6, 5)] })
    );
    const panels = built.panels as Array<{ id: number; title: string; gridPos: object }>;
    expect(panels.map((p) => [p.id, p.title, p.gridPos])).toEqual([
      [1, 'a', { x: 0, y: 0, w: 16, h: 4 }],
      [2, 'b', { x: 16, y: 0, w: 8, h: 2 }],
      [3, 'c', { x: 0, y: 4, w: 12, h: 3 }],
      [4, 'r', { x: 0, y: 7, w: 24, h: 1 }],
      [5, 'd', { x: 0, y: 8, w: 6, h: 5 }],
    ]);
  });

  it('refuses a panel without a size', () => {
    expect(() => dashboard({ ...spec, panels: [new stat.PanelBuilder().title('no size')] })).toThrow(
      'layout: panel "no size" has no size'
    );
  });

  it("gives a panel its first query's data source", () => {
    const built = saved(
      dashboard({ ...spec, panels: [tile('p', 6, 4).withTarget(prometheus('A', 'up')), tile('m', 6, 4)] })
    );
    const [withQuery, without] = built.panels as Array<Record<string, unknown>>;
    expect(withQuery?.datasource).toEqual(PROMETHEUS_DATASOURCE);
    expect(without?.datasource).toBeUndefined();
  });
});

describe('MLSight builders', () => {
  it('save a contract query with the data source and nothing of the SDK', () => {
    const query = mlsight({ refId: 'A', queryType: 'kpis', model: '$model' }).build();
    expect(JSON.parse(JSON.stringify(query))).toEqual({
      refId: 'A',
      queryType: 'kpis',
      model: '$model',
      datasource: MLSIGHT_DATASOURCE,
    });
  });

  it("save an annotation layer's target as the data source's annotation query", () => {
    const target = { refId: 'Anno', queryType: 'annotations', kinds: ['deployment'] } as const;
    expect(new MLSightAnnotationTargetBuilder({ ...target, kinds: [...target.kinds] }).build()).toEqual(target);
  });
});
