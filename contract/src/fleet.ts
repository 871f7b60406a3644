/**
 * The fleet overview (`fleet` query) and the audited alias moves (promote / rollback) and retraining requests: the
 * names the proxy, the data source's Go backend and the app plugin share.
 */

/** How a model in the fleet is doing, worst first. */
export const FLEET_STATUSES = ['critical', 'warning', 'ok', 'no_data'] as const;
export type FleetStatus = (typeof FLEET_STATUSES)[number];

/** Which models the `fleet` query returns: all, only those that need attention (critical or warning), only ok. */
export const FLEET_STATUS_FILTERS = ['all', 'attention', 'ok'] as const;
export type FleetStatusFilter = (typeof FLEET_STATUS_FILTERS)[number];

/** Frame and field names of the `fleet` answer, in field order. */
export const FLEET_FRAME = {
  name: 'fleet',
  model: 'model',
  status: 'status',
  /** Higher is worse; the rows are sorted by it, descending. */
  attention: 'attention',
  championVersion: 'champion_version',
  /** Seconds since the champion alias was set (the deploy tag, else the version's creation). */
  championAliasAge: 'champion_alias_age',
  challengerVersion: 'challenger_version',
  predictions: 'predictions',
  /** Seconds since the newest stored prediction (at the end of the range). */
  freshness: 'freshness',
  driftedFeatures: 'drifted_features',
  features: 'features',
  driftShare: 'drift_share',
  estimatedAccuracy: 'estimated_accuracy',
  estimatedAccuracyLower: 'estimated_accuracy_lower',
  estimatedAccuracyUpper: 'estimated_accuracy_upper',
  realisedAccuracy: 'realised_accuracy',
  qualityIncidents: 'quality_incidents',
  firingAlerts: 'firing_alerts',
  /** '; '-joined sentences saying why the status is what it is. */
  reasons: 'reasons',
} as const;

/** The sparkline frame: one point per bucket per model (timeseries-long). */
export const FLEET_DRIFT_SHARE_FRAME = {
  name: 'fleet_drift_share',
  time: 'time',
  model: 'model',
  driftShare: 'drift_share',
} as const;

/** One row of the `fleet` frame, as the proxy computes it. */
export interface FleetRow {
  model: string;
  status: FleetStatus;
  attention: number;
  championVersion: string | null;
  championAliasAgeSeconds: number | null;
  challengerVersion: string | null;
  predictions: number;
  freshnessSeconds: number | null;
  driftedFeatures: number;
  features: number;
  driftShare: number | null;
  estimatedAccuracy: number | null;
  estimatedAccuracyLower: number | null;
  estimatedAccuracyUpper: number | null;
  realisedAccuracy: number | null;
  qualityIncidents: number;
  firingAlerts: number;
  reasons: string[];
}

/** Grafana roles, as the plugin context's User carries them. */
export const GRAFANA_ROLES = ['Viewer', 'Editor', 'Admin'] as const;
export type GrafanaRole = (typeof GRAFANA_ROLES)[number];

/** Who asked for an alias move or a retraining: the signed-in Grafana user. */
export interface Actor {
  login: string;
  role: GrafanaRole;
}

/** `POST /api/v1/models/:name/aliases/:alias`. */
export interface PromoteRequest {
  version: string;
  /** Why (1..500 characters); written to the version's tags. */
  reason: string;
  /** The version the caller saw the alias at (null: the alias did not exist); a mismatch is a 409. */
  expectedVersion: string | null;
  actor: Actor;
}

export interface PromoteResponse {
  model: string;
  alias: string;
  version: string;
  previousVersion: string | null;
  actor: Actor;
  reason: string;
  /** ISO-8601 time of the move. */
  at: string;
}

/** `GET /api/v1/models/:name/aliases`. */
export interface AliasListResponse {
  model: string;
  aliases: Array<{ alias: string; version: string }>;
  versions: Array<{ version: string; aliases: string[]; createdAt: string | null }>;
}

/** `POST /api/v1/models/:name/retrain`. */
export interface RetrainRequest {
  reason: string;
  actor: Actor;
}

/** The JSON body MLSight posts to MLSIGHT_RETRAIN_WEBHOOK_URL (documented in the README). */
export interface RetrainPayload {
  kind: 'mlsight.retrain_request';
  model: string;
  /** The champion version when the model has one, else null. */
  version: string | null;
  reason: string;
  actor: Actor;
  /** ISO-8601. */
  at: string;
  /** The model's page in Grafana when MLSIGHT_GRAFANA_URL is set, else null. */
  dashboardUrl: string | null;
}

/** Version tags a promote writes (besides the deploy tags `deployed_at` / `deployed_by`). */
export const PROMOTE_TAGS = {
  promotedBy: 'mlsight.promoted_by',
  promotedAt: 'mlsight.promoted_at',
  reason: 'mlsight.promote_reason',
  previousVersion: 'mlsight.previous_version',
  deployedAt: 'deployed_at',
  deployedBy: 'deployed_by',
} as const;
