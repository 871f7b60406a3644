import { buildExplanationFrame, type DataFrameJSON, type QueryOf } from '@mlsight/contract';
import { type FeatureImportance, importanceFromMatrix, importanceFromSums, rankByImportance } from '../../stats';
import type { QueryContext } from '../context';
import { NotAvailableError, QueryError } from '../errors';
import { readAttributionSketches, windowSums } from './attributionSketches';
import { readShapArtifact, SHAP_ARTIFACT_PATH } from './shapArtifact';
import { storeVersionOf, wholeWindowMs } from './storeVersion';

type GlobalQuery = QueryOf<'explanations_global'>;

interface Importances {
  importances: FeatureImportance[];
  custom: Record<string, unknown>;
}

/** Mean |attribution| of the attributions ingested with predictions in the window; undefined when there are none. */
async function fromStore(query: GlobalQuery, ctx: QueryContext): Promise<Importances | undefined> {
  if (!ctx.store) return undefined;
  const version = await storeVersionOf(query, ctx);
  const sketches = await readAttributionSketches(ctx.store, {
    model: query.model,
    version,
    fromMs: ctx.window.fromMs,
    toMs: ctx.window.toMs,
    bucketMs: wholeWindowMs(ctx),
  });
  const importances = importanceFromSums(windowSums(sketches?.series ?? []));
  if (importances.length === 0) return undefined;
  return {
    importances,
    custom: { source: 'store', version: version ?? null, rows: Math.max(...importances.map((i) => i.count)) },
  };
}

/** Mean |SHAP| of the SHAP artifact logged with the version in MLflow; undefined when it has none. */
async function fromMlflow(query: GlobalQuery, ctx: QueryContext): Promise<Importances | undefined> {
  const artifact = await readShapArtifact(ctx.mlflow, query.model, query, ctx.mlflowCall);
  if (!artifact || artifact.document.values.length === 0) return undefined;
  const { document } = artifact;
  return {
    importances: importanceFromMatrix(document.feature_names, document.values),
    custom: {
      source: 'mlflow',
      version: artifact.version.version ?? null,
      rows: document.values.length,
      artifact: `${artifact.location}:${SHAP_ARTIFACT_PATH}`,
      method: document.method ?? null,
      output: document.output ?? null,
      baseValue: document.base_value,
    },
  };
}

function describeVersion(query: GlobalQuery): string {
  if (query.version !== undefined) return `version ${query.version}`;
  if (query.alias !== undefined) return `alias "${query.alias}"`;
  return 'the latest version';
}

/**
 * `explanations_global`: mean |attribution| per feature, largest first. `source` auto (default) takes the
 * attributions ingested with predictions in the window when there are any, else the SHAP artifact of the version
 * in MLflow; `store` and `mlflow` insist on one. The frame says which was used (`meta.custom.source`).
 */
export async function explanationsGlobalHandler(query: GlobalQuery, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const source = query.source ?? 'auto';
  if (source === 'store' && !ctx.store) {
    throw new NotAvailableError(query.queryType, 'the proxy runs without a drift store (use source "mlflow")');
  }
  let found = source === 'mlflow' ? undefined : await fromStore(query, ctx);
  if (!found && source === 'store') {
    throw new QueryError(
      `model "${query.model}" (${describeVersion(query)}) has no attributions ingested in the time range`,
      404
    );
  }
  found ??= await fromMlflow(query, ctx);
  if (!found) {
    const where =
      source === 'mlflow'
        ? `no SHAP artifact (${SHAP_ARTIFACT_PATH} on its run or logged model)`
        : `no attributions: none ingested in the time range and no SHAP artifact (${SHAP_ARTIFACT_PATH})`;
    throw new QueryError(`model "${query.model}" ${describeVersion(query)} has ${where}`, 404);
  }
  const rows = rankByImportance(found.importances, query.topN).map((i) => ({
    feature: i.feature,
    value: i.meanAbs,
    signedValue: i.meanSigned,
  }));
  const frame = buildExplanationFrame(rows);
  return [
    {
      ...frame,
      schema: { ...frame.schema, meta: { custom: { ...found.custom, features: found.importances.length } } },
    },
  ];
}
