import {
  decodeDict,
  decodeF64,
  decodeJson,
  encodeDict,
  encodeF64,
  encodeJson,
  encodeUsedDict,
  readColumn,
} from './columns';
import { idHash } from './hash';
import { decodeSketch, encodeSketch, MAX_UNSEEN_NAMES, mergeSketches, SketchAccumulator, topNames } from './sketch';

describe('column codecs', () => {
  it('round-trip float64 columns, NaN as missing, also from an unaligned buffer', () => {
    const values = Float64Array.from([1.5, Number.NaN, -0, 1e300, 5e-324]);
    const { data } = encodeF64(values);
    expect(Array.from(decodeF64(data))).toEqual(Array.from(values));
    const unaligned = Buffer.concat([Buffer.from([9]), data]).subarray(1);
    expect(Array.from(decodeF64(unaligned))).toEqual(Array.from(values));
    expect(readColumn('f64', data).get(1)).toBeNull();
  });

  it('round-trip dictionary columns and drop unused names', () => {
    const names = ['a', 'b', 'ü', 'unused'];
    const codes = Int32Array.from([0, 2, -1, 1, 2]);
    expect(decodeDict(encodeDict(codes, names).data)).toEqual({ dictionary: names, codes });
    const compact = encodeUsedDict(codes, names);
    const reader = readColumn('dict', compact.data);
    expect(Array.from({ length: 5 }, (_, i) => reader.get(i))).toEqual(['a', 'ü', null, 'b', 'ü']);
    expect(decodeDict(compact.data).dictionary).toEqual(['a', 'ü', 'b']);
  });

  it('round-trip JSON columns', () => {
    const values = [{ a: 1 }, null, [0.1, 0.9], 'x'];
    expect(decodeJson(encodeJson(values).data)).toEqual(values);
  });
});

describe('sketch counts', () => {
  const scalars = {
    count: 7,
    missing: 2,
    typeErrors: 1,
    outOfRange: 3,
    unseen: 0,
    sum: -1.5,
    sumSq: 1e300,
    absSum: 0.1,
  };

  it('round-trip every field in the u32, sparse and float64 layouts', () => {
    const dense = Float64Array.from({ length: 102 }, (_, i) => (i * 7) % 5);
    const sparse = new Float64Array(102);
    sparse[0] = 3;
    sparse[57] = 2.5e9;
    sparse[101] = 1;
    const huge = Float64Array.from({ length: 4 }, (_, i) => 2 ** 40 + i);
    const layouts = [dense, sparse, huge, new Float64Array(0)].map((counts) => encodeSketch({ ...scalars, counts }));
    expect(layouts[1]?.length).toBeLessThan(layouts[0]?.length ?? 0);
    [dense, sparse, huge, new Float64Array(0)].forEach((counts, i) => {
      const decoded = decodeSketch(layouts[i] ?? Buffer.alloc(0), { odd: 2 });
      expect(Array.from(decoded.counts)).toEqual(Array.from(counts));
      expect(decoded).toMatchObject({ ...scalars, unseenCategories: { odd: 2 } });
    });
    expect(() => decodeSketch(Buffer.alloc(10))).toThrow(/too short/);
  });

  it('merge by adding every field and keep the most frequent unseen names', () => {
    const a = new SketchAccumulator(4);
    a.addNumeric(1, 2);
    a.addNumeric(3, 9);
    a.missing = 2;
    const b = new SketchAccumulator(4);
    b.addNumeric(0, -1);
    b.addNumeric(1, 2.5);
    const merged = mergeSketches([a.toSketch(), b.toSketch()], 4);
    expect(Array.from(merged.counts)).toEqual([1, 2, 0, 1]);
    expect(merged).toMatchObject({ count: 4, missing: 2, outOfRange: 2, sum: 12.5, sumSq: 4 + 81 + 1 + 6.25 });

    const c = new SketchAccumulator(1);
    for (let i = 0; i < MAX_UNSEEN_NAMES + 20; i++) c.addCategory(-1, `n${i}`, i + 1);
    const names = topNames(c.unseenNames);
    expect(Object.keys(names)).toHaveLength(MAX_UNSEEN_NAMES);
    expect(names[`n${MAX_UNSEEN_NAMES + 19}`]).toBe(MAX_UNSEEN_NAMES + 20);
    expect(names.n0).toBeUndefined();
    expect(c.unseen).toBe(((MAX_UNSEEN_NAMES + 20) * (MAX_UNSEEN_NAMES + 21)) / 2);
  });
});

describe('idHash', () => {
  it('is a deterministic 53-bit integer that separates near-identical ids', () => {
    const ids = Array.from({ length: 20000 }, (_, i) => `pred-${i}`);
    const hashes = ids.map(idHash);
    expect(new Set(hashes).size).toBe(ids.length);
    for (const h of hashes) expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
    expect(idHash('pred-1')).toBe(hashes[1]);
  });
});
