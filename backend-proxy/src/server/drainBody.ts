import type { IncomingMessage } from 'node:http';

/** Most of a refused body the proxy reads and discards before answering; past it the client's pipe breaks. */
export const DRAIN_CAP_BYTES = 256 * 1024 * 1024;
/** Longest wait for the rest of a refused body (a slow client must not hold the connection). */
export const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Reads and discards what is left of a request body the proxy refuses (413), up to a bound, before the answer goes
 * out. Fastify closes the connection after such an answer; closing while the client is still writing makes the
 * kernel reset it, and a client that writes its whole body before reading (curl, most HTTP libraries) then sees a
 * broken pipe instead of the 413 that says what the limit is.
 */
export function drainRequestBody(
  raw: IncomingMessage,
  capBytes = DRAIN_CAP_BYTES,
  timeoutMs = DRAIN_TIMEOUT_MS
): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const finish = () => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', finish);
      raw.off('close', finish);
      raw.off('error', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > capBytes) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    timer.unref();
    raw.on('data', onData);
    raw.on('end', finish);
    raw.on('close', finish);
    raw.on('error', finish);
    raw.resume();
  });
}
