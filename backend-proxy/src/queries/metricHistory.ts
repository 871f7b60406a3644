import { buildFrame, type DataFrameJSON, type QueryOf } from '@mlsight/contract';
import type { QueryContext } from './context';
import { runName, toNumber } from './mlflowUtil';

/** `metric_history`: one time series per run (Grafana's multi-frame time series), step as a second field. */
export async function metricHistoryHandler(
  query: QueryOf<'metric_history'>,
  ctx: QueryContext
): Promise<DataFrameJSON[]> {
  return Promise.all(
    query.runIds.map(async (id) => {
      const [run, history] = await Promise.all([
        ctx.mlflow.getRun(id, ctx.mlflowCall),
        ctx.mlflow.getMetricHistory(id, query.metric, ctx.mlflowCall),
      ]);
      const points = history
        .map((m) => ({ time: toNumber(m.timestamp), value: toNumber(m.value), step: toNumber(m.step) ?? 0 }))
        .filter(
          (p): p is { time: number; value: number; step: number } => p.time !== undefined && p.value !== undefined
        )
        .sort((a, b) => a.time - b.time || a.step - b.step);
      const name = runName(run);
      return buildFrame({
        name: `${query.metric} · ${name}`,
        meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
        fields: [
          { name: 'time', type: 'time', values: points.map((p) => p.time) },
          {
            name: query.metric,
            type: 'number',
            values: points.map((p) => p.value),
            labels: { run_id: id, run_name: name },
            config: { displayNameFromDS: `${query.metric} (${name})` },
          },
          { name: 'step', type: 'number', values: points.map((p) => p.step) },
        ],
      });
    })
  );
}
