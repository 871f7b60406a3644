import { fitReconstructionDrift, InvalidInputError, summariseReconstruction, type Table } from '..';
import { normalSample, seededRandom } from '../testRandom';

/** x2 follows x1 unless `broken`; c is a category. */
function table(n: number, seed: number, broken = false): Table {
  const rand = seededRandom(seed);
  const x1 = normalSample(rand, n);
  const noise = normalSample(rand, n);
  const x2 = broken ? normalSample(rand, n) : x1.map((x, i) => 0.8 * x + 0.6 * (noise[i] as number));
  const c = x1.map((x) => (x > 0 ? 'high' : 'low'));
  return { features: ['x1', 'x2', 'c'], kinds: ['numeric', 'numeric', 'categorical'], columns: [x1, x2, c], rows: n };
}

describe('fitReconstructionDrift', () => {
  const fitted = fitReconstructionDrift(table(4000, 1));

  it('rises when a correlation breaks while the marginals stay the same', () => {
    const healthy = fitted.calculate(table(500, 2));
    const broken = fitted.calculate(table(500, 3, true));
    const band = fitted.band(500);
    expect(healthy.value).toBeLessThan(band.upper);
    expect(broken.value).toBeGreaterThan(band.upper);
  });

  it('a chunk’s value is the mean of its rows’ errors, as the reference errors are the reference rows’', () => {
    const window = table(300, 4);
    const errors = fitted.rowErrors(window);
    const summary = fitted.calculate(window);
    expect(summary.value).toBeCloseTo(errors.reduce((s, x) => s + x, 0) / errors.length, 12);
    expect(fitted.referenceErrors).toEqual(fitted.rowErrors(table(4000, 1)));
  });

  it('refuses a fit that keeps every component: nothing is left to reconstruct', () => {
    expect(() => fitReconstructionDrift(table(100, 5), 3)).toThrow(InvalidInputError);
    expect(() => fitReconstructionDrift({ ...table(100, 5), features: [], kinds: [], columns: [] })).toThrow(
      /at least one feature/
    );
  });
});

describe('summariseReconstruction', () => {
  it('gives the standard error of the mean (sample sd / √n) and ±3 SE bounds, the lower floored at 0', () => {
    const s = summariseReconstruction(Float64Array.of(0.1, 0.2, 3));
    const mean = (0.1 + 0.2 + 3) / 3;
    const sd = Math.sqrt(((0.1 - mean) ** 2 + (0.2 - mean) ** 2 + (3 - mean) ** 2) / 2);
    expect(s.samplingError).toBeCloseTo(sd / Math.sqrt(3), 12);
    expect(s.lowerConfidence).toBe(0);
    expect(s.upperConfidence).toBeCloseTo(mean + 3 * (sd / Math.sqrt(3)), 12);
  });
  it('has no sampling error for one row and refuses an empty chunk', () => {
    expect(summariseReconstruction(Float64Array.of(2))).toMatchObject({ value: 2, samplingError: null });
    expect(() => summariseReconstruction(new Float64Array(0))).toThrow(/no rows/);
  });
});
