import {
  buildFrame,
  CHALLENGER_ALIAS,
  CHAMPION_ALIAS,
  type DataFrameJSON,
  type PerformanceMetric,
  type QueryOf,
  UNITS,
} from '@mlsight/contract';
import {
  evaluateClassification,
  evaluateRegression,
  type LabelledRow,
  mcNemarExact,
  type MetricValue,
  toClassLabel,
  twoProportionZTest,
} from '../../stats';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';
import {
  classSetupOf,
  labelledRows,
  METRIC_TITLES,
  metricsOf,
  problemOf,
  rangeText,
  requireModel,
  requireStore,
} from './performanceData';

interface Side {
  role: 'champion' | 'challenger';
  alias: string;
  version: string;
  rows: Array<LabelledRow & { id: string }>;
}

/** The version an alias points at, read from the MLflow registry; an unknown alias is a 404 naming the field. */
async function resolveSide(
  ctx: QueryContext,
  model: string,
  role: 'champion' | 'challenger',
  alias: string
): Promise<{ role: typeof role; alias: string; version: string }> {
  const version = await ctx.mlflow.getModelVersionByAlias(model, alias, ctx.mlflowCall);
  if (!version.version) throw new QueryError(`${role}: alias "${alias}" of "${model}" names no version`, 404);
  return { role, alias, version: version.version };
}

/**
 * Significance of the accuracy difference. Shadow traffic (both versions scored the same labelled prediction ids):
 * exact McNemar test on those pairs. Otherwise the versions saw different rows: two-proportion z-test.
 */
function significance(champion: Side, challenger: Side) {
  const correct = (rows: Side['rows']) => {
    const out = new Map<string, boolean>();
    for (const r of rows) {
      const label = toClassLabel(r.label);
      const prediction = toClassLabel(r.prediction);
      if (label !== null && prediction !== null) out.set(r.id, label === prediction);
    }
    return out;
  };
  const a = correct(champion.rows);
  const b = correct(challenger.rows);
  let onlyA = 0;
  let onlyB = 0;
  let pairs = 0;
  for (const [id, rightA] of a) {
    const rightB = b.get(id);
    if (rightB === undefined) continue;
    pairs++;
    if (rightA && !rightB) onlyA++;
    if (rightB && !rightA) onlyB++;
  }
  if (pairs > 0) return { test: `McNemar exact on ${pairs} shadow pairs`, pValue: mcNemarExact(onlyA, onlyB).pValue };
  const hits = (m: Map<string, boolean>) => [...m.values()].filter(Boolean).length;
  if (a.size === 0 || b.size === 0) return { test: 'none (a side has no labelled predictions)', pValue: null };
  return {
    test: 'two-proportion z-test (no shadow pairs)',
    pValue: twoProportionZTest(hits(a), a.size, hits(b), b.size).pValue,
  };
}

/**
 * `champion_challenger`: the same realised metrics for the versions behind two registry aliases over the same
 * window, their difference, and whether the accuracy difference is significant (p < 0.05). Labels join by
 * prediction id, so a challenger's shadow prediction of a labelled request counts with that label.
 */
export async function championChallengerHandler(
  query: QueryOf<'champion_challenger'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  await requireModel(store, query.model);
  const { fromMs, toMs } = ctx.window;
  const sides = await Promise.all([
    resolveSide(ctx, query.model, 'champion', query.champion ?? CHAMPION_ALIAS),
    resolveSide(ctx, query.model, 'challenger', query.challenger ?? CHALLENGER_ALIAS),
  ]);
  const loaded: Side[] = [];
  for (const side of sides) {
    // Pinned to the version: labels join its own predictions by id, shadow rows included.
    const labelled = await labelledRows(store, { model: query.model, version: side.version, fromMs, toMs });
    const rows = labelled.map((p) => ({
      id: p.predictionId,
      label: p.label,
      prediction: p.prediction,
      score: p.score,
    }));
    if (rows.length === 0) {
      throw new QueryError(
        `${side.role}: version "${side.version}" (alias "${side.alias}") has no labelled predictions ${rangeText(fromMs, toMs)}`,
        404
      );
    }
    loaded.push({ ...side, rows });
  }
  const [champion, challenger] = loaded as [Side, Side];
  const all = [...champion.rows, ...challenger.rows];
  const problem = problemOf(all, query.metrics);
  const metrics = metricsOf(problem, query.metrics);
  const setup = classSetupOf(all);
  const evaluate = (rows: Side['rows']): Partial<Record<PerformanceMetric, MetricValue>> =>
    problem === 'classification' ? evaluateClassification(rows, setup).metrics : evaluateRegression(rows).metrics;
  const a = evaluate(champion.rows);
  const b = evaluate(challenger.rows);
  const test = problem === 'classification' ? significance(champion, challenger) : null;
  const value = (m: Partial<Record<PerformanceMetric, MetricValue>>, k: PerformanceMetric) => m[k]?.value ?? null;
  const diff = (k: PerformanceMetric) => {
    const x = value(a, k);
    const y = value(b, k);
    return x === null || y === null ? null : y - x;
  };
  const isAccuracy = (k: PerformanceMetric) => k === 'accuracy';
  return [
    buildFrame({
      name: 'champion_challenger',
      meta: {
        preferredVisualisationType: 'table',
        custom: {
          champion: { alias: champion.alias, version: champion.version, labelledRows: champion.rows.length },
          challenger: { alias: challenger.alias, version: challenger.version, labelledRows: challenger.rows.length },
          problem,
        },
      },
      fields: [
        { name: 'metric', type: 'string', values: metrics, config: { displayName: 'Metric' } },
        {
          name: 'title',
          type: 'string',
          values: metrics.map((m) => METRIC_TITLES[m]),
          config: { displayName: 'Name' },
        },
        {
          name: 'champion',
          type: 'number',
          values: metrics.map((m) => value(a, m)),
          config: { displayName: `${champion.alias} (v${champion.version})` },
        },
        {
          name: 'challenger',
          type: 'number',
          values: metrics.map((m) => value(b, m)),
          config: { displayName: `${challenger.alias} (v${challenger.version})` },
        },
        {
          name: 'difference',
          type: 'number',
          values: metrics.map(diff),
          config: { displayName: 'Challenger − champion' },
        },
        {
          name: 'p_value',
          type: 'number',
          values: metrics.map((m) => (isAccuracy(m) ? (test?.pValue ?? null) : null)),
          config: { displayName: 'p-value' },
        },
        {
          name: 'significant',
          type: 'boolean',
          values: metrics.map((m) => (isAccuracy(m) && test?.pValue !== null && test ? test.pValue < 0.05 : null)),
        },
        { name: 'test', type: 'string', values: metrics.map((m) => (isAccuracy(m) ? (test?.test ?? '') : '')) },
        {
          name: 'champion_rows',
          type: 'number',
          values: metrics.map(() => champion.rows.length),
          config: { unit: UNITS.count, displayName: 'Champion labelled rows' },
        },
        {
          name: 'challenger_rows',
          type: 'number',
          values: metrics.map(() => challenger.rows.length),
          config: { unit: UNITS.count, displayName: 'Challenger labelled rows' },
        },
      ],
    }),
  ];
}
