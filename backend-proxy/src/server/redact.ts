import { stdSerializers } from 'pino';

/**
 * Removes credentials from URLs before they reach a log: the user info of absolute URLs
 * (`http://user:secret@mlflow`) and the values of query parameters whose name says they carry a secret
 * (`?token=…`, `?api_key=…`). A client that puts its bearer token in the query string is refused, but the request
 * line is still logged — without this the token would be in the log.
 */

export const REDACTED = '[redacted]';

/** Query parameter names that carry secrets (OAuth's access_token, presigned URLs' signature, …). */
const SECRET_PARAM = /token|secret|passw|pwd|api[-_]?key|apikey|auth|credential|session|signature|^sig$|^key$/i;

/** `scheme://user:pass@` → `scheme://[redacted]@`, anywhere in a text. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi;

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return eq >= 0 && SECRET_PARAM.test(name) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
}

/**
 * A URL (absolute, or a request target such as `/api/v1/query?token=x`) with its credentials replaced by
 * `[redacted]`; everything else, including the path and harmless query parameters, is kept for debugging.
 */
export function redactUrl(url: string): string {
  const withoutUserInfo = redactUserInfo(url);
  const q = withoutUserInfo.indexOf('?');
  if (q < 0) return withoutUserInfo;
  const hash = withoutUserInfo.indexOf('#', q);
  const end = hash < 0 ? withoutUserInfo.length : hash;
  return withoutUserInfo.slice(0, q + 1) + redactQuery(withoutUserInfo.slice(q + 1, end)) + withoutUserInfo.slice(end);
}

/** A free text (an error message, a stack) with the user info of every URL in it redacted. */
export function redactUserInfo(text: string): string {
  return text.replace(USER_INFO, `$1${REDACTED}@`);
}

type SerializedError = ReturnType<typeof stdSerializers.err>;

/**
 * The `err` of a log line with the user info of URLs redacted. `err` is an Error in most lines but a message text in
 * some (`{ err: err.message }`); Fastify's type says Error only, so texts pass as the (redacted) message of a text.
 */
export function redactErr(err: Error): SerializedError {
  const value: unknown = err;
  if (typeof value === 'string') return redactUserInfo(value) as unknown as SerializedError;
  if (!(value instanceof Error)) return value as SerializedError;
  const out = stdSerializers.err(value);
  return {
    ...out,
    message: redactUserInfo(String(out.message)),
    ...(typeof out.stack === 'string' ? { stack: redactUserInfo(out.stack) } : {}),
  };
}
