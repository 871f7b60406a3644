import { encodeTable, fitTabularEncoding, InsufficientDataError, InvalidInputError, type Table } from '..';

const reference: Table = {
  features: ['x', 'c'],
  kinds: ['numeric', 'categorical'],
  columns: [
    [1, 2, null, 5, 2],
    ['a', 'b', 'a', null, 'b'],
  ],
  rows: 5,
};

/** Column j of an encoded matrix. */
const column = (data: Float64Array, d: number, j: number) => Array.from(data).filter((_, i) => i % d === j);

describe('fitTabularEncoding / encodeTable', () => {
  const encoding = fitTabularEncoding(reference);
  const encoded = encodeTable(encoding, reference);

  it('standardises every reference column to mean 0 and population sd 1', () => {
    for (let j = 0; j < 2; j++) {
      const values = column(encoded.data, 2, j);
      const mean = values.reduce((s, x) => s + x) / values.length;
      const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-12);
    }
  });

  it('imputes a missing number with the reference mean and a missing category with the most frequent (smallest on a tie)', () => {
    // Row 2's x is missing: it encodes as the mean of 1, 2, 5, 2, which standardises to 0.
    expect(Math.abs(encoded.data[2 * 2] as number)).toBeLessThan(1e-12);
    // Row 3's c is missing; "a" and "b" tie at 2, so it becomes "a" and encodes as row 0's "a" does.
    expect(encoded.data[3 * 2 + 1]).toBe(encoded.data[0 * 2 + 1]);
  });

  it('encodes a category by its share of the imputed reference; one it never had as share 0', () => {
    const window: Table = {
      ...reference,
      columns: [
        [1, 1, 1],
        ['a', 'b', 'zzz'],
      ],
      rows: 3,
    };
    const out = encodeTable(encoding, window);
    const [a, b, unseen] = column(out.data, 2, 1) as [number, number, number];
    // Shares a 3/5 (with the imputed row), b 2/5, unseen 0; scaling is affine, so their gaps keep the ratio 1 : 2.
    expect((a - b) / (b - unseen)).toBeCloseTo((3 / 5 - 2 / 5) / (2 / 5 - 0), 12);
    expect(b).toBeGreaterThan(unseen);
  });

  it('refuses a feature without values, an empty reference and mismatched tables', () => {
    expect(() =>
      fitTabularEncoding({ ...reference, columns: [[null, null, null, null, null], reference.columns[1] ?? []] })
    ).toThrow(InsufficientDataError);
    expect(() => fitTabularEncoding({ ...reference, columns: [[], []], rows: 0 })).toThrow(/no rows/);
    expect(() => encodeTable(encoding, { ...reference, features: ['c', 'x'] })).toThrow(InvalidInputError);
  });
});
