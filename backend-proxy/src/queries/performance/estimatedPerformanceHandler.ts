import {
  type AlertRow,
  buildAlertingFrame,
  buildFrame,
  type DataFrameJSON,
  type FieldInput,
  type QueryOf,
  type QueryResultMetaNotice,
  UNITS,
} from '@mlsight/contract';
import { CBPE_METRICS, type CbpeMetric, evaluateClassification, positiveScore, toClassLabel } from '../../stats';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';
import { sharedAlertingWork } from '../alertingWork';
import { type FittedReference, fittedReference, MIN_REFERENCE_ROWS } from './cbpeReference';
import {
  bucketSizeOf,
  byBucket,
  labelledRows,
  METRIC_TITLES,
  predictionRows,
  rangeText,
  requireModel,
  requireStore,
  versionOf,
} from './performanceData';

export { MIN_REFERENCE_ROWS, REFERENCE_ROWS } from './cbpeReference';

const title = (m: CbpeMetric) => METRIC_TITLES[m];

interface ScoredChunk {
  scores: number[];
  predicted: boolean[];
}

function scoredChunk(
  rows: ReadonlyArray<{ score: Parameters<typeof positiveScore>[0]; prediction: Parameters<typeof toClassLabel>[0] }>,
  positive: unknown
): ScoredChunk {
  const scores: number[] = [];
  const predicted: boolean[] = [];
  for (const row of rows) {
    const p = positiveScore(row.score);
    const prediction = toClassLabel(row.prediction);
    if (p === null || prediction === null) continue;
    scores.push(p);
    predicted.push(prediction === positive);
  }
  return { scores, predicted };
}

type EstimatedQuery = QueryOf<'estimated_performance'>;

/**
 * `format: "alerting"`: the whole window as one CBPE chunk, one row per metric (labels model, version or alias,
 * metric) with the value `alertValue` picks — the estimate, its band, the reference's realised value, the window's
 * realised value or its scored rows.
 */
function alertingFrame(
  query: EstimatedQuery,
  metrics: readonly CbpeMetric[],
  estimate: ReturnType<FittedReference['cbpe']['estimate']>,
  reference: FittedReference,
  realised: Record<string, { value: number | null }> | undefined,
  rows: number
): DataFrameJSON {
  const value = query.alertValue ?? 'estimate';
  const pick = (m: CbpeMetric): number | null => {
    switch (value) {
      case 'estimate':
        return estimate[m].value;
      case 'lower':
        return estimate[m].lower;
      case 'upper':
        return estimate[m].upper;
      case 'reference':
        return reference.realised[m];
      case 'realised':
        return realised?.[m]?.value ?? null;
      case 'rows':
        return rows;
    }
  };
  const labels = {
    model: query.model,
    ...(query.version !== undefined ? { version: query.version } : {}),
    ...(query.alias !== undefined ? { alias: query.alias } : {}),
  };
  const alertRows: AlertRow[] = metrics.map((metric) => ({ labels: { ...labels, metric }, value: pick(metric) }));
  return buildAlertingFrame(value, alertRows, value === 'rows' ? UNITS.count : UNITS.ratio);
}

/**
 * `estimated_performance`: CBPE per bucket for binary classifiers — the estimate with its ±3·SE band, and the
 * realised value beside it where labels have arrived.
 */
export async function estimatedPerformanceHandler(
  query: QueryOf<'estimated_performance'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  await requireModel(store, query.model);
  const version = await versionOf(query, ctx);
  const asked: readonly string[] = query.metrics ?? CBPE_METRICS;
  const unsupported = asked.filter((m) => !(CBPE_METRICS as readonly string[]).includes(m));
  if (unsupported.length > 0) {
    throw new QueryError(`metrics: CBPE estimates ${CBPE_METRICS.join(', ')}; not ${unsupported.join(', ')}`);
  }
  const metrics = asked as readonly CbpeMetric[];
  const { fromMs, toMs } = ctx.window;
  const read = async () => {
    const fitted = await fittedReference(store, { model: query.model, version }, fromMs, async () => {
      const rows = await predictionRows(store, { model: query.model, version, fromMs, toMs });
      if (rows.length === 0) {
        throw new QueryError(`model: "${query.model}" has no predictions ${rangeText(fromMs, toMs)}`, 404);
      }
      return rows;
    });
    return { ...fitted, realisedRows: await labelledRows(store, { model: query.model, version, fromMs, toMs }) };
  };
  if (query.format === 'alerting') {
    // The whole window as one chunk, estimated once for every value of the rule (estimate, band, reference …).
    const window = await sharedAlertingWork(query, ctx.window, async () => {
      const { reference, predictions, realisedRows } = await read();
      const chunk = scoredChunk(predictions, reference.setup.positive);
      const realised =
        realisedRows.length > 0 ? evaluateClassification(realisedRows, reference.setup).metrics : undefined;
      return { reference, estimate: reference.cbpe.estimate(chunk), realised, rows: chunk.scores.length };
    });
    return [alertingFrame(query, metrics, window.estimate, window.reference, window.realised, window.rows)];
  }
  const { reference, predictions, realisedRows } = await read();
  const { setup, cbpe } = reference;
  const bucketMs = bucketSizeOf(ctx);
  const buckets = byBucket(predictions, bucketMs);
  const realisedBuckets = byBucket(realisedRows, bucketMs);
  const columns = new Map<string, Array<number | null>>();
  const push = (name: string, v: number | null) => {
    const list = columns.get(name);
    if (list) list.push(v);
    else columns.set(name, [v]);
  };
  const rowCounts: number[] = [];
  const labelledCounts: number[] = [];
  for (const [bucket, rows] of buckets) {
    const chunk = scoredChunk(rows, setup.positive);
    rowCounts.push(chunk.scores.length);
    const estimate = cbpe.estimate(chunk);
    const labelled = realisedBuckets.get(bucket) ?? [];
    labelledCounts.push(labelled.length);
    const realised = labelled.length > 0 ? evaluateClassification(labelled, setup).metrics : undefined;
    for (const m of metrics) {
      const e = estimate[m];
      push(m, e.value);
      push(`${m}_lower`, e.lower);
      push(`${m}_upper`, e.upper);
      push(`${m}_realised`, realised?.[m].value ?? null);
    }
  }
  const ratio = { unit: UNITS.ratio, min: 0, max: 1 };
  const fields: FieldInput[] = [{ name: 'time', type: 'time', values: [...buckets.keys()] }];
  for (const m of metrics) {
    fields.push(
      {
        name: m,
        type: 'number',
        values: columns.get(m) ?? [],
        config: { displayNameFromDS: `${title(m)} (estimated)`, ...ratio },
      },
      {
        name: `${m}_lower`,
        type: 'number',
        values: columns.get(`${m}_lower`) ?? [],
        config: { displayNameFromDS: `${title(m)} lower band (−3 SE)`, ...ratio },
      },
      {
        name: `${m}_upper`,
        type: 'number',
        values: columns.get(`${m}_upper`) ?? [],
        config: { displayNameFromDS: `${title(m)} upper band (+3 SE)`, ...ratio },
      },
      {
        name: `${m}_realised`,
        type: 'number',
        values: columns.get(`${m}_realised`) ?? [],
        config: { displayNameFromDS: `${title(m)} (realised)`, ...ratio },
      }
    );
  }
  fields.push(
    {
      name: 'rows',
      type: 'number',
      values: rowCounts,
      config: { displayNameFromDS: 'Scored rows', unit: UNITS.count },
    },
    {
      name: 'labelled_rows',
      type: 'number',
      values: labelledCounts,
      config: { displayNameFromDS: 'Labelled rows', unit: UNITS.count },
    }
  );
  const first = reference.firstMs;
  const last = reference.lastMs;
  const notices: QueryResultMetaNotice[] = [];
  if (reference.overlapsWindow) {
    notices.push({
      severity: 'info',
      text: `CBPE reference: the earliest ${reference.rows} labelled predictions (${rangeText(first, last + 1)}), which overlap the time range: fewer than ${MIN_REFERENCE_ROWS} labelled rows of both classes lie before it`,
    });
  }
  return [
    buildFrame({
      name: 'estimated_performance',
      meta: {
        type: 'timeseries-wide',
        ...(notices.length > 0 ? { notices } : {}),
        custom: {
          bucketMs,
          method: 'cbpe',
          calibrated: cbpe.calibrated,
          positiveClass: setup.positive,
          referenceRows: cbpe.referenceRows,
          referenceFromMs: first,
          referenceToMs: last,
          ...(version !== undefined ? { version } : {}),
        },
      },
      fields,
    }),
  ];
}
