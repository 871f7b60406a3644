/**
 * Grafana's HTTP API in front of a backend plugin, with Grafana's request and response shapes:
 * `POST /api/ds/query` → QueryData (frames back as DataFrameJSON; 400 when any query failed, as Grafana does
 * without the `datasourceQueryMultiStatus` toggle), `GET /api/datasources/uid/<uid>/health` → CheckHealth
 * (`{status: OK|ERROR, message, details}`, 400 unless OK) and `/api/datasources/uid/<uid>/resources/<path>` →
 * CallResource (the plugin's status, content type and body).
 */
import { arrowFrameToJSON } from './arrowFrames';
import type { BackendPlugin, GrpcDataQuery, GrpcPluginContext } from './backendPlugin';
import { jsonAnswer, type ProxyAnswer } from './dataProxy';
import type { DataSourceRecord } from './settingsStore';

/** Grafana's defaults for a query that sets neither (pkg/services/query: 100 points, 1 s). */
const DEFAULT_MAX_DATA_POINTS = 100;
const DEFAULT_INTERVAL_MS = 1000;

export interface BackendLookup {
  record(uid: string): DataSourceRecord | undefined;
  /** The running backend of a data-source type, or undefined when the plugin has none. */
  backend(type: string): Promise<BackendPlugin | undefined>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The signed-in user Grafana puts in the plugin context; the host has one fixed admin unless a test says otherwise. */
export interface HostUser {
  login: string;
  role: 'Viewer' | 'Editor' | 'Admin';
}

export const DEFAULT_HOST_USER: HostUser = { login: 'admin', role: 'Admin' };

/**
 * The host has no login: a test signs in as someone else with `X-MLSight-Host-User: <login>:<Viewer|Editor|Admin>`
 * (Grafana takes the user from its session instead; the header never reaches the plugin).
 */
export const HOST_USER_HEADER = 'x-mlsight-host-user';

export function hostUserOf(headers: Record<string, string>): HostUser {
  const raw = Object.entries(headers).find(([k]) => k.toLowerCase() === HOST_USER_HEADER)?.[1];
  const match = raw === undefined ? null : /^([^:]+):(Viewer|Editor|Admin)$/.exec(raw.trim());
  return match ? { login: match[1] ?? '', role: match[2] as HostUser['role'] } : DEFAULT_HOST_USER;
}

/** What Grafana puts in every plugin request: the org, the signed-in user and the instance's decrypted settings. */
export function pluginContextOf(record: DataSourceRecord, user: HostUser = DEFAULT_HOST_USER): GrpcPluginContext {
  return {
    orgId: record.orgId,
    pluginId: record.type,
    user: { login: user.login, name: user.login, email: `${user.login}@localhost`, role: user.role },
    dataSourceInstanceSettings: {
      id: record.id,
      uid: record.uid,
      name: record.name,
      url: record.url,
      jsonData: Buffer.from(JSON.stringify(record.jsonData)),
      decryptedSecureJsonData: record.secureJsonData,
      // The SDK's instance manager rebuilds an instance when this changes; the version changes on every save.
      lastUpdatedMS: record.version,
    },
  };
}

/** Grafana's time inputs of /api/ds/query: epoch ms (as a string or number), or `now`, `now-6h`. */
export function parseTime(value: unknown, nowMs: number): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const relative = /^now(?:-(\d+)([smhdw]))?$/.exec(value);
  if (!relative) return undefined;
  const unit: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };
  return relative[1] ? nowMs - Number(relative[1]) * (unit[relative[2] ?? 's'] ?? 0) : nowMs;
}

function datasourceUidOf(query: Record<string, unknown>): string | undefined {
  const ds = query.datasource;
  if (isRecord(ds) && typeof ds.uid === 'string') return ds.uid;
  return typeof ds === 'string' ? ds : undefined;
}

/** `POST /api/ds/query`. */
export async function queryAnswer(body: unknown, lookup: BackendLookup, nowMs = Date.now()): Promise<ProxyAnswer> {
  if (!isRecord(body) || !Array.isArray(body.queries) || body.queries.length === 0) {
    return jsonAnswer(400, { message: 'No queries found' });
  }
  const from = parseTime(body.from, nowMs);
  const to = parseTime(body.to, nowMs);
  if (from === undefined || to === undefined) return jsonAnswer(400, { message: 'invalid time range' });
  const byUid = new Map<string, GrpcDataQuery[]>();
  for (const query of body.queries) {
    if (!isRecord(query)) return jsonAnswer(400, { message: 'query must be an object' });
    const uid = datasourceUidOf(query);
    if (!uid) return jsonAnswer(400, { message: 'query has no datasource uid' });
    const refId = typeof query.refId === 'string' && query.refId !== '' ? query.refId : 'A';
    const list = byUid.get(uid) ?? [];
    list.push({
      refId,
      queryType: typeof query.queryType === 'string' ? query.queryType : '',
      maxDataPoints: typeof query.maxDataPoints === 'number' ? query.maxDataPoints : DEFAULT_MAX_DATA_POINTS,
      intervalMS: typeof query.intervalMs === 'number' ? query.intervalMs : DEFAULT_INTERVAL_MS,
      timeRange: { fromEpochMS: from, toEpochMS: to },
      json: Buffer.from(JSON.stringify(query)),
    });
    byUid.set(uid, list);
  }
  const results: Record<string, unknown> = {};
  let failed = false;
  for (const [uid, queries] of byUid) {
    const record = lookup.record(uid);
    if (!record) return jsonAnswer(404, { message: 'Data source not found' });
    const backend = await lookup.backend(record.type);
    if (!backend) return jsonAnswer(400, { message: `plugin ${record.type} has no backend` });
    const responses = await backend.queryData({ pluginContext: pluginContextOf(record), headers: {}, queries });
    for (const [refId, response] of Object.entries(responses)) {
      const frames = response.frames.map((frame) => arrowFrameToJSON(new Uint8Array(frame)));
      if (response.error) failed = true;
      results[refId] = {
        ...(response.status ? { status: response.status } : {}),
        ...(response.error ? { error: response.error } : {}),
        ...(response.errorSource ? { errorSource: response.errorSource } : {}),
        frames,
      };
    }
  }
  return jsonAnswer(failed ? 400 : 200, { results });
}

/** `GET /api/datasources/uid/<uid>/health`. */
export async function healthAnswer(record: DataSourceRecord, backend: BackendPlugin): Promise<ProxyAnswer> {
  const result = await backend.checkHealth({ pluginContext: pluginContextOf(record), headers: {} });
  const details =
    result.jsonDetails.length > 0 ? (JSON.parse(result.jsonDetails.toString('utf8')) as unknown) : undefined;
  const payload = { status: result.status, message: result.message, ...(details !== undefined ? { details } : {}) };
  return jsonAnswer(result.status === 'OK' ? 200 : 400, payload);
}

/** `/api/datasources/uid/<uid>/resources/<path>`. */
export async function resourceAnswer(
  record: DataSourceRecord,
  backend: BackendPlugin,
  request: { method: string; path: string; search: string; headers: Record<string, string>; body: Buffer }
): Promise<ProxyAnswer> {
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([k]) => k.toLowerCase() !== HOST_USER_HEADER)
      .map(([k, v]) => [k, { values: [v] }])
  );
  const result = await backend.callResource({
    pluginContext: pluginContextOf(record, hostUserOf(request.headers)),
    path: request.path,
    method: request.method,
    url: request.path + request.search,
    headers,
    body: request.body,
  });
  const contentType = Object.entries(result.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1]
    .values[0];
  return {
    status: result.code,
    headers: { 'content-type': contentType ?? 'application/json' },
    body: Buffer.from(result.body),
  };
}
