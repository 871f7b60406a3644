import type { DataFrame } from '@grafana/data';

/**
 * The categorical feature the category-drift panel draws: `wanted` when the feature_drift frame lists it as
 * categorical, else (no wanted feature) the first categorical feature; undefined when there is none.
 */
export function categoricalFeature(featureDrift: DataFrame | undefined, wanted?: string): string | undefined {
  const features = featureDrift?.fields.find((f) => f.name === 'feature')?.values ?? [];
  const kinds = featureDrift?.fields.find((f) => f.name === 'kind')?.values ?? [];
  const categorical = features.filter((_, i) => kinds[i] === 'categorical').map(String);
  if (wanted !== undefined) return categorical.includes(wanted) ? wanted : undefined;
  return categorical[0];
}
