import { mlflowErrors } from './errors';

/** One page of a paginated MLflow answer. */
export interface Page<T> {
  items: T[];
  /** MLflow sends `next_page_token` only when another page exists. */
  nextPageToken?: string;
}

export interface CollectOptions {
  /** Largest page to ask for (MLflow's own cap for the endpoint, or the configured page size). */
  pageSize: number;
  /** Stop after this many items; undefined reads to the end. */
  limit?: number;
  baseUrl: string;
  endpoint: string;
}

/**
 * Reads pages until MLflow sends no `next_page_token` or `limit` items are in, asking each time for
 * `min(pageSize, remaining)`. A token MLflow already sent is an endless loop (seen in older servers'
 * metric history), so it ends the read with a `bad_response` error instead of hanging.
 */
export async function collectPages<T>(
  fetchPage: (pageToken: string | undefined, maxResults: number) => Promise<Page<T>>,
  options: CollectOptions
): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const remaining = options.limit === undefined ? Infinity : options.limit - out.length;
    if (remaining <= 0) break;
    const page = await fetchPage(token, Math.min(options.pageSize, remaining));
    out.push(...(remaining < page.items.length ? page.items.slice(0, remaining) : page.items));
    token = page.nextPageToken || undefined;
    if (token === undefined) break;
    if (seen.has(token)) {
      throw mlflowErrors.badResponse(
        options.baseUrl,
        options.endpoint,
        'it repeated a page token (endless pagination)'
      );
    }
    seen.add(token);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The array under `key` in an MLflow answer, [] when MLflow omitted it (it omits empty lists), keeping only
 * object items.
 * @throws MlflowError `bad_response` when the field is present but not an array
 */
export function arrayField<T extends object>(
  body: Record<string, unknown>,
  key: string,
  where: { baseUrl: string; endpoint: string }
): T[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw mlflowErrors.badResponse(where.baseUrl, where.endpoint, `"${key}" is not a list`);
  }
  // MLflow's protobuf JSON gives objects here; their fields are all optional in our types, so an object is enough.
  return value.filter(isRecord) as T[];
}

/**
 * The object under `key` in an MLflow answer.
 * @throws MlflowError `bad_response` when it is missing or not an object
 */
export function objectField<T extends object>(
  body: Record<string, unknown>,
  key: string,
  where: { baseUrl: string; endpoint: string }
): T {
  const value = body[key];
  if (!isRecord(value)) {
    throw mlflowErrors.badResponse(where.baseUrl, where.endpoint, `"${key}" is missing or not an object`);
  }
  return value as T;
}

/** `next_page_token` when it is a non-empty string. */
export function pageToken(body: Record<string, unknown>): string | undefined {
  const token = body.next_page_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
