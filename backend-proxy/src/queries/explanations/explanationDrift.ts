import {
  buildExplanationFrame,
  buildFrame,
  type DataFrameJSON,
  type FieldInput,
  type QueryOf,
  UNITS,
  withNotice,
} from '@mlsight/contract';
import {
  type FeatureImportance,
  importanceChange,
  importanceFromMatrix,
  importanceFromSums,
  importanceRankingNdcg,
  rankByImportance,
} from '../../stats';
import { allowsStale, MlflowError } from '../../mlflow';
import type { QueryContext } from '../context';
import { bucketSizeOf, requireStore } from '../drift/driftWindows';
import { QueryError } from '../errors';
import { readAttributionSketches, sumsByBucket, windowSums } from './attributionSketches';
import { readShapArtifact, SHAP_ARTIFACT_PATH, type ShapArtifact } from './shapArtifact';
import { storeVersionOf } from './storeVersion';

type DriftQuery = QueryOf<'explanation_drift'>;

const toRecord = (importances: readonly FeatureImportance[]) =>
  Object.fromEntries(importances.map((i) => [i.feature, i.meanAbs]));

/**
 * The reference importance: the mean |SHAP| of the version's MLflow artifact (the explanation the model shipped
 * with); without one, the first bucket of the window that has attributions (drift then reads "since the start of
 * the range"), which the frames say.
 */
async function referenceImportance(
  query: DriftQuery,
  ctx: QueryContext,
  buckets: Map<number, FeatureImportance[]>
): Promise<{ importances: FeatureImportance[]; source: string; version: string | null; why?: string }> {
  let artifact: ShapArtifact | undefined;
  let why = `no SHAP artifact (${SHAP_ARTIFACT_PATH}) for this version`;
  try {
    artifact = await readShapArtifact(ctx.mlflow, query.model, query, ctx.mlflowCall);
  } catch (err) {
    // A version MLflow does not know, or MLflow down, still leaves the store's attributions to compare.
    if (err instanceof QueryError || (err instanceof MlflowError && err.kind === 'not_found')) why = err.message;
    else if (allowsStale(err)) why = 'MLflow is unreachable';
    else throw err;
  }
  if (artifact && artifact.document.values.length > 0) {
    return {
      importances: importanceFromMatrix(artifact.document.feature_names, artifact.document.values),
      source: `mlflow:${SHAP_ARTIFACT_PATH}`,
      version: artifact.version.version ?? null,
    };
  }
  const [first] = buckets.values();
  if (!first) throw new QueryError('explanation_drift: no attributions in the time range', 404);
  return { importances: first, source: 'first_bucket', version: null, why };
}

/**
 * `explanation_drift`: per bucket, the nDCG of the importance ranking (mean |attribution| per feature) against the
 * reference ranking — gain = the reference's mean |attribution|, discount 1/log2(rank + 1), @topN when set — and the
 * per-feature change of mean |attribution| from the reference. Frames: the window's importances beside the
 * reference (the explanation-bars frame, first), nDCG per bucket, and the change per feature and bucket.
 */
export async function explanationDriftHandler(query: DriftQuery, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  const version = await storeVersionOf(query, ctx);
  const sketches = await readAttributionSketches(store, {
    model: query.model,
    version,
    fromMs: ctx.window.fromMs,
    toMs: ctx.window.toMs,
    bucketMs: bucketSizeOf(ctx),
  });
  if (!sketches || sketches.series.length === 0) {
    throw new QueryError(
      `model "${query.model}"${version !== undefined ? ` version ${version}` : ''} has no attributions ingested in the time range`,
      404
    );
  }
  const perBucket = new Map(
    [...sumsByBucket(sketches.series).entries()].map(([t, sums]) => [t, importanceFromSums(sums)] as const)
  );
  const reference = await referenceImportance(query, ctx, perBucket);
  const referenceByFeature = toRecord(reference.importances);
  const times = [...perBucket.keys()];
  const features = [...new Set([...Object.keys(referenceByFeature), ...sketches.series.map((s) => s.name)])].sort();
  const k = query.topN !== undefined ? Math.min(query.topN, features.length) : undefined;

  const ndcgs = times.map((t) => {
    const current = toRecord(perBucket.get(t) ?? []);
    return features.length >= 2 ? importanceRankingNdcg(referenceByFeature, current, k) : null;
  });
  const rows = times.map((t) => Math.max(0, ...(perBucket.get(t) ?? []).map((i) => i.count)));
  const changes = times.map((t) => importanceChange(referenceByFeature, toRecord(perBucket.get(t) ?? [])));

  const window = importanceFromSums(windowSums(sketches.series));
  const windowByFeature = toRecord(window);
  const bars = rankByImportance(window, query.topN).map((i) => ({
    feature: i.feature,
    value: i.meanAbs,
    signedValue: i.meanSigned,
    reference: referenceByFeature[i.feature] ?? 0,
  }));
  const custom = {
    bucketMs: sketches.bucketMs,
    referenceSource: reference.source,
    referenceVersion: reference.version,
    version: version ?? null,
    ndcgAt: k ?? null,
  };
  const explanationFrame = buildExplanationFrame(bars);
  const frames: DataFrameJSON[] = [
    { ...explanationFrame, schema: { ...explanationFrame.schema, meta: { custom } } },
    buildFrame({
      name: 'explanation_drift',
      meta: { type: 'timeseries-wide', custom },
      fields: [
        { name: 'time', type: 'time', values: times },
        {
          name: 'ndcg',
          type: 'number',
          values: ndcgs,
          config: {
            displayName: k !== undefined ? `nDCG@${k} vs reference` : 'nDCG vs reference',
            unit: UNITS.none,
            min: 0,
            max: 1,
            description: 'How closely the importance ranking of the bucket follows the reference ranking (1 = same)',
          },
        },
        {
          name: 'rows',
          type: 'number',
          values: rows,
          config: { displayName: 'Attributed predictions', unit: UNITS.count },
        },
      ],
    }),
    buildFrame({
      name: 'explanation_drift_change',
      meta: { type: 'timeseries-wide', custom },
      fields: [
        { name: 'time', type: 'time', values: times },
        ...features.map<FieldInput>((feature) => ({
          name: 'change',
          type: 'number',
          values: changes.map((c) => c.find((x) => x.feature === feature)?.change ?? null),
          labels: { feature },
          config: {
            displayNameFromDS: feature,
            unit: UNITS.none,
            description: 'Mean |attribution| in the bucket minus the reference',
            custom: { reference: referenceByFeature[feature] ?? null, window: windowByFeature[feature] ?? null },
          },
        })),
      ],
    }),
  ];
  if (reference.source === 'first_bucket') {
    const notice = {
      severity: 'info' as const,
      text: `${reference.why ?? 'No SHAP artifact'}: the first bucket with attributions is the reference`,
    };
    return frames.map((f) => withNotice(f, notice));
  }
  return frames;
}
