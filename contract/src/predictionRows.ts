/**
 * The `predictions` answer: one table frame of stored prediction rows — the rows behind a drift cell — with the
 * names the proxy writes and the app's drill-down reads. The feature columns sit between `version` and `prediction`,
 * each named by its feature.
 */
export const PREDICTION_ROWS_FRAME = {
  name: 'prediction_rows',
  time: 'time',
  predictionId: 'prediction_id',
  version: 'version',
  prediction: 'prediction',
  score: 'score',
  /** null until the delayed label arrives. */
  label: 'label',
} as const;

const FIXED_FIELDS: ReadonlySet<string> = new Set(
  Object.entries(PREDICTION_ROWS_FRAME)
    .filter(([key]) => key !== 'name')
    .map(([, value]) => value)
);

/** The field name of a feature column: the feature's own name, prefixed when it would clash with a fixed column. */
export function predictionFeatureField(feature: string): string {
  return FIXED_FIELDS.has(feature) ? `feature:${feature}` : feature;
}
