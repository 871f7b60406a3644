import type { RegisteredModel } from './types';
import { CircuitBreaker } from './circuitBreaker';
import { displayUrl } from './errors';
import { type MlflowAuth, MlflowHttp } from './http';

const API = '/api/2.0/mlflow';

export interface MlflowWriteClientConfig {
  baseUrl: string;
  auth: MlflowAuth;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * The only code that changes MLflow: an alias (`registered-models/alias`, POST = set) and a model version's tags
 * (`model-versions/set-tag`). Kept apart from the read-only `MlflowClient`, whose cache and stale answers a write
 * must never see: `registeredModel` here reads MLflow fresh. Writes are not retried (a timed-out write may have
 * happened) and have their own circuit breaker, so a write failing cannot open the readers' circuit.
 */
export class MlflowWriteClient {
  readonly baseUrl: string;
  private readonly http: MlflowHttp;

  constructor(config: MlflowWriteClientConfig) {
    this.baseUrl = displayUrl(config.baseUrl);
    this.http = new MlflowHttp({
      baseUrl: config.baseUrl,
      auth: config.auth,
      timeoutMs: config.timeoutMs,
      retries: 0,
      backoffMs: 0,
      breaker: new CircuitBreaker({ failureThreshold: 5, resetMs: 10_000 }),
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
  }

  /** The registered model with its aliases, read now (not from any cache). @throws MlflowError `not_found` */
  async registeredModel(name: string): Promise<RegisteredModel> {
    const body = (await this.http.json({
      method: 'GET',
      path: `${API}/registered-models/get`,
      query: { name },
      retries: 0,
    })) as { registered_model?: RegisteredModel };
    return body.registered_model ?? {};
  }

  /** Points `alias` at `version`. */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.http.json({ method: 'POST', path: `${API}/registered-models/alias`, body: { name, alias, version } });
  }

  /** Sets one tag on a model version. */
  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.http.json({
      method: 'POST',
      path: `${API}/model-versions/set-tag`,
      body: { name, version, key, value },
    });
  }
}
