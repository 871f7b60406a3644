import { type DataFrameJSON, type QueryResponse, withNotice, withRefId } from '@mlsight/contract';
import { frameJson, queryResponseBody } from './responseJson';

function heatmapLike(): DataFrameJSON {
  return {
    schema: {
      name: 'drift_heatmap',
      meta: { type: 'timeseries-wide', notices: [{ severity: 'info', text: 'binned "scores"' }] },
      fields: [
        { name: 'time', type: 'time' },
        { name: 'x1', type: 'number', config: { custom: { drifted: [true, false, null] } } },
      ],
    },
    data: {
      values: [
        [1, 2, 3],
        [0.5, null, 0.25],
      ],
    },
  };
}

describe('frameJson', () => {
  it('parses back to what JSON.stringify gives, with or without a schema head', () => {
    const frames: DataFrameJSON[] = [
      heatmapLike(),
      withRefId(heatmapLike(), 'A'),
      { schema: { fields: [] }, data: { values: [] } },
      { schema: { refId: 'B\u2028"', fields: [{ name: 'ü', type: 'string' }] }, data: { values: [['a\nb']] } },
    ];
    for (const frame of frames) expect(JSON.parse(frameJson(frame))).toEqual(JSON.parse(JSON.stringify(frame)));
  });

  it('stringifies the data and fields of a shared answer once, whatever refId or notice a request adds', () => {
    const frame = heatmapLike();
    let reads = 0;
    const values = frame.data.values;
    const data = {
      get values() {
        reads++;
        return values;
      },
    };
    const shared: DataFrameJSON = { schema: frame.schema, data };
    const first = JSON.parse(frameJson(withRefId(shared, 'A'))) as DataFrameJSON;
    const second = JSON.parse(
      frameJson(withNotice(withRefId(shared, 'Z'), { severity: 'warning', text: 'stale' }))
    ) as DataFrameJSON;
    expect(reads).toBe(1);
    expect(first.schema.refId).toBe('A');
    expect(second.schema.refId).toBe('Z');
    expect(second.schema.meta?.notices?.map((n) => n.text)).toEqual(['binned "scores"', 'stale']);
    expect(second.data.values).toEqual(values);
  });

  it('keeps a frame with keys it does not know exactly', () => {
    const odd = { ...heatmapLike(), extra: { a: 1 } } as unknown as DataFrameJSON;
    expect(JSON.parse(frameJson(odd))).toEqual(JSON.parse(JSON.stringify(odd)));
  });
});

describe('queryResponseBody', () => {
  it('parses back to what JSON.stringify gives for frames, errors and statuses', () => {
    const response: QueryResponse = {
      results: {
        A: { frames: [withRefId(heatmapLike(), 'A')], status: 200 },
        'B "quoted"': { frames: [], error: 'model "m" not found', status: 404 },
        C: { frames: [] },
        D: { frames: [withRefId(heatmapLike(), 'D'), { schema: { fields: [] }, data: { values: [] } }] },
      },
    };
    expect(JSON.parse(queryResponseBody(response).toString('utf8'))).toEqual(JSON.parse(JSON.stringify(response)));
  });

  it('writes an empty result set as results: {}', () => {
    expect(queryResponseBody({ results: {} }).toString('utf8')).toBe('{"results":{}}');
  });
});
