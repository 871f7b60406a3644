import {
  buildFrame,
  type DataFrameJSON,
  type FieldInput,
  type QueryOf,
  type QueryResultMetaNotice,
  UNITS,
} from '@mlsight/contract';
import { CBPE_METRICS, type CbpeMetric, evaluateClassification, positiveScore, toClassLabel } from '../../metrics';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';
import { fittedReference, MIN_REFERENCE_ROWS } from './cbpeReference';
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
  const { reference, predictions } = await fittedReference(store, { model: query.model, version }, fromMs, async () => {
    const rows = await predictionRows(store, { model: query.model, version, fromMs, toMs });
    if (rows.length === 0) {
      throw new QueryError(`model: "${query.model}" has no predictions ${rangeText(fromMs, toMs)}`, 404);
    }
    return rows;
  });
  const { setup, cbpe } = reference;
  const realisedRows = await labelledRows(store, { model: query.model, version, fromMs, toMs });
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
    const scores: number[] = [];
    const predicted: boolean[] = [];
    for (const row of rows) {
      const p = positiveScore(row.score);
      const prediction = toClassLabel(row.prediction);
      if (p === null || prediction === null) continue;
      scores.push(p);
      predicted.push(prediction === setup.positive);
    }
    rowCounts.push(scores.length);
    const estimate = cbpe.estimate({ scores, predicted });
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
