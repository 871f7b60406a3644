import { buildFrame, type DataFrameJSON, type FieldInput, type QueryOf, UNITS } from '@mlsight/contract';
import type { QueryContext } from './context';
import { resolveVersion, runMetrics, toNumber } from './mlflowUtil';
import { productionKpiFields, productionKpis } from './productionKpis';

/** Metrics that are shares in [0, 1]; Grafana shows them as percentages. */
const RATIO_METRICS = new Set(['accuracy', 'precision', 'recall', 'f1', 'f1_score', 'roc_auc', 'auc', 'ece']);

/** Picks the KPI metrics: the configured ones that exist, in configured order, else the first keys by name. */
export function chooseKpis(available: Record<string, number>, preferred: readonly string[], topN: number): string[] {
  const present = preferred.filter((k) => available[k] !== undefined);
  const chosen = present.length > 0 ? present : Object.keys(available).sort();
  return chosen.slice(0, topN);
}

/**
 * `kpis`: one row for stat panels — the latest offline metrics of the champion (or chosen) version from MLflow, and
 * the model's production numbers over the time range from the drift store.
 */
export async function kpisHandler(query: QueryOf<'kpis'>, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const alias = query.version === undefined ? (query.alias ?? ctx.config.kpi.alias) : undefined;
  const version = await resolveVersion(ctx.mlflow, query.model, { version: query.version, alias }, ctx.mlflowCall);
  const logged = version.model_id ? await ctx.mlflow.getLoggedModel(version.model_id, ctx.mlflowCall) : undefined;
  const sourceRunId = logged?.info?.source_run_id ?? version.run_id;
  const metrics: Record<string, number> = {};
  if (sourceRunId) Object.assign(metrics, runMetrics(await ctx.mlflow.getRun(sourceRunId, ctx.mlflowCall)));
  // Metrics logged on the logged model (MLflow 3 evaluation) win over the run's.
  for (const m of logged?.data?.metrics ?? []) {
    const value = toNumber(m.value);
    if (m.key !== undefined && value !== undefined) metrics[m.key] = value;
  }
  const keys = chooseKpis(metrics, query.metrics ?? ctx.config.kpi.metrics, query.topN ?? ctx.config.kpi.topN);
  const fields: FieldInput[] = [
    { name: 'model', type: 'string', values: [query.model] },
    { name: 'version', type: 'string', values: [version.version ?? ''] },
    { name: 'alias', type: 'string', values: [alias ?? ''] },
    ...keys.map<FieldInput>((key) => ({
      name: key,
      type: 'number',
      values: [metrics[key] ?? null],
      config: {
        displayName: key.replace(/_/g, ' '),
        unit: RATIO_METRICS.has(key) ? UNITS.ratio : UNITS.none,
        decimals: RATIO_METRICS.has(key) ? 1 : 3,
        ...(RATIO_METRICS.has(key) ? { min: 0, max: 1 } : {}),
      },
    })),
  ];
  // Production numbers from the drift store beside the registry's offline metrics: five headline numbers for a
  // business dashboard. A model the store does not know keeps its MLflow KPIs and says why the rest is missing.
  const production = await productionKpis(query.model, ctx);
  const notices =
    'reason' in production ? [{ severity: 'info' as const, text: `production KPIs: ${production.reason}` }] : [];
  if ('kpis' in production) fields.push(...productionKpiFields(production.kpis));
  return [
    buildFrame({
      name: `${query.model} KPIs`,
      meta: { preferredVisualisationType: 'table', ...(notices.length > 0 ? { notices } : {}) },
      fields,
    }),
  ];
}
