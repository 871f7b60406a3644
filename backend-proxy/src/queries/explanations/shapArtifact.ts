import { z } from 'zod';
import { isOutage, MlflowError, type MlflowCallContext, type MlflowClient, type ModelVersion } from '../../mlflow';
import { QueryError } from '../errors';
import { resolveVersion } from '../mlflowUtil';

/** Where the seeder (and any training job following its format) logs SHAP values: beside the run and the model. */
export const SHAP_ARTIFACT_PATH = 'explanations/shap_values.json';

/** The SHAP document format of scripts/seed/explanations.py (format_version 1). */
const ShapDocumentSchema = z
  .object({
    format_version: z.literal(1),
    method: z.string().optional(),
    output: z.string().optional(),
    feature_names: z.array(z.string()).min(1),
    base_value: z.number(),
    values: z.array(z.array(z.number())),
    data: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))).optional(),
    prediction_ids: z.array(z.union([z.string(), z.number()])).optional(),
  })
  .refine((d) => d.values.every((row) => row.length === d.feature_names.length), {
    message: 'every row of values needs one value per feature name',
  });

export type ShapDocument = z.infer<typeof ShapDocumentSchema>;

export interface ShapArtifact {
  version: ModelVersion;
  /** Where it was read: the version's run, or its logged model (MLflow 3). */
  location: 'run' | 'logged_model';
  document: ShapDocument;
}

/** A missing artifact: MLflow answered, and the file is not there. Outages still propagate. */
function isAbsent(err: unknown): boolean {
  return err instanceof MlflowError && !isOutage(err) && (err.kind === 'not_found' || err.kind === 'http');
}

function parse(bytes: Buffer, where: string): ShapDocument {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new QueryError(`${where}: ${SHAP_ARTIFACT_PATH} is not valid JSON`, 502);
  }
  const parsed = ShapDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QueryError(`${where}: ${SHAP_ARTIFACT_PATH} ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`, 502);
  }
  return parsed.data;
}

/**
 * The SHAP artifact of a model version (version, alias, or the latest version): read from the version's run first,
 * then from its logged model. Undefined when MLflow has the version but neither holds the file.
 */
export async function readShapArtifact(
  mlflow: MlflowClient,
  model: string,
  ref: { version?: string; alias?: string },
  ctx: MlflowCallContext
): Promise<ShapArtifact | undefined> {
  const version = await resolveVersion(mlflow, model, ref, ctx);
  const where = `model "${model}" version ${version.version ?? '?'}`;
  const attempts: Array<[ShapArtifact['location'], () => Promise<Buffer>]> = [];
  if (version.run_id) {
    const runId = version.run_id;
    attempts.push(['run', () => mlflow.downloadArtifact(runId, SHAP_ARTIFACT_PATH, ctx)]);
  }
  if (version.model_id) {
    const modelId = version.model_id;
    attempts.push(['logged_model', () => mlflow.downloadLoggedModelArtifact(modelId, SHAP_ARTIFACT_PATH, ctx)]);
  }
  for (const [location, download] of attempts) {
    try {
      return { version, location, document: parse(await download(), where) };
    } catch (err) {
      if (!isAbsent(err)) throw err;
    }
  }
  return undefined;
}
