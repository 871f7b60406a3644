import {
  buildLocalExplanationFrame,
  type DataFrameJSON,
  type LocalExplanationMeta,
  type LocalExplanationRow,
  type QueryOf,
  type QueryResultMetaNotice,
  withNotice,
} from '@mlsight/contract';
import { allowsStale, MlflowError } from '../../mlflow';
import type { QueryContext } from '../context';
import { QueryError } from '../errors';
import { readShapArtifact, type ShapArtifact } from './shapArtifact';

type LocalQuery = QueryOf<'explanations_local'>;

interface LocalExplanation {
  attributions: Record<string, number>;
  featureValues: Record<string, unknown>;
  baseValue: number;
  custom: Record<string, unknown>;
  notices: QueryResultMetaNotice[];
}

const asText = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** Largest |attribution| first (the order of a SHAP waterfall), ties by feature name. */
function waterfallOrder(rows: LocalExplanationRow[]): LocalExplanationRow[] {
  return rows.sort(
    (a, b) =>
      Math.abs(b.attribution) - Math.abs(a.attribution) || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0)
  );
}

/** The version's SHAP artifact, or undefined when MLflow has none or cannot be reached (the caller notes why). */
async function artifactOrNotice(
  query: LocalQuery,
  ref: { version?: string; alias?: string },
  ctx: QueryContext,
  notices: QueryResultMetaNotice[]
): Promise<ShapArtifact | undefined> {
  try {
    return await readShapArtifact(ctx.mlflow, query.model, ref, ctx.mlflowCall);
  } catch (err) {
    // The prediction is in the store either way: a version MLflow does not know only costs the base value.
    if (err instanceof QueryError || (err instanceof MlflowError && err.kind === 'not_found')) return undefined;
    if (!allowsStale(err)) throw err;
    notices.push({ severity: 'warning', text: 'MLflow is unreachable: the base value could not be read' });
    return undefined;
  }
}

/** From the drift store: the attributions ingested with the prediction, the base value from the version's artifact. */
async function fromStore(
  query: LocalQuery,
  ctx: QueryContext
): Promise<LocalExplanation | 'no-attributions' | undefined> {
  const record = ctx.store ? await ctx.store.getPrediction(query.model, query.predictionId) : undefined;
  if (!record) return undefined;
  if (Object.keys(record.attributions).length === 0) return 'no-attributions';
  const notices: QueryResultMetaNotice[] = [];
  const ref = record.version !== null ? { version: record.version } : query;
  const artifact = await artifactOrNotice(query, ref, ctx, notices);
  const sum = Object.values(record.attributions).reduce((s, v) => s + v, 0);
  let baseValue: number;
  let baseSource: string;
  if (artifact) {
    baseValue = artifact.document.base_value;
    baseSource = 'mlflow';
  } else if (typeof record.score === 'number') {
    // Without the explainer's expected value, the stored score is taken as the explained output.
    baseValue = record.score - sum;
    baseSource = 'score_minus_attributions';
    notices.push({ severity: 'info', text: 'No SHAP artifact for this version: base value = score − Σ attributions' });
  } else {
    baseValue = 0;
    baseSource = 'none';
    notices.push({ severity: 'warning', text: 'No SHAP artifact and no scalar score: the base value is shown as 0' });
  }
  return {
    attributions: record.attributions,
    featureValues: record.features,
    baseValue,
    notices,
    custom: {
      source: 'store',
      baseValueSource: baseSource,
      version: record.version ?? artifact?.version.version ?? null,
      timestampMs: record.timestampMs,
      score: Array.isArray(record.score) ? null : record.score,
      predictedValue: Array.isArray(record.prediction) ? null : record.prediction,
      label: record.label ?? null,
      output: artifact?.document.output ?? null,
    },
  };
}

/** From the SHAP artifact of the queried version: the row whose prediction id matches. */
async function fromArtifact(query: LocalQuery, ctx: QueryContext): Promise<LocalExplanation | undefined> {
  const artifact = await readShapArtifact(ctx.mlflow, query.model, query, ctx.mlflowCall);
  const document = artifact?.document;
  const index = document?.prediction_ids?.findIndex((id) => String(id) === query.predictionId) ?? -1;
  const values = document?.values[index];
  if (!artifact || !document || !values) return undefined;
  const data = document.data?.[index];
  const attributions: Record<string, number> = {};
  const featureValues: Record<string, unknown> = {};
  document.feature_names.forEach((name, j) => {
    attributions[name] = values[j] ?? 0;
    featureValues[name] = data?.[j];
  });
  return {
    attributions,
    featureValues,
    baseValue: document.base_value,
    notices: [],
    custom: {
      source: 'mlflow',
      baseValueSource: 'mlflow',
      version: artifact.version.version ?? null,
      output: document.output ?? null,
      method: document.method ?? null,
    },
  };
}

/**
 * `explanations_local`: the attributions of one prediction, largest |attribution| first for a waterfall, with the
 * explainer's base value; `prediction` is base value + Σ attributions (the output the attributions explain, e.g.
 * log-odds), the stored score and predicted value ride along in `meta.custom`. Attributions ingested with the
 * prediction win; otherwise the row of the version's SHAP artifact with that prediction id.
 */
export async function explanationsLocalHandler(query: LocalQuery, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const stored = await fromStore(query, ctx);
  let found: LocalExplanation | undefined;
  try {
    found = stored === undefined || stored === 'no-attributions' ? await fromArtifact(query, ctx) : stored;
  } catch (err) {
    if (!allowsStale(err)) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new QueryError(
      `predictionId: "${query.predictionId}" has no attributions in the drift store and the SHAP artifact could not be read (${why})`,
      503
    );
  }
  if (!found) {
    throw new QueryError(
      stored === 'no-attributions'
        ? `predictionId: prediction "${query.predictionId}" of model "${query.model}" has no attributions (none ingested, none in the SHAP artifact)`
        : `predictionId: no prediction "${query.predictionId}" in the drift store or the SHAP artifact of model "${query.model}"`,
      404
    );
  }
  const rows = waterfallOrder(
    Object.entries(found.attributions).map(([feature, attribution]) => ({
      feature,
      attribution,
      featureValue: asText(found.featureValues[feature]),
    }))
  );
  const prediction = rows.reduce((s, r) => s + r.attribution, found.baseValue);
  const meta: LocalExplanationMeta = { predictionId: query.predictionId, baseValue: found.baseValue, prediction };
  let frame = buildLocalExplanationFrame(rows, meta);
  frame = { ...frame, schema: { ...frame.schema, meta: { custom: { ...meta, ...found.custom } } } };
  for (const notice of found.notices) frame = withNotice(frame, notice);
  return [frame];
}
