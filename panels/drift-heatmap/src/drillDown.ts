import { DRIFT_TARGET_ROWS } from '@mlsight/contract';
import { isSafeLink } from '../../shared/src/safeLink';

/**
 * Whether a heatmap row has a feature view to drill into: the prediction and label rows of `includeTargets` are
 * not features (a feature-drift view of `__prediction__` would answer a 404).
 */
export function isFeatureRow(label: string): boolean {
  return !Object.values(DRIFT_TARGET_ROWS).includes(label);
}

export interface CellLinkValues {
  feature: string;
  method: string;
  from: number;
  to: number;
}

/**
 * Fills a drill-down template: `${feature}`, `${method}`, `${from}`, `${to}` (URL-encoded) first, then the
 * dashboard's variables through Grafana's `replaceVariables`.
 * @returns the link, or undefined when it is not http(s) or relative
 */
export function buildDrillDownUrl(
  template: string,
  values: CellLinkValues,
  replaceVariables: (text: string) => string
): string | undefined {
  if (template.trim() === '') return undefined;
  const own: Record<string, string> = {
    feature: values.feature,
    method: values.method,
    from: String(Math.round(values.from)),
    to: String(Math.round(values.to)),
  };
  const filled = template.replace(/\$\{(feature|method|from|to)\}/g, (_, key: string) =>
    encodeURIComponent(own[key] ?? '')
  );
  const url = replaceVariables(filled);
  return isSafeLink(url) ? url : undefined;
}
