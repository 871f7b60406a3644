import type { MetricFindValue, VariableKind, VariableQuery } from '@mlsight/contract';
import { MlflowError, type MlflowCallContext, type MlflowClient, type ModelVersion } from '../mlflow';
import { NotAvailableError, QueryError } from './errors';
import { escapeFilterValue, resolveVersion } from './mlflowUtil';
import type { DriftStore } from '../store';
import { signatureInputNames } from './modelSignature';
import { sortVersionsDesc } from './modelVersions';

/**
 * Feature names from the training dataset's schema as MLflow logged it (`mlflow_colspec`), minus the target.
 * This works before any production data reaches the drift store.
 */
export function featuresFromDatasetSchema(schemaJson: string | undefined, target?: string): string[] {
  if (!schemaJson) return [];
  try {
    const parsed = JSON.parse(schemaJson) as { mlflow_colspec?: Array<{ name?: string }> };
    return (parsed.mlflow_colspec ?? [])
      .map((c) => c.name)
      .filter((n): n is string => typeof n === 'string' && n !== target);
  } catch {
    return [];
  }
}

function requireModel(kind: VariableKind, q: VariableQuery): string {
  if (!q.model) throw new QueryError(`model: variables of kind "${kind}" need a model (?model=<name>)`, 400);
  return q.model;
}

/**
 * The model's input features: from its signature (the MLmodel file of the logged model, or of the run's `model`
 * artifact for MLflow 2 models), else from the training dataset's schema minus the target param.
 */
async function modelFeatures(mlflow: MlflowClient, model: string, ctx: MlflowCallContext): Promise<string[]> {
  const version = await resolveVersion(mlflow, model, {}, ctx);
  const fromSignature = await readSignatureFeatures(mlflow, version, ctx);
  if (fromSignature.length > 0) return fromSignature;
  const logged = version.model_id ? await mlflow.getLoggedModel(version.model_id, ctx) : undefined;
  const sourceRunId = logged?.info?.source_run_id ?? version.run_id;
  if (!sourceRunId) return [];
  const run = await mlflow.getRun(sourceRunId, ctx);
  const inputs = run.inputs?.dataset_inputs ?? [];
  const training =
    inputs.find((i) => i.tags?.some((t) => t.key === 'mlflow.data.context' && t.value === 'training')) ?? inputs[0];
  const target = run.data?.params?.find((p) => p.key === 'target')?.value;
  return featuresFromDatasetSchema(training?.dataset?.schema, target);
}

async function readSignatureFeatures(
  mlflow: MlflowClient,
  version: ModelVersion,
  ctx: MlflowCallContext
): Promise<string[]> {
  try {
    const file = version.model_id
      ? await mlflow.downloadLoggedModelArtifact(version.model_id, 'MLmodel', ctx)
      : version.run_id
        ? await mlflow.downloadArtifact(version.run_id, 'model/MLmodel', ctx)
        : undefined;
    return file ? signatureInputNames(file.toString('utf8')) : [];
  } catch (err) {
    // A model logged without the MLmodel we expect still has a dataset schema to fall back on.
    if (err instanceof MlflowError && err.kind === 'not_found') return [];
    throw err;
  }
}

/** Answers `GET /api/v1/variables/{kind}` in Grafana's MetricFindValue shape, filtered by `search`. */
export async function findVariableValues(
  kind: VariableKind,
  q: VariableQuery,
  mlflow: MlflowClient,
  store?: DriftStore
): Promise<MetricFindValue[]> {
  const ctx: MlflowCallContext = {};
  let values: MetricFindValue[];
  switch (kind) {
    case 'experiments':
      values = (await mlflow.searchExperiments({}, ctx))
        .filter((e) => e.experiment_id !== undefined)
        .map((e) => ({ text: e.name ?? String(e.experiment_id), value: String(e.experiment_id) }));
      break;
    case 'models':
      values = (await mlflow.searchRegisteredModels(undefined, ctx))
        .map((m) => m.name ?? '')
        .filter(Boolean)
        .map((name) => ({ text: name, value: name }));
      break;
    case 'versions': {
      const model = requireModel(kind, q);
      const versions = sortVersionsDesc(await mlflow.searchModelVersions(`name='${escapeFilterValue(model)}'`, ctx));
      values = versions.map((v) => {
        const aliases = (v.aliases ?? []).map((a) => ` @${a}`).join('');
        return { text: `v${v.version ?? ''}${aliases}`, value: v.version ?? '' };
      });
      break;
    }
    case 'runs': {
      // The runs that trained the registered versions, newest version first: what metric_history panels plot.
      const model = requireModel(kind, q);
      const versions = sortVersionsDesc(await mlflow.searchModelVersions(`name='${escapeFilterValue(model)}'`, ctx));
      const seen = new Set<string>();
      values = versions.flatMap((v) => {
        if (!v.run_id || seen.has(v.run_id)) return [];
        seen.add(v.run_id);
        const aliases = (v.aliases ?? []).map((a) => ` @${a}`).join('');
        return [{ text: `v${v.version ?? ''}${aliases} · run ${v.run_id.slice(0, 8)}`, value: v.run_id }];
      });
      break;
    }
    case 'aliases': {
      const model = requireModel(kind, q);
      const registered = await mlflow.getRegisteredModel(model, ctx);
      values = (registered.aliases ?? [])
        .filter((a) => a.alias !== undefined)
        .map((a) => ({ text: `${a.alias} (v${a.version ?? '?'})`, value: a.alias ?? '' }));
      break;
    }
    case 'features': {
      const model = requireModel(kind, q);
      // The monitored features (the store's reference) when there is one, else the model's signature in MLflow.
      const monitored = store ? (await store.listFeatures(model)).map((f) => f.name) : [];
      const names = monitored.length > 0 ? monitored : await modelFeatures(mlflow, model, ctx);
      values = names.map((f) => ({ text: f, value: f }));
      break;
    }
    case 'segments': {
      const model = requireModel(kind, q);
      if (!store) throw new NotAvailableError('segments', 'segments come from ingested predictions; no drift store');
      // `field=value`, the form drift queries take in `segment`.
      values = (await store.listSegments(model)).flatMap((segment) =>
        segment.values.map((value) => ({ text: `${segment.field} = ${value}`, value: `${segment.field}=${value}` }))
      );
      break;
    }
  }
  const search = q.search?.toLowerCase();
  return search ? values.filter((v) => v.text.toLowerCase().includes(search)) : values;
}
