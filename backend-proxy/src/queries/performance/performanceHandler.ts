import {
  buildFrame,
  type DataFrameJSON,
  type FieldInput,
  type PerformanceMetric,
  type QueryOf,
  type QueryResultMetaNotice,
  UNITS,
} from '@mlsight/contract';
import {
  evaluateClassification,
  evaluateRegression,
  type ReliabilityBin,
  reliabilityCurve,
  positiveScore,
  toClassLabel,
} from '../../stats';
import type { DriftStore, SegmentFilter } from '../../store';
import type { QueryContext } from '../context';
import { parseSegment } from '../drift/driftWindows';
import { QueryError } from '../errors';
import {
  bucketSizeOf,
  byBucket,
  classSetupOf,
  labelledRows,
  MAX_ROWS,
  METRIC_TITLES,
  metricsOf,
  type PerformanceTable,
  problemOf,
  rangeText,
  requireModel,
  requireStore,
  unitOf,
  versionOf,
} from './performanceData';
import { summaryPerformance } from './performanceSummaries';

/** Per-bucket reasons of undefined values, summed into one notice per metric and reason. */
function reasonNotices(reasons: Map<string, number>): QueryResultMetaNotice[] {
  return [...reasons].map(([text, n]) => ({
    severity: 'info',
    text: `${text} (${n} bucket${n === 1 ? '' : 's'})`,
  }));
}

function reliabilityFrame(curve: readonly ReliabilityBin[]): DataFrameJSON {
  return buildFrame({
    name: 'reliability_curve',
    meta: { preferredVisualisationType: 'table', custom: { bins: 10, strategy: 'uniform' } },
    fields: [
      {
        name: 'bin_lower',
        type: 'number',
        values: curve.map((b) => b.lower),
        config: { displayName: 'Bin from', unit: UNITS.ratio },
      },
      {
        name: 'bin_upper',
        type: 'number',
        values: curve.map((b) => b.upper),
        config: { displayName: 'Bin to', unit: UNITS.ratio },
      },
      {
        name: 'mean_predicted',
        type: 'number',
        values: curve.map((b) => b.meanPredicted),
        config: { displayName: 'Mean predicted probability', unit: UNITS.ratio, min: 0, max: 1 },
      },
      {
        name: 'fraction_positive',
        type: 'number',
        values: curve.map((b) => b.fractionPositive),
        config: { displayName: 'Observed positive share', unit: UNITS.ratio, min: 0, max: 1 },
      },
      {
        name: 'rows',
        type: 'number',
        values: curve.map((b) => b.count),
        config: { displayName: 'Rows', unit: UNITS.count },
      },
    ],
  });
}

/** `performance` from the labelled rows themselves: exact ROC AUC, cost linear in rows. */
async function rowPerformance(
  store: DriftStore,
  q: {
    model: string;
    version: string | undefined;
    fromMs: number;
    toMs: number;
    bucketMs: number;
    segment: SegmentFilter | undefined;
    metrics: readonly PerformanceMetric[] | undefined;
  }
): Promise<PerformanceTable> {
  const { fromMs, toMs } = q;
  const rows = await labelledRows(store, { model: q.model, version: q.version, fromMs, toMs, segment: q.segment });
  if (rows.length === 0) {
    const which = q.version !== undefined ? ` version "${q.version}" of` : '';
    throw new QueryError(
      `model: no labels yet for${which} "${q.model}" ${rangeText(fromMs, toMs)}; send them with POST /api/v1/models/${q.model}/labels`,
      404
    );
  }
  const problem = problemOf(rows, q.metrics);
  const metrics = metricsOf(problem, q.metrics);
  const buckets = byBucket(rows, q.bucketMs);
  const setup = classSetupOf(rows);
  const results = [...buckets.values()].map((bucketRows): PerformanceTable['results'][number] =>
    problem === 'classification' ? evaluateClassification(bucketRows, setup) : evaluateRegression(bucketRows)
  );
  const notices: QueryResultMetaNotice[] = [];
  if (rows.length >= MAX_ROWS) {
    notices.push({ severity: 'warning', text: `only the first ${MAX_ROWS} labelled rows of the range were read` });
  }
  let curve: ReliabilityBin[] | null = null;
  if (problem === 'classification' && setup.positive !== null) {
    const actual: boolean[] = [];
    const scores: number[] = [];
    for (const row of rows) {
      const label = toClassLabel(row.label);
      const p = positiveScore(row.score);
      if (label === null || p === null) continue;
      actual.push(label === setup.positive);
      scores.push(p);
    }
    if (scores.length > 0) curve = reliabilityCurve(actual, scores);
  }
  return { problem, metrics, setup, bucketStarts: [...buckets.keys()], results, curve, notices, source: 'rows' };
}

function performanceFrames(table: PerformanceTable, bucketMs: number, version: string | undefined): DataFrameJSON[] {
  const { problem, metrics, setup } = table;
  const values = new Map<PerformanceMetric, Array<number | null>>(metrics.map((m) => [m, []]));
  const labelled: number[] = [];
  const reasons = new Map<string, number>();
  for (const result of table.results) {
    labelled.push(result.labelledRows);
    for (const m of metrics) {
      const v = result.metrics[m];
      values.get(m)?.push(v?.value ?? null);
      if (v && v.value === null && v.reason) {
        const key = `${METRIC_TITLES[m]}: ${v.reason}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
  }
  const fields: FieldInput[] = [
    { name: 'time', type: 'time', values: table.bucketStarts },
    ...metrics.map((m) => ({
      name: m,
      type: 'number' as const,
      values: values.get(m) ?? [],
      labels: { metric: m },
      config: {
        displayNameFromDS: METRIC_TITLES[m],
        unit: unitOf(m),
        ...(unitOf(m) === UNITS.ratio ? { min: 0, max: 1 } : {}),
      },
    })),
    {
      name: 'labelled_rows',
      type: 'number',
      values: labelled,
      config: { displayNameFromDS: 'Labelled rows', unit: UNITS.count, custom: { hideFrom: { viz: true } } },
    },
  ];
  const notices = [...reasonNotices(reasons), ...table.notices];
  const frames = [
    buildFrame({
      name: 'performance',
      meta: {
        type: 'timeseries-wide',
        ...(notices.length > 0 ? { notices } : {}),
        custom: {
          bucketMs,
          problem,
          source: table.source,
          ...(setup.positive !== null && problem === 'classification' ? { positiveClass: setup.positive } : {}),
          ...(version !== undefined ? { version } : {}),
        },
      },
      fields,
    }),
  ];
  if (table.curve) frames.push(reliabilityFrame(table.curve));
  return frames;
}

/**
 * `performance`: realised metrics per time bucket, from predictions joined with their delayed labels (by
 * prediction time), one field per metric plus the labelled rows each bucket rests on; classification adds the
 * reliability curve of the whole window. Answered from the per-bucket summaries (cost O(buckets)) unless the query
 * asks `exact: true`, pins a version (its labels are joined by id across versions, which only the rows know) or the
 * summaries cannot answer (see `summaryPerformance`).
 */
export async function performanceHandler(query: QueryOf<'performance'>, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  await requireModel(store, query.model);
  const version = await versionOf(query, ctx);
  const window = {
    model: query.model,
    fromMs: ctx.window.fromMs,
    toMs: ctx.window.toMs,
    bucketMs: bucketSizeOf(ctx),
    segment: parseSegment(query.segment),
    metrics: query.metrics,
  };
  const summarised =
    query.exact !== true && version === undefined
      ? await summaryPerformance(store, { ...window, exact: query.exact })
      : undefined;
  const table = summarised ?? (await rowPerformance(store, { ...window, version }));
  return performanceFrames(table, window.bucketMs, version);
}
