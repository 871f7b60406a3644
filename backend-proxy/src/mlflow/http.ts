import type { CircuitBreaker } from './circuitBreaker';
import { isOutage, MlflowError, mlflowErrors, parseErrorBody } from './errors';

/** How the proxy authenticates to MLflow: nothing, `mlflow server --app-name basic-auth`, or a bearer token. */
export type MlflowAuth =
  { type: 'none' } | { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };

/** The part of a pino logger the client uses. */
export interface MlflowLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface MlflowRequest {
  method: 'GET' | 'POST';
  /** Path below the base URL, e.g. `/api/2.0/mlflow/runs/search`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body (POST only). */
  body?: unknown;
  /** Overrides the configured retry count (a health probe wants 0). */
  retries?: number;
}

export interface MlflowHttpOptions {
  baseUrl: string;
  auth: MlflowAuth;
  /** Budget for one attempt, from sending the request to the last byte of the answer. */
  timeoutMs: number;
  /** Extra attempts after the first on 429, 5xx and network errors. */
  retries: number;
  /** First backoff; doubles per retry, with jitter. */
  backoffMs: number;
  /** Longest wait between attempts, also the most of a `Retry-After` that is honoured. Default 10 s. */
  maxDelayMs?: number;
  /** Answers larger than this are refused rather than buffered. Default 256 MiB. */
  maxResponseBytes?: number;
  breaker: CircuitBreaker;
  fetch?: typeof fetch;
  logger?: MlflowLogger;
  /** Jitter source in [0, 1); injectable for tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

const USER_AGENT = 'mlsight-proxy';
const DEFAULT_MAX_DELAY_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The `Authorization` header for an auth setting, or undefined for none. */
export function authorizationHeader(auth: MlflowAuth): string | undefined {
  switch (auth.type) {
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
    case 'none':
      return undefined;
  }
}

/**
 * fetch refuses URLs with user info, so `http://user:pw@host` becomes the bare URL plus basic auth
 * (unless auth is configured explicitly, which wins).
 */
export function splitCredentials(baseUrl: string, auth: MlflowAuth): { base: string; auth: MlflowAuth } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { base: baseUrl.replace(/\/+$/, ''), auth };
  }
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  if (auth.type === 'none' && username !== '') return { base, auth: { type: 'basic', username, password } };
  return { base, auth };
}

/**
 * Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP date, RFC 9110 §10.2.3),
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter": half of `backoffMs · 2^attempt` fixed, half random, capped at
 * `maxMs` (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015).
 */
export function backoffDelay(attempt: number, backoffMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, backoffMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function isRetryable(err: MlflowError): boolean {
  // A timeout is not retried: the per-attempt budget is what a dashboard waits, retrying would multiply it.
  if (err.kind === 'unreachable') return true;
  return isOutage(err) && err.kind === 'http';
}

/**
 * Does one logical request to MLflow: builds the URL, adds auth and `User-Agent` (never `Origin`, never a
 * header of the incoming request), enforces the timeout, retries transient failures with backoff, and
 * reports every attempt to the circuit breaker.
 */
export class MlflowHttp {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly authorization: string | undefined;
  private readonly base: string;

  constructor(private readonly options: MlflowHttpOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    const { base, auth } = splitCredentials(options.baseUrl, options.auth);
    this.authorization = authorizationHeader(auth);
    this.base = base;
  }

  /**
   * Sends the request and parses a JSON object answer.
   * @throws MlflowError of every kind; `bad_response` when the answer is not a JSON object
   */
  async json(request: MlflowRequest): Promise<Record<string, unknown>> {
    const raw = await this.send(request, 'application/json');
    const text = raw.body.toString('utf8');
    const endpoint = describe(request);
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      const type = raw.headers.get('content-type') ?? 'no content type';
      throw mlflowErrors.badResponse(
        this.base,
        endpoint,
        `expected JSON, got ${type} starting ${JSON.stringify(text.slice(0, 60))} (is another proxy or a login page in front of MLflow?)`,
        err
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw mlflowErrors.badResponse(this.base, endpoint, 'expected a JSON object');
    }
    return parsed as Record<string, unknown>;
  }

  /** Sends the request and returns the raw answer bytes (artifacts). */
  async bytes(request: MlflowRequest): Promise<Buffer> {
    return (await this.send(request, '*/*')).body;
  }

  /** Sends the request and returns the answer as text (the health probe). */
  async text(request: MlflowRequest): Promise<string> {
    return (await this.send(request, 'text/plain, */*')).body.toString('utf8');
  }

  private async send(request: MlflowRequest, accept: string): Promise<RawResponse> {
    const { breaker, logger } = this.options;
    const baseUrl = this.base;
    const retries = request.retries ?? this.options.retries;
    const endpoint = describe(request);
    let lastError: MlflowError | undefined;
    for (let attempt = 0; ; attempt++) {
      if (!breaker.tryAcquire()) throw lastError ?? mlflowErrors.circuitOpen(baseUrl, breaker.retryInMs());
      const started = performance.now();
      let error: MlflowError;
      let retryAfterMs: number | undefined;
      try {
        const raw = await this.once(request, accept);
        logger?.debug(
          { endpoint, status: raw.status, ms: Math.round(performance.now() - started), attempt },
          'MLflow request'
        );
        if (raw.status >= 200 && raw.status < 300) {
          breaker.recordSuccess();
          return raw;
        }
        error = mlflowErrors.http(baseUrl, endpoint, raw.status, parseErrorBody(raw.body.toString('utf8')));
        retryAfterMs = parseRetryAfter(raw.headers.get('retry-after'));
      } catch (err) {
        error = err instanceof MlflowError ? err : mlflowErrors.unreachable(baseUrl, err);
      }
      if (isOutage(error)) breaker.recordFailure();
      else breaker.recordSuccess();
      lastError = error;
      if (attempt >= retries || !isRetryable(error)) throw error;
      const maxDelay = this.options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
      if (retryAfterMs !== undefined && retryAfterMs > maxDelay) throw error;
      const delay = Math.max(retryAfterMs ?? 0, backoffDelay(attempt, this.options.backoffMs, maxDelay, this.random));
      logger?.warn({ endpoint, attempt, delayMs: delay, err: error.message }, 'MLflow call failed; retrying');
      await this.sleep(delay);
    }
  }

  /** One attempt: fetch and read the whole body inside the timeout. */
  private async once(request: MlflowRequest, accept: string): Promise<RawResponse> {
    const { timeoutMs } = this.options;
    const baseUrl = this.base;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: accept };
    if (this.authorization) headers.Authorization = this.authorization;
    let body: string | undefined;
    if (request.method === 'POST') {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.body ?? {});
    }
    try {
      const response = await this.fetchImpl(this.url(request), {
        method: request.method,
        headers,
        body,
        signal: controller.signal,
        redirect: 'follow',
      });
      const bytes = await readLimited(response, this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      if (bytes === undefined) {
        throw mlflowErrors.badResponse(baseUrl, describe(request), 'the answer is larger than the proxy accepts');
      }
      return { status: response.status, headers: response.headers, body: bytes };
    } catch (err) {
      if (err instanceof MlflowError) throw err;
      if (controller.signal.aborted) throw mlflowErrors.timeout(baseUrl, describe(request), timeoutMs);
      throw mlflowErrors.unreachable(baseUrl, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private url(request: MlflowRequest): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) params.append(key, item);
      else params.append(key, String(value));
    }
    const query = params.toString();
    return `${this.base}${request.path}${query ? `?${query}` : ''}`;
  }
}

function describe(request: MlflowRequest): string {
  return `${request.method} ${request.path}`;
}

/** The whole body, or undefined once it exceeds `limit` bytes (the stream is cancelled then). */
async function readLimited(response: Response, limit: number): Promise<Buffer | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
