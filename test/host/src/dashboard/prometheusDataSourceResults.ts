/**
 * The answer side of the host's Prometheus stand-in: Prometheus' JSON (`/api/v1/query_range`, `/api/v1/query`) to
 * data frames as Grafana's Prometheus backend builds them — one frame per series, a `Time` field and a number field
 * carrying the series' labels, named by the legend.
 */
import { DataFrameType, FieldType, createDataFrame, type DataFrame } from '@grafana/data';

export type PromLabels = Record<string, string>;
export type PromSample = [number, string];

export interface PromMatrixSeries {
  metric: PromLabels;
  values: PromSample[];
}

export interface PromVectorSample {
  metric: PromLabels;
  value: PromSample;
}

/** Thrown when Prometheus answers `{status: 'error', error}` or with something that is not a query result. */
export class PrometheusQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

const LEGEND_LABEL = /\{\{\s*(.+?)\s*\}\}/g;
const AUTO_LEGEND = '__auto';

/**
 * Grafana's Prometheus name of a series without a legend: `metric{a="x", b="y"}` (labels sorted), the bare metric
 * name when there are no other labels, `{}` when there is nothing at all.
 */
export function metricNameFromLabels(labels: PromLabels): string {
  const { __name__: name = '', ...rest } = labels;
  const parts = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  if (parts.length === 0) return name || '{}';
  return `${name}{${parts.join(', ')}}`;
}

/**
 * A series' display name as Grafana's Prometheus backend computes it: the legend format with `{{label}}` replaced by
 * the label's value (empty when the series lacks it); without a legend (or `__auto`), the metric name and labels;
 * a name that comes out as `{}` (no labels at all) becomes the query expression.
 * @example seriesName({ kind: 'reference' }, '{{kind}} rows', 'sum(x)') // 'reference rows'
 */
export function seriesName(labels: PromLabels, legendFormat: string | undefined, expr: string): string {
  const legend =
    legendFormat && legendFormat !== AUTO_LEGEND
      ? legendFormat.replace(LEGEND_LABEL, (_match, label: string) => labels[label] ?? '')
      : metricNameFromLabels(labels);
  return legend === '{}' ? expr : legend;
}

/** Prometheus sends sample values as strings, with `NaN`, `+Inf` and `-Inf` spelled out. */
export function parseSampleValue(value: string): number {
  if (value === '+Inf' || value === 'Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return Number(value);
}

export interface FrameContext {
  refId: string;
  expr: string;
  legendFormat?: string;
  /** The query step, the time field's interval (Grafana marks missing points as gaps by it). */
  stepMs?: number;
}

function seriesFrame(labels: PromLabels, samples: PromSample[], ctx: FrameContext): DataFrame {
  const name = seriesName(labels, ctx.legendFormat, ctx.expr);
  const { __name__: _metric, ...fieldLabels } = labels;
  return createDataFrame({
    refId: ctx.refId,
    name,
    meta: {
      type: DataFrameType.TimeSeriesMulti,
      typeVersion: [0, 1],
      executedQueryString: ctx.stepMs ? `Expr: ${ctx.expr}\nStep: ${ctx.stepMs / 1000}s` : `Expr: ${ctx.expr}`,
    },
    fields: [
      {
        name: 'Time',
        type: FieldType.time,
        values: samples.map(([t]) => Math.round(t * 1000)),
        config: ctx.stepMs ? { interval: ctx.stepMs } : {},
      },
      {
        name,
        type: FieldType.number,
        values: samples.map(([, v]) => parseSampleValue(v)),
        labels: fieldLabels,
        config: { displayNameFromDS: name },
      },
    ],
  });
}

/** A range query's `matrix`: one frame per series. */
export function matrixToFrames(series: PromMatrixSeries[], ctx: FrameContext): DataFrame[] {
  return series.map((s) => seriesFrame(s.metric, s.values, ctx));
}

/** An instant query's `vector`: one single-row frame per series. */
export function vectorToFrames(samples: PromVectorSample[], ctx: FrameContext): DataFrame[] {
  return samples.map((s) => seriesFrame(s.metric, [s.value], ctx));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSample(value: unknown): value is PromSample {
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string';
}

function labelsOf(value: unknown): PromLabels {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The message of a Prometheus error body (`{status: 'error', errorType, error}`), if it is one.
 * @example prometheusErrorMessage({ status: 'error', errorType: 'bad_data', error: 'parse error' }) // 'parse error'
 */
export function prometheusErrorMessage(body: unknown): string | undefined {
  if (!isRecord(body) || body.status !== 'error') return undefined;
  return typeof body.error === 'string' ? body.error : 'Prometheus returned an error';
}

/**
 * A whole `/api/v1/query(_range)` answer to frames: matrix, vector or scalar results.
 * @throws {PrometheusQueryError} for an error body, or a body that is not a Prometheus query result
 */
export function responseToFrames(body: unknown, ctx: FrameContext): DataFrame[] {
  const error = prometheusErrorMessage(body);
  if (error !== undefined) throw new PrometheusQueryError(error);
  if (!isRecord(body) || body.status !== 'success' || !isRecord(body.data)) {
    throw new PrometheusQueryError('Prometheus answered with something that is not a query result');
  }
  const { resultType, result } = body.data;
  if (resultType === 'matrix' && Array.isArray(result)) {
    return matrixToFrames(
      result
        .filter(isRecord)
        .map((s) => ({ metric: labelsOf(s.metric), values: Array.isArray(s.values) ? s.values.filter(isSample) : [] })),
      ctx
    );
  }
  if (resultType === 'vector' && Array.isArray(result)) {
    return vectorToFrames(
      result
        .filter((s) => isRecord(s) && isSample(s.value))
        .map((s) => ({ metric: labelsOf(s.metric), value: s.value as PromSample })),
      ctx
    );
  }
  if (resultType === 'scalar' && isSample(result)) return vectorToFrames([{ metric: {}, value: result }], ctx);
  throw new PrometheusQueryError(`Prometheus result type ${String(resultType)} is not supported by the host`);
}
