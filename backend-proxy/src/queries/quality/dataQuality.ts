import {
  type AlertRow,
  buildAlertingFrame,
  buildFrame,
  type DataFrameJSON,
  type FieldInput,
  type QueryOf,
  UNITS,
} from '@mlsight/contract';
import { freshnessSeconds, type QualityCounters, type QualityRates, qualityRates } from '../../stats';
import type { ColumnProfile, DriftStore, Sketch, SketchResult } from '../../store';
import type { QueryContext } from '../context';
import { bucketSizeOf, requireStore } from '../drift/driftWindows';
import { QueryError } from '../errors';
import { storeVersionOf } from '../explanations/storeVersion';

type QualityQuery = QueryOf<'data_quality'>;

/** The rate fields of the time frame, in display order; `applies` picks the ones that exist for a kind. */
const RATE_FIELDS = [
  { metric: 'missing_rate', label: 'missing', pick: (r: QualityRates) => r.missingRate, applies: () => true },
  {
    metric: 'out_of_range_rate',
    label: 'out of range',
    pick: (r: QualityRates) => r.outOfRangeRate,
    applies: (c: ColumnProfile) => c.kind === 'numeric',
  },
  {
    metric: 'unseen_rate',
    label: 'unseen category',
    pick: (r: QualityRates) => r.unseenRate,
    applies: (c: ColumnProfile) => c.kind === 'categorical',
  },
  { metric: 'type_error_rate', label: 'type errors', pick: (r: QualityRates) => r.typeErrorRate, applies: () => true },
] as const;

function addCounters(sketches: readonly Sketch[]): QualityCounters {
  const out = { count: 0, missing: 0, typeErrors: 0, outOfRange: 0, unseen: 0 };
  for (const s of sketches) {
    out.count += s.count;
    out.missing += s.missing;
    out.typeErrors += s.typeErrors;
    out.outOfRange += s.outOfRange;
    out.unseen += s.unseen;
  }
  return out;
}

/** The reference's own missing rate: missing / (non-missing + missing) rows of the reference. */
function referenceMissingRate(column: ColumnProfile): number | null {
  const rows = column.count + column.missing;
  return rows > 0 ? column.missing / rows : null;
}

/** Unseen category names of a window, most frequent first (at most `limit`). */
function topUnseen(sketches: readonly Sketch[], limit: number): string[] {
  const totals = new Map<string, number>();
  for (const s of sketches) {
    for (const [name, n] of Object.entries(s.unseenCategories)) totals.set(name, (totals.get(name) ?? 0) + n);
  }
  return [...totals.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, limit)
    .map(([name]) => name);
}

async function loadFeatureSketches(store: DriftStore, query: QualityQuery, ctx: QueryContext) {
  const version = await storeVersionOf(query, ctx);
  const result: SketchResult | undefined = await store.getFeatureSketches({
    model: query.model,
    ...(version !== undefined ? { version } : {}),
    ...(query.features ? { features: query.features } : {}),
    roles: ['feature'],
    fromMs: ctx.window.fromMs,
    toMs: ctx.window.toMs,
    bucketMs: bucketSizeOf(ctx),
  });
  if (!result) {
    throw new QueryError(
      `model "${query.model}" has no reference profile in the drift store; send one with PUT /api/v1/models/${query.model}/reference`,
      404
    );
  }
  return result;
}

interface FeatureSummary {
  feature: string;
  rates: QualityRates;
}

/**
 * `format: "alerting"`: `freshness` is one row for the model (labels model, version or alias); the rates and row
 * counts one row per feature over the whole window (a rate that does not apply to a feature's kind has no row).
 */
function alertingFrame(query: QualityQuery, summaries: readonly FeatureSummary[], freshness: number | null) {
  const value = query.alertValue ?? 'freshness';
  const labels = {
    model: query.model,
    ...(query.version !== undefined ? { version: query.version } : {}),
    ...(query.alias !== undefined ? { alias: query.alias } : {}),
  };
  if (value === 'freshness') return buildAlertingFrame(value, [{ labels, value: freshness }], UNITS.seconds);
  const pick = (r: QualityRates): number | null => {
    switch (value) {
      case 'missing_rate':
        return r.missingRate;
      case 'out_of_range_rate':
        return r.outOfRangeRate;
      case 'unseen_rate':
        return r.unseenRate;
      case 'type_error_rate':
        return r.typeErrorRate;
      case 'rows':
        return r.rows;
    }
  };
  const rows: AlertRow[] = summaries.map((s) => ({ labels: { ...labels, feature: s.feature }, value: pick(s.rates) }));
  return buildAlertingFrame(value, rows, value === 'rows' ? UNITS.count : UNITS.ratio);
}

/**
 * `data_quality`: per feature and bucket the missing, out-of-range (numeric, vs the reference range),
 * unseen-category (categorical, vs the reference categories) and type-error rates, the row volume per bucket, and
 * a per-feature summary over the window with the reference's missing rate beside the window's. Freshness (seconds
 * since the store last accepted rows for the model) is in both frames' `meta.custom` and in the summary.
 * Denominators: see stats/quality/qualityRates.ts.
 */
export async function dataQualityHandler(query: QualityQuery, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  const sketches = await loadFeatureSketches(store, query, ctx);
  const { reference } = sketches;
  const featureNames = query.features ?? Object.keys(reference.features).sort();
  const columns = featureNames.map((feature) => {
    const column = reference.features[feature];
    if (!column)
      throw new QueryError(`features: "${feature}" is not in the reference profile of "${query.model}"`, 404);
    const buckets = sketches.series.find((s) => s.role === 'feature' && s.name === feature)?.buckets ?? [];
    return { feature, column, buckets };
  });
  const times = [...new Set(columns.flatMap((c) => c.buckets.map((b) => b.bucketMs)))].sort((a, b) => a - b);
  const lastIngestAtMs = await store.lastIngestAt(query.model);
  const nowMs = Date.now();
  const freshness = freshnessSeconds(lastIngestAtMs, nowMs);
  const custom = { bucketMs: sketches.bucketMs, lastIngestAtMs, freshnessSeconds: freshness, measuredAtMs: nowMs };

  const rateFields: FieldInput[] = [];
  const rowsPerBucket = times.map(() => 0);
  for (const { feature, column, buckets } of columns) {
    const byTime = new Map(buckets.map((b) => [b.bucketMs, qualityRates(b, column.kind)]));
    times.forEach((t, i) => {
      rowsPerBucket[i] = Math.max(rowsPerBucket[i] ?? 0, byTime.get(t)?.rows ?? 0);
    });
    for (const f of RATE_FIELDS) {
      if (!f.applies(column)) continue;
      const isMissing = f.metric === 'missing_rate';
      rateFields.push({
        name: f.metric,
        type: 'number',
        values: times.map((t) => {
          const rates = byTime.get(t);
          return rates ? f.pick(rates) : null;
        }),
        labels: { feature, metric: f.metric },
        config: {
          displayNameFromDS: `${feature} ${f.label}`,
          unit: UNITS.ratio,
          min: 0,
          max: 1,
          ...(isMissing
            ? {
                description:
                  'Missing values among accepted rows; custom.referenceMissingRate is the reference baseline',
                custom: { referenceMissingRate: referenceMissingRate(column) },
              }
            : {}),
        },
      });
    }
  }

  const summaries = columns.map(({ feature, column, buckets }) => ({
    feature,
    column,
    rates: qualityRates(addCounters(buckets), column.kind),
    unseen: column.kind === 'categorical' ? topUnseen(buckets, 5) : [],
  }));
  if (query.format === 'alerting') return [alertingFrame(query, summaries, freshness)];
  const ratio = { unit: UNITS.ratio, min: 0, max: 1 };
  return [
    buildFrame({
      name: 'data_quality',
      meta: { type: 'timeseries-wide', custom },
      fields: [
        { name: 'time', type: 'time', values: times },
        { name: 'rows', type: 'number', values: rowsPerBucket, config: { displayName: 'Rows', unit: UNITS.count } },
        ...rateFields,
      ],
    }),
    buildFrame({
      name: 'data_quality_summary',
      meta: { preferredVisualisationType: 'table', custom },
      fields: [
        { name: 'feature', type: 'string', values: summaries.map((s) => s.feature) },
        { name: 'kind', type: 'string', values: summaries.map((s) => s.column.kind) },
        { name: 'rows', type: 'number', values: summaries.map((s) => s.rates.rows), config: { unit: UNITS.count } },
        {
          name: 'missing_rate',
          type: 'number',
          values: summaries.map((s) => s.rates.missingRate),
          config: { displayName: 'Missing', ...ratio },
        },
        {
          name: 'reference_missing_rate',
          type: 'number',
          values: summaries.map((s) => referenceMissingRate(s.column)),
          config: { displayName: 'Missing (reference)', ...ratio },
        },
        {
          name: 'out_of_range_rate',
          type: 'number',
          values: summaries.map((s) => s.rates.outOfRangeRate),
          config: { displayName: 'Out of range', ...ratio },
        },
        {
          name: 'unseen_rate',
          type: 'number',
          values: summaries.map((s) => s.rates.unseenRate),
          config: { displayName: 'Unseen categories', ...ratio },
        },
        {
          name: 'type_error_rate',
          type: 'number',
          values: summaries.map((s) => s.rates.typeErrorRate),
          config: { displayName: 'Type errors', ...ratio },
        },
        {
          name: 'reference_min',
          type: 'number',
          values: summaries.map((s) => (s.column.kind === 'numeric' ? s.column.min : null)),
        },
        {
          name: 'reference_max',
          type: 'number',
          values: summaries.map((s) => (s.column.kind === 'numeric' ? s.column.max : null)),
        },
        { name: 'unseen_categories', type: 'string', values: summaries.map((s) => s.unseen.join(', ')) },
        {
          name: 'freshness',
          type: 'number',
          values: summaries.map(() => freshness),
          config: { displayName: 'Since last row', unit: UNITS.seconds },
        },
      ],
    }),
  ];
}
