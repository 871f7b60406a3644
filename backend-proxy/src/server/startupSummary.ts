import type { AppConfig } from '../config/config';
import { displayUrl } from '../mlflow';

/**
 * What the proxy logs about itself at start. The MLflow URL may carry a password (`http://user:pass@host`), which
 * was logged at info level (issue 14): it is shown without its user info, as `/readyz` shows it.
 */
export function startupSummary(config: AppConfig): { mlflow: string; store: string; limits: AppConfig['limits'] } {
  return { mlflow: displayUrl(config.mlflow.url), store: config.store.engine, limits: config.limits };
}
