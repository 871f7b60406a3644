import {
  Field,
  Float64,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  tableFromIPC,
  TimestampNanosecond,
} from 'apache-arrow';
import { arrowFrameToJSON } from './arrowFrames';

/**
 * A heatmap frame as the SDK's data/arrow.go writes it: the frame's name, refId and meta in the schema metadata,
 * each field's name, labels, config and `tstype` in its own metadata — and one field named `score` per feature,
 * told apart only by its labels.
 */
function heatmapArrow(): Uint8Array {
  const meta = (name: string, tstype: string, labels?: object, config?: object) =>
    new Map([
      ['name', name],
      ['tstype', tstype],
      ...(labels ? [['labels', JSON.stringify(labels)] as [string, string]] : []),
      ...(config ? [['config', JSON.stringify(config)] as [string, string]] : []),
    ]);
  const fields = [
    new Field('time', new TimestampNanosecond(), false, meta('time', 'time')),
    new Field('score', new Float64(), true, meta('score', 'number', { feature: 'age' }, { displayNameFromDS: 'age' })),
    new Field(
      'score',
      new Float64(),
      true,
      meta('score', 'number', { feature: 'income' }, { displayNameFromDS: 'income' })
    ),
  ];
  const schema = new Schema(
    fields,
    new Map([
      ['name', 'drift_heatmap'],
      ['refId', 'A'],
      ['meta', JSON.stringify({ type: 'timeseries-wide' })],
    ])
  );
  const columns = [
    makeData({
      type: new TimestampNanosecond(),
      data: BigInt64Array.from([1_700_000_000_000_000_000n, 1_700_003_600_000_000_000n]),
    }),
    makeData({ type: new Float64(), data: Float64Array.from([0.1, 0.2]) }),
    makeData({ type: new Float64(), data: Float64Array.from([0.7, 0.9]) }),
  ];
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: 2, children: columns }));
  // apache-arrow's RecordBatch merges same-named fields of the schema it is given as well (the SDK's Go writer does
  // not), so the SDK's schema is put back before writing.
  (batch as unknown as { schema: Schema }).schema = schema;
  return RecordBatchFileWriter.writeAll([batch]).toUint8Array(true);
}

describe('arrowFrameToJSON', () => {
  it('keeps same-named fields apart: each score field has its own labels, config and values', () => {
    const frame = arrowFrameToJSON(heatmapArrow());
    expect(frame.schema.name).toBe('drift_heatmap');
    expect(frame.schema.refId).toBe('A');
    expect(frame.schema.fields.map((f) => [f.name, f.labels?.feature, f.config?.displayNameFromDS])).toEqual([
      ['time', undefined, undefined],
      ['score', 'age', 'age'],
      ['score', 'income', 'income'],
    ]);
    expect(frame.data.values).toEqual([
      [1_700_000_000_000, 1_700_003_600_000],
      [0.1, 0.2],
      [0.7, 0.9],
    ]);
  });

  it("regression: a Table built from the same bytes (the decoder's first version) loses the first score's labels", () => {
    // What the fix works around: apache-arrow's Table merges its batches' schemas by field name.
    const table = tableFromIPC(heatmapArrow());
    const labels = table.schema.fields.map((f) => f.metadata.get('labels'));
    expect(labels.filter((l) => l === JSON.stringify({ feature: 'age' }))).toHaveLength(0);
  });
});
