import type { TestDataSourceResponse } from '@grafana/data';
import type { Problem } from './errors';

export interface DependencyCheck {
  name: string;
  status: 'ok' | 'down';
  latencyMs?: number;
  detail?: string;
}

/** `/readyz` of the proxy: `{ status: 'ok' | 'degraded', checks: { [dependency]: { status, latencyMs, detail? } } }`. */
export function parseReadiness(body: unknown): DependencyCheck[] | undefined {
  if (typeof body !== 'object' || body === null || !('checks' in body)) return undefined;
  const checks: unknown = body.checks;
  if (typeof checks !== 'object' || checks === null) return undefined;
  const out: DependencyCheck[] = [];
  for (const [name, value] of Object.entries(checks)) {
    if (typeof value !== 'object' || value === null || !('status' in value)) return undefined;
    const check: DependencyCheck = { name, status: value.status === 'ok' ? 'ok' : 'down' };
    if ('latencyMs' in value && typeof value.latencyMs === 'number') check.latencyMs = value.latencyMs;
    if ('detail' in value && typeof value.detail === 'string') check.detail = value.detail;
    out.push(check);
  }
  return out;
}

const DEPENDENCY_LABELS: Record<string, string> = { mlflow: 'MLflow', store: 'the drift store' };

function label(name: string): string {
  return DEPENDENCY_LABELS[name] ?? name;
}

function consequence(name: string): string {
  if (name === 'mlflow') return 'queries that read MLflow (runs, versions, lineage, KPIs) fail until it is back';
  if (name === 'store') return 'drift, performance and data-quality queries fail until it is back';
  return 'queries that need it fail until it is back';
}

export interface HealthInput {
  proxyUrl: string;
  /** Dependencies from `/readyz`. */
  checks: DependencyCheck[];
  /** Failure of the authenticated probe, when the token was not accepted. */
  authProblem?: Problem;
}

/**
 * The health-check answer Grafana shows under "Save & test": success only when the proxy answers, the token is
 * accepted and every dependency is up; otherwise the most urgent problem first, each with what to do.
 */
export function summarizeHealth(input: HealthInput): TestDataSourceResponse {
  const down = input.checks.filter((c) => c.status === 'down');
  const problems: string[] = [];
  if (input.authProblem) problems.push(input.authProblem.message);
  for (const check of down) {
    problems.push(
      `${label(check.name)} is down${check.detail ? ` (${check.detail})` : ''}: ${consequence(check.name)}`
    );
  }
  const [first, ...rest] = problems;
  if (first !== undefined) {
    return {
      status: 'error',
      message: first,
      ...(rest.length > 0 ? { details: { message: rest.join('\n') } } : {}),
    };
  }
  const summary = input.checks
    .map((c) => `${label(c.name)} ok${c.latencyMs !== undefined ? ` (${c.latencyMs} ms)` : ''}`)
    .join(', ');
  return {
    status: 'success',
    message: `Connected to the MLSight proxy at ${input.proxyUrl}; token accepted${summary ? `; ${summary}` : ''}`,
  };
}
