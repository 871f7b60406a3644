import { InsufficientDataError, InvalidInputError } from '../errors';
import { type ComponentChoice, fitPca, reconstructionErrors } from './pca';
import { DEFAULT_BAND_MULTIPLIER, type ReferenceBand, referenceBandOfMeans } from './referenceBand';
import { encodeTable, fitTabularEncoding, type Table } from './tabularEncoding';

/** NannyML's default: keep the components that explain 65 % of the reference's variance. */
export const DEFAULT_COMPONENTS: ComponentChoice = 0.65;

/** NannyML's `SAMPLING_ERROR_RANGE`: confidence bounds at ±3 standard errors of the chunk mean. */
const SAMPLING_ERROR_RANGE = 3;

/** The reconstruction error of one chunk (a bucket of rows), in NannyML's result shape. */
export interface ChunkReconstruction {
  rows: number;
  /** Mean per-row reconstruction error. */
  value: number;
  /** Standard error of that mean (sample std, divisor n − 1, over √n); `null` for a single row. */
  samplingError: number | null;
  /** value ± 3 SE, the lower bound floored at 0; `null` without a sampling error. */
  lowerConfidence: number | null;
  upperConfidence: number | null;
}

/** The data reconstruction drift method fitted on a reference: immutable, applied to any chunk with its features. */
export interface FittedReconstructionDrift {
  features: readonly string[];
  /** Principal components kept, and the share of the reference's (standardised) variance they explain. */
  components: number;
  explainedVariance: number;
  referenceRows: number;
  /** Per reference row, its reconstruction error (in the reference's order): what reference bands are cut from. */
  referenceErrors: Float64Array;
  /** Per row of a table, its reconstruction error. */
  rowErrors(table: Table): Float64Array;
  /** The chunk value of a table's rows. */
  calculate(table: Table): ChunkReconstruction;
  /** The band of healthy chunks of `chunkSize` rows, from the reference's own chunks. */
  band(chunkSize: number, multiplier?: number): ReferenceBand;
}

/**
 * The chunk value of per-row errors: their mean, with the standard error of the mean and ±3 SE bounds (NannyML's
 * `_calculate_chunk_record`).
 * @throws InsufficientDataError on an empty chunk
 */
export function summariseReconstruction(errors: Float64Array): ChunkReconstruction {
  const n = errors.length;
  if (n === 0) throw new InsufficientDataError('summariseReconstruction', 'the chunk has no rows');
  let sum = 0;
  for (const e of errors) sum += e;
  const value = sum / n;
  if (n < 2) return { rows: n, value, samplingError: null, lowerConfidence: null, upperConfidence: null };
  let squares = 0;
  for (const e of errors) squares += (e - value) ** 2;
  const samplingError = Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
  return {
    rows: n,
    value,
    samplingError,
    lowerConfidence: Math.max(value - SAMPLING_ERROR_RANGE * samplingError, 0),
    upperConfidence: value + SAMPLING_ERROR_RANGE * samplingError,
  };
}

/**
 * Fits NannyML's multivariate drift method, the data reconstruction error: the reference's rows imputed, count-
 * encoded and standardised (`fitTabularEncoding`), PCA fitted on them keeping `components` (a count, or the share of
 * variance to explain; default 65 %); a chunk's value is the mean Euclidean distance between its rows (encoded the
 * same way) and their reconstruction from the kept components. A change in the joint distribution — a correlation
 * that breaks while every marginal stays the same — moves it, which no univariate test sees.
 *
 * Reference: NannyML 0.13, `DataReconstructionDriftCalculator`
 * (https://nannyml.readthedocs.io/en/stable/how_it_works/multivariate_drift.html).
 *
 * @param reference the reference table (at least two rows and one feature)
 * @param components a component count, or a fraction in (0, 1) of the variance to keep
 * @throws InsufficientDataError / InvalidInputError from the encoding and PCA (no rows, an empty feature, a bad choice)
 * @throws InvalidInputError when the components kept are as many as the features (the error would be 0 everywhere)
 */
export function fitReconstructionDrift(
  reference: Table,
  components: ComponentChoice = DEFAULT_COMPONENTS
): FittedReconstructionDrift {
  if (reference.features.length === 0) {
    throw new InvalidInputError('fitReconstructionDrift', 'needs at least one feature');
  }
  const encoding = fitTabularEncoding(reference);
  const encodedReference = encodeTable(encoding, reference);
  const pca = fitPca(encodedReference, components);
  if (pca.componentCount >= pca.columns) {
    // Every row would be reconstructed exactly: the error is 0 everywhere and the band collapses to it.
    throw new InvalidInputError(
      'fitReconstructionDrift',
      `keeping ${pca.componentCount} components of ${pca.columns} features leaves nothing to reconstruct; ` +
        'choose more features or fewer components'
    );
  }
  const referenceErrors = reconstructionErrors(pca, encodedReference);
  let explained = 0;
  for (const r of pca.explainedVarianceRatio) explained += r;
  const rowErrors = (table: Table) => reconstructionErrors(pca, encodeTable(encoding, table));
  return Object.freeze({
    features: encoding.features,
    components: pca.componentCount,
    explainedVariance: explained,
    referenceRows: reference.rows,
    referenceErrors,
    rowErrors,
    calculate: (table: Table) => summariseReconstruction(rowErrors(table)),
    band: (chunkSize: number, multiplier: number = DEFAULT_BAND_MULTIPLIER) =>
      referenceBandOfMeans(referenceErrors, chunkSize, multiplier, 0),
  });
}
