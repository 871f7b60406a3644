import {
  DataSourceApi,
  rangeUtil,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type DataSourceJsonData,
  type DataFrame,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv, isFetchError } from '@grafana/runtime';
import { firstValueFrom } from 'rxjs';
import { dataProxyUrl } from '../runtime/dataSourceSrv';
import { alignedRange, prometheusFormat, queryStep } from './prometheusDataSourceParams';
import { PrometheusQueryError, prometheusErrorMessage, responseToFrames } from './prometheusDataSourceResults';

/** A Prometheus target as dashboards save it (the fields the provisioned dashboards use). */
export interface PromQuery extends DataQuery {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  /** The target's minimum step, e.g. "1m" (template variables allowed). */
  interval?: string;
}

export interface PromJsonData extends DataSourceJsonData {
  timeInterval?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A saved target this data source can run: a PromQL expression, not hidden. */
export function isPromQuery(query: DataQuery): query is PromQuery {
  const expr: unknown = (query as Partial<PromQuery>).expr;
  return query.hide !== true && typeof expr === 'string' && expr.trim() !== '';
}

/** A failed request's message: Prometheus' error, else the proxy's message, else the HTTP status. */
function requestErrorMessage(err: unknown): string {
  if (!isFetchError(err)) return err instanceof Error ? err.message : String(err);
  const promError = prometheusErrorMessage(err.data);
  if (promError !== undefined) return promError;
  if (isRecord(err.data) && typeof err.data.message === 'string') return err.data.message;
  return err.status > 0 ? `HTTP ${err.status} ${err.statusText}`.trim() : err.statusText || 'network error';
}

/**
 * A minimal stand-in for Grafana's Prometheus data source, enough for the provisioned dashboards: range and instant
 * PromQL queries through Grafana's data proxy (`/api/datasources/proxy/uid/<uid>/api/v1/…`), template variables
 * interpolated with Prometheus escaping, answers turned into one frame per series named by the legend, and
 * Prometheus' own error message thrown (the panel shows it). No editors, no metadata, no exemplars.
 *
 * Typed against DataSourceApi's default query type, as the dataSourceSrv hands out instances: targets come from
 * dashboard JSON and are narrowed with `isPromQuery`.
 */
export class PrometheusStandIn extends DataSourceApi {
  private readonly baseUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<PromJsonData>) {
    super(instanceSettings);
    this.baseUrl = instanceSettings.url || dataProxyUrl(instanceSettings.uid);
  }

  override getDefaultQuery(): Partial<PromQuery> {
    return { expr: '', range: true, instant: false };
  }

  override filterQuery(query: DataQuery): boolean {
    return isPromQuery(query);
  }

  async query(request: DataQueryRequest): Promise<DataQueryResponse> {
    const targets = request.targets.filter(isPromQuery);
    const frames = await Promise.all(targets.map((t) => this.runTarget(t, request)));
    return { data: frames.flat() };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const body = await this.get('/api/v1/status/buildinfo', {});
      const version = isRecord(body) && isRecord(body.data) ? body.data.version : undefined;
      if (!isRecord(body) || body.status !== 'success')
        throw new Error('Unexpected answer from /api/v1/status/buildinfo');
      return {
        status: 'success',
        message: `Successfully queried the Prometheus API${typeof version === 'string' ? ` (Prometheus ${version})` : ''}.`,
      };
    } catch (err) {
      return {
        status: 'error',
        message: `Error reading Prometheus: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }

  private async runTarget(target: PromQuery, request: DataQueryRequest): Promise<DataFrame[]> {
    const templateSrv = getTemplateSrv();
    const expr = templateSrv.replace(target.expr, request.scopedVars, prometheusFormat);
    const legendFormat = target.legendFormat ? templateSrv.replace(target.legendFormat, request.scopedVars) : undefined;
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const runInstant = target.instant === true;
    const runRange = target.range ?? !runInstant;
    const frames: DataFrame[] = [];
    if (runRange) {
      const minInterval = target.interval
        ? rangeUtil.intervalToSeconds(templateSrv.replace(target.interval, request.scopedVars))
        : 0;
      const step = queryStep(to - from, request.intervalMs, minInterval);
      const { start, end } = alignedRange(from, to, step);
      const body = await this.get('/api/v1/query_range', { query: expr, start, end, step });
      frames.push(...responseToFrames(body, { refId: target.refId, expr, legendFormat, stepMs: step * 1000 }));
    }
    if (runInstant) {
      const body = await this.get('/api/v1/query', { query: expr, time: to / 1000 });
      frames.push(...responseToFrames(body, { refId: target.refId, expr, legendFormat }));
    }
    return frames;
  }

  /** GET through Grafana's data proxy; a failed request becomes an Error with Prometheus' own message. */
  private async get(path: string, params: Record<string, string | number>): Promise<unknown> {
    try {
      const response = await firstValueFrom(
        getBackendSrv().fetch<unknown>({ url: `${this.baseUrl}${path}`, method: 'GET', params, showErrorAlert: false })
      );
      return response.data;
    } catch (err) {
      throw new PrometheusQueryError(requestErrorMessage(err));
    }
  }
}
