import type { Actor, RetrainPayload } from '@mlsight/contract';
import type { MlflowWriteClient } from '../mlflow/writeClient';
import { QueryError } from '../queries/errors';
import { requireMayPromote } from './promote';

export interface RetrainDeps {
  writer: MlflowWriteClient;
  webhookUrl: string | null;
  grafanaUrl: string | null;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The model's page in the MLSight app, when Grafana's URL is known. */
export function dashboardUrlOf(grafanaUrl: string | null, model: string): string | null {
  return grafanaUrl === null
    ? null
    : `${grafanaUrl.replace(/\/+$/, '')}/a/mlsight-app/models/${encodeURIComponent(model)}`;
}

/**
 * Posts a retraining request for `model` to MLSIGHT_RETRAIN_WEBHOOK_URL (the documented `RetrainPayload`): the
 * pipeline on the other side decides what to do. The champion version is read fresh from MLflow.
 * @throws QueryError 503 when no webhook is configured or it does not answer 2xx, 403 for a Viewer
 */
export async function requestRetrain(
  deps: RetrainDeps,
  input: { model: string; reason: string; actor: Actor },
  nowMs = Date.now()
): Promise<RetrainPayload> {
  requireMayPromote(input.actor);
  if (deps.webhookUrl === null) {
    throw new QueryError(
      'retraining is not configured: set MLSIGHT_RETRAIN_WEBHOOK_URL to the pipeline webhook that starts a retraining',
      503
    );
  }
  const registered = await deps.writer.registeredModel(input.model);
  const payload: RetrainPayload = {
    kind: 'mlsight.retrain_request',
    model: input.model,
    version: registered.aliases?.find((a) => a.alias === 'champion')?.version ?? null,
    reason: input.reason,
    actor: input.actor,
    at: new Date(nowMs).toISOString(),
    dashboardUrl: dashboardUrlOf(deps.grafanaUrl, input.model),
  };
  let status: number;
  try {
    const res = await (deps.fetch ?? fetch)(deps.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'mlsight-proxy' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    status = res.status;
    await res.arrayBuffer();
  } catch (err) {
    throw new QueryError(`the retraining webhook did not answer: ${(err as Error).message}`, 503);
  }
  if (status < 200 || status >= 300) throw new QueryError(`the retraining webhook answered HTTP ${status}`, 503);
  return payload;
}
