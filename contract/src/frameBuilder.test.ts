import {
  buildFrame,
  fieldValues,
  FrameShapeError,
  frameLength,
  frameRows,
  withNotice,
  withRefId,
} from './frameBuilder';
import { buildNodeGraphFrames, STATUS_COLORS } from './nodeGraph';

describe('buildFrame', () => {
  it('builds a column frame with config and labels only where given', () => {
    const frame = buildFrame({
      name: 'drift',
      meta: { type: 'timeseries-wide' },
      fields: [
        { name: 'time', type: 'time', values: [1, 2] },
        { name: 'psi', type: 'number', values: [0.1, 0.3], labels: { feature: 'age' }, config: { unit: 'none' } },
      ],
    });
    expect(frame.schema.fields).toEqual([
      { name: 'time', type: 'time' },
      { name: 'psi', type: 'number', labels: { feature: 'age' }, config: { unit: 'none' } },
    ]);
    expect(frame.data.values).toEqual([
      [1, 2],
      [0.1, 0.3],
    ]);
    expect(frameLength(frame)).toBe(2);
    expect(frameRows(frame)).toEqual([
      { time: 1, psi: 0.1 },
      { time: 2, psi: 0.3 },
    ]);
    expect(fieldValues(frame, 'psi')).toEqual([0.1, 0.3]);
    expect(fieldValues(frame, 'nope')).toBeUndefined();
  });

  it('refuses columns of different lengths, naming both fields', () => {
    expect(() =>
      buildFrame({
        fields: [
          { name: 'a', type: 'number', values: [1] },
          { name: 'b', type: 'number', values: [1, 2] },
        ],
      })
    ).toThrow(new FrameShapeError('field "b" has 2 values but "a" has 1'));
  });

  it('allows the same name with different labels (wide time series) but not duplicates', () => {
    const fields = [
      { name: 'score', type: 'number' as const, values: [1], labels: { feature: 'a' } },
      { name: 'score', type: 'number' as const, values: [2], labels: { feature: 'b' } },
    ];
    expect(() => buildFrame({ fields })).not.toThrow();
    expect(() => buildFrame({ fields: [fields[0], fields[0]].filter((f) => f !== undefined) })).toThrow(
      FrameShapeError
    );
  });

  it('adds notices and refIds without touching the original', () => {
    const frame = buildFrame({ fields: [{ name: 'a', type: 'number', values: [1] }] });
    const noticed = withRefId(withNotice(frame, { severity: 'warning', text: 'stale' }), 'A');
    expect(noticed.schema.meta?.notices).toEqual([{ severity: 'warning', text: 'stale' }]);
    expect(noticed.schema.refId).toBe('A');
    expect(frame.schema.meta).toBeUndefined();
    expect(frame.schema.refId).toBeUndefined();
  });
});

describe('buildNodeGraphFrames', () => {
  it("produces Grafana's node and edge fields with a rectangular detail section", () => {
    const [nodes, edges] = buildNodeGraphFrames(
      [
        { id: 'd', kind: 'dataset', title: 'train', status: 'ready', details: { digest: 'abc' } },
        { id: 's', kind: 'step', title: 'validate', status: 'failed', details: { error: 'schema' } },
      ],
      [{ source: 'd', target: 's', kind: 'input' }],
      'A'
    );
    expect(nodes.schema.meta?.preferredVisualisationType).toBe('nodeGraph');
    expect(nodes.schema.fields.map((f) => f.name)).toEqual([
      'id',
      'title',
      'subtitle',
      'mainstat',
      'secondarystat',
      'color',
      'arc__failed',
      'arc__ready',
      'kind',
      'status',
      'link',
      'detail__digest',
      'detail__error',
    ]);
    expect(fieldValues(nodes, 'color')).toEqual([STATUS_COLORS.ready, STATUS_COLORS.failed]);
    expect(nodes.schema.fields.find((f) => f.name === 'color')?.config).toBeUndefined();
    expect(fieldValues(nodes, 'detail__error')).toEqual(['', 'schema']);
    expect(frameRows(edges)).toEqual([{ id: 'd->s', source: 'd', target: 's', kind: 'input' }]);
  });

  it("colours nodes in config.color of arc__ fields, which Grafana's node graph reads (not config.custom)", () => {
    const [nodes] = buildNodeGraphFrames(
      [
        { id: 'a', kind: 'step', title: 'train', status: 'finished' },
        { id: 'b', kind: 'step', title: 'score', status: 'failed' },
        { id: 'c', kind: 'step', title: 'deploy', status: 'finished' },
      ],
      []
    );
    const arcs = nodes.schema.fields.filter((f) => f.name.startsWith('arc__'));
    expect(arcs.map((f) => [f.name, f.config])).toEqual([
      ['arc__finished', { displayName: 'finished', color: { mode: 'fixed', fixedColor: STATUS_COLORS.finished } }],
      ['arc__failed', { displayName: 'failed', color: { mode: 'fixed', fixedColor: STATUS_COLORS.failed } }],
    ]);
    expect(fieldValues(nodes, 'arc__finished')).toEqual([1, 0, 1]);
    expect(fieldValues(nodes, 'arc__failed')).toEqual([0, 1, 0]);
    // Every node's sections add up to 1, as Grafana's node graph expects.
    const sums = [0, 1, 2].map((row) =>
      arcs.reduce((sum, f) => sum + Number(nodes.data.values[nodes.schema.fields.indexOf(f)]?.[row]), 0)
    );
    expect(sums).toEqual([1, 1, 1]);
    expect(JSON.stringify(nodes.schema)).not.toContain('"custom"');
  });
});
