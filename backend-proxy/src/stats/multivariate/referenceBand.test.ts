import { bandForRows, InsufficientDataError, InvalidInputError, outsideBand, referenceBandOfMeans } from '..';

describe('referenceBandOfMeans', () => {
  const perRow = Float64Array.from({ length: 1003 }, (_, i) => 1 + ((i * 37) % 11) / 10);

  it('is the chunk means’ mean ± multiplier × their population sd, the incomplete last chunk left out', () => {
    const band = referenceBandOfMeans(perRow, 100, 2, null);
    expect(band.chunks).toBe(10);
    const means = Array.from(
      { length: 10 },
      (_, c) => perRow.subarray(c * 100, c * 100 + 100).reduce((s, x) => s + x) / 100
    );
    const centre = means.reduce((s, x) => s + x) / 10;
    const sd = Math.sqrt(means.reduce((s, x) => s + (x - centre) ** 2, 0) / 10);
    expect(band.upper).toBeCloseTo(centre + 2 * sd, 12);
    expect(band.lower).toBeCloseTo(centre - 2 * sd, 12);
  });

  it('drops a lower threshold at or below the floor, as NannyML does', () => {
    const wide = referenceBandOfMeans(Float64Array.of(0, 0, 4, 4), 2, 3, 0);
    expect(wide.lower).toBeNull();
    expect(wide.upper).toBeGreaterThan(2);
  });

  it('refuses fewer than two chunks and bad options, naming itself', () => {
    expect(() => referenceBandOfMeans(perRow, 600)).toThrow(InsufficientDataError);
    expect(() => referenceBandOfMeans(perRow, 1.5)).toThrow(InvalidInputError);
    expect(() => referenceBandOfMeans(perRow, 10, -1)).toThrow(/^referenceBandOfMeans: /);
  });
});

describe('bandForRows', () => {
  const band = referenceBandOfMeans(
    Float64Array.from({ length: 1000 }, (_, i) => 1 + ((i * 37) % 11) / 10),
    100,
    3
  );
  it('is the band itself at the chunk size, and √(chunk / rows) times as wide around the same centre elsewhere', () => {
    expect(bandForRows(band, 100)).toEqual({ lower: band.lower, upper: band.upper });
    const quarter = bandForRows(band, 25);
    expect(quarter.upper - band.centre).toBeCloseTo(2 * (band.upper - band.centre), 12);
    expect(() => bandForRows(band, 0)).toThrow(InvalidInputError);
  });
});

describe('outsideBand', () => {
  it('alerts unless strictly inside; a missing lower threshold is −∞', () => {
    expect(outsideBand(1, { lower: 0.5, upper: 2 })).toBe(false);
    expect(outsideBand(2, { lower: 0.5, upper: 2 })).toBe(true);
    expect(outsideBand(0.5, { lower: 0.5, upper: 2 })).toBe(true);
    expect(outsideBand(-5, { lower: null, upper: 2 })).toBe(false);
  });
});
