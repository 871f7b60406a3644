import type { FleetStatus } from '@mlsight/contract';

/** The numbers of one model the fleet's status is decided from (null: not known for this model or range). */
export interface FleetNumbers {
  /** The drift store has a reference profile for the model. */
  hasReference: boolean;
  predictions: number;
  freshnessSeconds: number | null;
  driftedFeatures: number;
  /** Features with a verdict (enough rows on both sides). */
  evaluatedFeatures: number;
  driftShare: number | null;
  /** The dataset verdict: the share of drifted features reached the dataset threshold. */
  datasetDrifted: boolean | null;
  estimatedAccuracyLower: number | null;
  estimatedAccuracyUpper: number | null;
  realisedAccuracy: number | null;
  qualityIncidents: number;
  firingAlerts: number;
  championVersion: string | null;
}

export interface FleetVerdict {
  status: FleetStatus;
  /** Higher is worse; orders the fleet (critical > warning > ok > no_data, then by how much is wrong). */
  attention: number;
  reasons: string[];
}

/** Older than this (the StaleData rule's threshold), the model's newest prediction makes it a warning. */
export const STALE_WARNING_SECONDS = 3600;
/** Older than this, critical: the model server has stopped sending for a day. */
export const STALE_CRITICAL_SECONDS = 86_400;

const STATUS_BASE: Record<FleetStatus, number> = { critical: 3000, warning: 2000, ok: 1000, no_data: 0 };

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

function duration(seconds: number): string {
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)} d`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 60)} min`;
}

/**
 * Decides a model's fleet status from its numbers, with a sentence per finding.
 * - `no_data`: no reference profile in the drift store, or no prediction in the range.
 * - `critical`: the dataset drifts (the share of drifted features reached its threshold), an alert fires, the realised
 *   accuracy lies below the CBPE band (the estimate missed a drop), or nothing arrived for a day.
 * - `warning`: some features drift, a data-quality incident, nothing arrived for an hour, the realised accuracy lies
 *   above the band, or no champion alias.
 * - `ok`: none of these.
 * Within a status, `attention` grows with firing alerts, the drift share, quality incidents and staleness, so the
 * worst model of a status comes first.
 */
export function fleetStatus(n: FleetNumbers): FleetVerdict {
  if (!n.hasReference) {
    return { status: 'no_data', attention: 0, reasons: ['no reference profile in the drift store'] };
  }
  if (n.predictions === 0) {
    return { status: 'no_data', attention: 0, reasons: ['no predictions in the time range'] };
  }
  const critical: string[] = [];
  const warning: string[] = [];
  if (n.datasetDrifted === true && n.driftShare !== null) {
    critical.push(
      `dataset drift: ${n.driftedFeatures} of ${n.evaluatedFeatures} features drifted (${percent(n.driftShare)})`
    );
  } else if (n.driftedFeatures > 0) {
    warning.push(`${n.driftedFeatures} of ${n.evaluatedFeatures} features drifted`);
  }
  if (n.firingAlerts > 0) critical.push(`${n.firingAlerts} alert${n.firingAlerts === 1 ? '' : 's'} firing`);
  if (
    n.realisedAccuracy !== null &&
    n.estimatedAccuracyLower !== null &&
    n.realisedAccuracy < n.estimatedAccuracyLower
  ) {
    critical.push(
      `realised accuracy ${percent(n.realisedAccuracy)} is below the CBPE band (from ${percent(n.estimatedAccuracyLower)})`
    );
  } else if (
    n.realisedAccuracy !== null &&
    n.estimatedAccuracyUpper !== null &&
    n.realisedAccuracy > n.estimatedAccuracyUpper
  ) {
    warning.push(
      `realised accuracy ${percent(n.realisedAccuracy)} is above the CBPE band (to ${percent(n.estimatedAccuracyUpper)}): the estimate is off`
    );
  }
  if (n.freshnessSeconds !== null && n.freshnessSeconds > STALE_CRITICAL_SECONDS) {
    critical.push(`no predictions for ${duration(n.freshnessSeconds)}`);
  } else if (n.freshnessSeconds !== null && n.freshnessSeconds > STALE_WARNING_SECONDS) {
    warning.push(`no predictions for ${duration(n.freshnessSeconds)}`);
  }
  if (n.qualityIncidents > 0) {
    warning.push(`${n.qualityIncidents} data-quality incident${n.qualityIncidents === 1 ? '' : 's'}`);
  }
  if (n.championVersion === null) warning.push('no champion alias');
  const status: FleetStatus = critical.length > 0 ? 'critical' : warning.length > 0 ? 'warning' : 'ok';
  // Within a status: at most 999 more, so a status never overtakes the one above it.
  const within =
    Math.min(9, n.firingAlerts) * 100 +
    Math.round((n.driftShare ?? 0) * 500) +
    Math.min(9, n.qualityIncidents) * 40 +
    Math.min(1, (n.freshnessSeconds ?? 0) / STALE_CRITICAL_SECONDS) * 50 +
    (n.championVersion === null ? 10 : 0);
  return {
    status,
    attention: STATUS_BASE[status] + Math.min(999, Math.round(within)),
    reasons: status === 'ok' ? ['all checks pass'] : [...critical, ...warning],
  };
}
