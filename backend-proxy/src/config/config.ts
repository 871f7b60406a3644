import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

/** The scopes a bearer token can carry. `admin` implies the others. */
export const SCOPES = ['read', 'ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiToken {
  token: string;
  scopes: Scope[];
}

export type MlflowAuth =
  { type: 'none' } | { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };

export interface AppConfig {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  auth: { enabled: boolean; tokens: ApiToken[] };
  mlflow: {
    url: string;
    uiUrl: string;
    auth: MlflowAuth;
    timeoutMs: number;
    retries: number;
    backoffMs: number;
    breakerFailures: number;
    breakerResetMs: number;
    cacheTtlMs: number;
    staleTtlMs: number;
    pageSize: number;
  };
  store: { engine: 'sqlite'; sqlitePath: string } | { engine: 'postgres'; databaseUrl: string };
  maxBodyBytes: number;
  limits: Limits;
  /** Serve /metrics without a token (for a Prometheus on a private network); off by default. */
  metricsPublic: boolean;
  kpi: { metrics: string[]; topN: number; alias: string };
  /**
   * The Prometheus monitor: every `intervalMs` (0 = off) it recomputes the drift, data-quality and volume gauges of
   * every model over the trailing `windowMs` from the store's sketches.
   */
  monitor: { intervalMs: number; windowMs: number };
  /**
   * How long a finished query answer is shared with identical queries over the same range (to within this age);
   * 0 (default): only queries asked while it is computed share it. See server/sharedAnswers.ts.
   */
  answerMaxAgeMs: number;
  /** Worker threads that answer queries off the event loop (0: on it). Default 1: this machine's two cores. */
  queryWorkers: number;
  /** Where retraining requests are posted (`POST /api/v1/models/:name/retrain`); null: the route answers 503. */
  retrainWebhookUrl: string | null;
  /** Grafana's URL, for links in retraining requests; null: no link. */
  grafanaUrl: string | null;
}

/**
 * Bounds on the work one request may ask for, so no request holds the event loop for long: each is answered with a
 * 4xx naming the setting and the value.
 */
export interface Limits {
  /** Distinct features of a reference, and features of one prediction row (`MLSIGHT_MAX_FEATURES`). */
  maxFeatures: number;
  /** Characters of one string value or name in an ingested row (`MLSIGHT_MAX_STRING_LENGTH`). */
  maxStringLength: number;
  /** Rows of one ingestion request (`MLSIGHT_MAX_BATCH_ROWS`). */
  maxBatchRows: number;
  /** Features × buckets one heatmap-like query may compute (`MLSIGHT_MAX_QUERY_CELLS`). */
  maxQueryCells: number;
}

export const LIMIT_DEFAULTS: Limits = {
  maxFeatures: 2_000,
  maxStringLength: 4_096,
  maxBatchRows: 1_000_000,
  maxQueryCells: 100_000,
};

/** A setting that is missing or malformed; the message names the environment variable. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string
  ) {
    super(`Invalid setting ${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, key: string): string | undefined {
  const direct = env[key];
  if (direct !== undefined && direct !== '') return direct;
  // Secrets may come from files (Docker/Kubernetes secrets): MLSIGHT_X_FILE=/run/secrets/x.
  const file = env[`${key}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`${key}_FILE`, `cannot read ${file} (${(err as Error).message})`);
    }
  }
  return undefined;
}

function parseWith<T>(env: Env, key: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = read(env, key);
  if (raw === undefined) return fallback;
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(key, `${JSON.stringify(raw)} ${result.error.issues[0]?.message ?? 'is not valid'}`);
  }
  return result.data;
}

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const httpUrl = z
  .string()
  .url('must be a URL such as http://127.0.0.1:5000')
  .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')
  .transform((u) => u.replace(/\/+$/, ''));

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `500ms`, `60s`, `15m`, `1h` or `1d` (a bare number is seconds, as in Prometheus'
 * `scrape_interval`) into milliseconds; undefined when the text is not a duration.
 */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (DURATION_UNIT_MS[match[2] ?? 's'] ?? 1000);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

const durationMs = (min: number, max: number, { allowZero = false } = {}) =>
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseDurationMs(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 60s, 15m, 1h or 1d' });
        return z.NEVER;
      }
      return ms;
    })
    .refine((ms) => (allowZero && ms === 0) || (ms >= min && ms <= max), {
      message: `must be ${allowZero ? '0 (off) or ' : ''}between ${formatMs(min)} and ${formatMs(max)}`,
    });

function formatMs(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = DURATION_UNIT_MS[unit] ?? 1;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const csv = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** `aaaa…` or `abababab…` is guessable whatever its length; a random hex token of 16 has ~10 different characters. */
const MIN_DISTINCT_TOKEN_CHARACTERS = 6;

/** Parses `token:read+ingest,token2:admin` into tokens with scopes. */
export function parseTokens(raw: string): ApiToken[] {
  return csv(raw).map((entry, index) => {
    const sep = entry.lastIndexOf(':');
    const token = sep < 0 ? entry : entry.slice(0, sep);
    const scopeText = sep < 0 ? 'read' : entry.slice(sep + 1);
    if (token.length < 16) {
      throw new ConfigError('MLSIGHT_TOKENS', `token #${index + 1} is shorter than 16 characters`);
    }
    if (new Set(token).size < MIN_DISTINCT_TOKEN_CHARACTERS) {
      throw new ConfigError(
        'MLSIGHT_TOKENS',
        `token #${index + 1} has fewer than ${MIN_DISTINCT_TOKEN_CHARACTERS} different characters; use a random ` +
          'token such as `openssl rand -hex 24`'
      );
    }
    const scopes = scopeText.split('+').map((s) => s.trim());
    for (const scope of scopes) {
      if (!(SCOPES as readonly string[]).includes(scope)) {
        throw new ConfigError(
          'MLSIGHT_TOKENS',
          `token #${index + 1} has unknown scope "${scope}" (use ${SCOPES.join(', ')})`
        );
      }
    }
    return { token, scopes: scopes as Scope[] };
  });
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/**
 * Reads and validates every setting from the environment. Throws a ConfigError naming the first bad setting,
 * so the process can refuse to start with a message the operator can act on.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const host = parseWith(env, 'MLSIGHT_HOST', z.string().min(1), '127.0.0.1');
  const port = parseWith(env, 'MLSIGHT_PORT', intIn(0, 65535), 8450);
  const logLevel = parseWith(
    env,
    'MLSIGHT_LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'info'
  );

  const authMode = parseWith(env, 'MLSIGHT_AUTH', z.enum(['on', 'off'], { message: 'must be "on" or "off"' }), 'on');
  const tokensRaw = read(env, 'MLSIGHT_TOKENS');
  const tokens = tokensRaw ? parseTokens(tokensRaw) : [];
  if (authMode === 'off' && !isLoopback(host)) {
    throw new ConfigError(
      'MLSIGHT_AUTH',
      `"off" is only allowed when MLSIGHT_HOST is a loopback address (it is ${host}); set MLSIGHT_TOKENS instead`
    );
  }
  if (authMode === 'on' && tokens.length === 0) {
    throw new ConfigError('MLSIGHT_TOKENS', 'is required when MLSIGHT_AUTH is on (e.g. "<long-random-token>:read")');
  }

  const mlflowUrl = parseWith(env, 'MLSIGHT_MLFLOW_URL', httpUrl, 'http://127.0.0.1:5000');
  const mlflowAuthType = parseWith(env, 'MLSIGHT_MLFLOW_AUTH', z.enum(['none', 'basic', 'bearer']), 'none');
  let mlflowAuth: MlflowAuth = { type: 'none' };
  if (mlflowAuthType === 'basic') {
    const username = read(env, 'MLSIGHT_MLFLOW_USERNAME');
    const password = read(env, 'MLSIGHT_MLFLOW_PASSWORD');
    if (!username) throw new ConfigError('MLSIGHT_MLFLOW_USERNAME', 'is required when MLSIGHT_MLFLOW_AUTH=basic');
    if (!password) throw new ConfigError('MLSIGHT_MLFLOW_PASSWORD', 'is required when MLSIGHT_MLFLOW_AUTH=basic');
    mlflowAuth = { type: 'basic', username, password };
  } else if (mlflowAuthType === 'bearer') {
    const token = read(env, 'MLSIGHT_MLFLOW_TOKEN');
    if (!token) throw new ConfigError('MLSIGHT_MLFLOW_TOKEN', 'is required when MLSIGHT_MLFLOW_AUTH=bearer');
    mlflowAuth = { type: 'bearer', token };
  }

  const engine = parseWith(env, 'MLSIGHT_STORE', z.enum(['sqlite', 'postgres']), 'sqlite');
  let store: AppConfig['store'];
  if (engine === 'postgres') {
    const databaseUrl = read(env, 'MLSIGHT_DATABASE_URL');
    if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new ConfigError('MLSIGHT_DATABASE_URL', 'must be a postgres:// URL when MLSIGHT_STORE=postgres');
    }
    store = { engine, databaseUrl };
  } else {
    store = { engine, sqlitePath: parseWith(env, 'MLSIGHT_SQLITE_PATH', z.string().min(1), '.data/mlsight.db') };
  }

  return {
    host,
    port,
    logLevel,
    auth: { enabled: authMode === 'on', tokens },
    mlflow: {
      url: mlflowUrl,
      uiUrl: parseWith(env, 'MLSIGHT_MLFLOW_UI_URL', httpUrl, mlflowUrl),
      auth: mlflowAuth,
      timeoutMs: parseWith(env, 'MLSIGHT_MLFLOW_TIMEOUT_MS', intIn(100, 300_000), 5_000),
      retries: parseWith(env, 'MLSIGHT_MLFLOW_RETRIES', intIn(0, 10), 2),
      backoffMs: parseWith(env, 'MLSIGHT_MLFLOW_BACKOFF_MS', intIn(0, 60_000), 200),
      breakerFailures: parseWith(env, 'MLSIGHT_MLFLOW_BREAKER_FAILURES', intIn(1, 1000), 5),
      breakerResetMs: parseWith(env, 'MLSIGHT_MLFLOW_BREAKER_RESET_MS', intIn(100, 3_600_000), 10_000),
      cacheTtlMs: parseWith(env, 'MLSIGHT_MLFLOW_CACHE_TTL_MS', intIn(0, 86_400_000), 15_000),
      staleTtlMs: parseWith(env, 'MLSIGHT_MLFLOW_STALE_TTL_MS', intIn(0, 604_800_000), 3_600_000),
      pageSize: parseWith(env, 'MLSIGHT_MLFLOW_PAGE_SIZE', intIn(1, 50_000), 1000),
    },
    store,
    maxBodyBytes: parseWith(env, 'MLSIGHT_MAX_BODY_BYTES', intIn(1024, 1_073_741_824), 16 * 1024 * 1024),
    limits: {
      maxFeatures: parseWith(env, 'MLSIGHT_MAX_FEATURES', intIn(1, 100_000), LIMIT_DEFAULTS.maxFeatures),
      maxStringLength: parseWith(
        env,
        'MLSIGHT_MAX_STRING_LENGTH',
        intIn(16, 1_048_576),
        LIMIT_DEFAULTS.maxStringLength
      ),
      maxBatchRows: parseWith(env, 'MLSIGHT_MAX_BATCH_ROWS', intIn(1, 10_000_000), LIMIT_DEFAULTS.maxBatchRows),
      maxQueryCells: parseWith(env, 'MLSIGHT_MAX_QUERY_CELLS', intIn(100, 100_000_000), LIMIT_DEFAULTS.maxQueryCells),
    },
    metricsPublic:
      parseWith(
        env,
        'MLSIGHT_METRICS_PUBLIC',
        z.enum(['true', 'false'], { message: 'must be true or false' }),
        'false'
      ) === 'true',
    kpi: {
      metrics: csv(parseWith(env, 'MLSIGHT_KPI_METRICS', z.string(), 'accuracy,roc_auc,f1,precision,recall')),
      topN: parseWith(env, 'MLSIGHT_KPI_TOP_N', intIn(1, 50), 5),
      alias: parseWith(env, 'MLSIGHT_KPI_ALIAS', z.string().min(1), 'champion'),
    },
    monitor: {
      // Below 100 ms a run would barely end before the next; tests use a second or less.
      intervalMs: parseWith(env, 'MLSIGHT_MONITOR_INTERVAL', durationMs(100, 86_400_000, { allowZero: true }), 60_000),
      windowMs: parseWith(env, 'MLSIGHT_MONITOR_WINDOW', durationMs(60_000, 30 * 86_400_000), 3_600_000),
    },
    answerMaxAgeMs: parseWith(env, 'MLSIGHT_ANSWER_MAX_AGE', durationMs(100, 600_000, { allowZero: true }), 0),
    queryWorkers: parseWith(env, 'MLSIGHT_QUERY_WORKERS', intIn(0, 64), 1),
    retrainWebhookUrl:
      read(env, 'MLSIGHT_RETRAIN_WEBHOOK_URL') === undefined
        ? null
        : parseWith(env, 'MLSIGHT_RETRAIN_WEBHOOK_URL', httpUrl, ''),
    grafanaUrl:
      read(env, 'MLSIGHT_GRAFANA_URL') === undefined ? null : parseWith(env, 'MLSIGHT_GRAFANA_URL', httpUrl, ''),
  };
}
