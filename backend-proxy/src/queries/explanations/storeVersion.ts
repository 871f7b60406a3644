import type { QueryContext } from '../context';

/**
 * The version a store query filters on: the query's version, or the version its alias points at in MLflow's
 * registry (the store keeps version numbers, not aliases); undefined means every version on the model's reference.
 */
export async function storeVersionOf(
  query: { model: string; version?: string; alias?: string },
  ctx: QueryContext
): Promise<string | undefined> {
  if (query.version !== undefined) return query.version;
  if (query.alias === undefined) return undefined;
  const resolved = await ctx.mlflow.getModelVersionByAlias(query.model, query.alias, ctx.mlflowCall);
  return resolved.version;
}

/** The whole query window as one bucket (the store rounds it up to whole minutes). */
export function wholeWindowMs(ctx: QueryContext): number {
  return Math.max(60_000, ctx.window.toMs - ctx.window.fromMs + 1);
}
