import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { firstValueFrom } from 'rxjs';
import type { PromAlert } from './types';

/** The alerts of the Prometheus that evaluates MLSight's rules, through Grafana's data proxy. */
export const ALERTS_URL = '/api/datasources/proxy/uid/mlsight-prometheus/api/v1/alerts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function toAlert(value: unknown): PromAlert | undefined {
  if (!isRecord(value)) return undefined;
  const state = value.state;
  if (state !== 'firing' && state !== 'pending' && state !== 'inactive') return undefined;
  return {
    labels: stringRecord(value.labels),
    annotations: stringRecord(value.annotations),
    state,
    ...(typeof value.activeAt === 'string' ? { activeAt: value.activeAt } : {}),
    ...(typeof value.value === 'string' ? { value: value.value } : {}),
  };
}

/** Prometheus' answer `{status: 'success', data: {alerts: [...]}}` → alerts; anything else is an error. */
export function parseAlertsResponse(body: unknown): PromAlert[] {
  if (!isRecord(body) || body.status !== 'success' || !isRecord(body.data) || !Array.isArray(body.data.alerts)) {
    const error = isRecord(body) && typeof body.error === 'string' ? body.error : 'not a Prometheus alerts response';
    throw new Error(error);
  }
  return body.data.alerts.flatMap((a) => toAlert(a) ?? []);
}

/** A failed request as a sentence: Prometheus' or the proxy's own message, else the HTTP status. */
export function fetchErrorMessage(err: unknown): string {
  if (isFetchError(err)) {
    const data: unknown = err.data;
    if (isRecord(data) && typeof data.error === 'string') return data.error;
    if (isRecord(data) && typeof data.message === 'string') return data.message;
    return err.status > 0 ? `HTTP ${err.status} ${err.statusText}`.trim() : err.statusText || 'network error';
  }
  return err instanceof Error ? err.message : String(err);
}

export async function fetchAlerts(): Promise<PromAlert[]> {
  const response = await firstValueFrom(getBackendSrv().fetch<unknown>({ url: ALERTS_URL, method: 'GET' }));
  return parseAlertsResponse(response.data);
}
