import { InsufficientDataError, InvalidInputError } from '../errors';

/**
 * The band a healthy chunk's value stays in: NannyML's `StandardDeviationThreshold` over the values of reference
 * chunks — their mean ± `multiplier` population standard deviations. A lower threshold at or below the statistic's
 * floor (0 for a reconstruction error) is dropped (`null`), as NannyML drops it (`override_using_none`).
 */
export interface ReferenceBand {
  lower: number | null;
  upper: number;
  /** The chunk means' mean and population standard deviation the band is built from. */
  centre: number;
  spread: number;
  /** The statistic's floor; a lower threshold at or below it is `null`. */
  floor: number | null;
  /** The reference chunks the band was computed from, and their size. */
  chunks: number;
  chunkSize: number;
  multiplier: number;
}

/** NannyML's default: three standard deviations either side. */
export const DEFAULT_BAND_MULTIPLIER = 3;

/**
 * The band of a per-row statistic whose chunk value is its mean: the rows cut into consecutive chunks of
 * `chunkSize` (a last, incomplete chunk left out — NannyML's `SizeBasedChunker(incomplete="drop")`), each chunk's
 * mean, then their mean ± `multiplier` · standard deviation (divisor n, `np.nanstd`).
 *
 * Reference: NannyML 0.13, `nannyml/thresholds.py` (`StandardDeviationThreshold`, `calculate_threshold_values`).
 *
 * @param perRow the statistic of each reference row, in the reference's order
 * @param floor the statistic's smallest possible value; a lower threshold at or below it becomes `null`
 * @throws InsufficientDataError when fewer than two whole chunks fit
 * @throws InvalidInputError on a chunk size that is not a positive integer or a negative multiplier
 * @example referenceBandOfMeans(Float64Array.of(1, 1, 3, 3), 2, 1) // { lower: 1, upper: 3, chunks: 2, … }
 */
export function referenceBandOfMeans(
  perRow: Float64Array,
  chunkSize: number,
  multiplier: number = DEFAULT_BAND_MULTIPLIER,
  floor: number | null = 0
): ReferenceBand {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new InvalidInputError('referenceBandOfMeans', `chunk size must be a positive integer, got ${chunkSize}`);
  }
  if (!(multiplier >= 0)) {
    throw new InvalidInputError('referenceBandOfMeans', `multiplier must be ≥ 0, got ${multiplier}`);
  }
  const chunks = Math.floor(perRow.length / chunkSize);
  if (chunks < 2) {
    throw new InsufficientDataError(
      'referenceBandOfMeans',
      `${perRow.length} reference rows make ${chunks} chunk(s) of ${chunkSize}; a band needs at least 2`
    );
  }
  const means = new Float64Array(chunks);
  for (let c = 0; c < chunks; c++) {
    let sum = 0;
    for (let i = c * chunkSize; i < (c + 1) * chunkSize; i++) sum += perRow[i] as number;
    means[c] = sum / chunkSize;
  }
  let total = 0;
  for (const m of means) total += m;
  const centre = total / chunks;
  let squares = 0;
  for (const m of means) squares += (m - centre) ** 2;
  const spread = Math.sqrt(squares / chunks);
  const lower = centre - multiplier * spread;
  return {
    lower: floor !== null && lower <= floor ? null : lower,
    upper: centre + multiplier * spread,
    centre,
    spread,
    floor,
    chunks,
    chunkSize,
    multiplier,
  };
}

/**
 * Whether a chunk's value lies outside its band: NannyML alerts unless lower < value < upper (strictly), a dropped
 * lower threshold counting as −∞.
 */
export function outsideBand(value: number, band: Pick<ReferenceBand, 'lower' | 'upper'>): boolean {
  const lower = band.lower ?? Number.NEGATIVE_INFINITY;
  return !(lower < value && value < band.upper);
}

/**
 * The band for a chunk of `rows` rows instead of the reference chunks' size: the half-width scaled by
 * √(chunkSize / rows), as the standard error of a mean of independent rows scales. Not NannyML's (its band is one
 * band at one chunk size); it keeps a small bucket (a night hour) from alerting more often than a full one.
 * @throws InvalidInputError when rows is not a positive integer
 */
export function bandForRows(band: ReferenceBand, rows: number): Pick<ReferenceBand, 'lower' | 'upper'> {
  if (!Number.isInteger(rows) || rows < 1) {
    throw new InvalidInputError('bandForRows', `rows must be a positive integer, got ${rows}`);
  }
  const half = band.multiplier * band.spread * Math.sqrt(band.chunkSize / rows);
  const lower = band.centre - half;
  return { lower: band.floor !== null && lower <= band.floor ? null : lower, upper: band.centre + half };
}
