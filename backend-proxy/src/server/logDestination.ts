import pino from 'pino';

/** Bytes gathered before a write: about fifteen request lines. */
const LOG_BUFFER_BYTES = 4096;
/** A quiet proxy's lines still reach the log within this long. */
const LOG_FLUSH_EVERY_MS = 1000;

/**
 * The proxy's log destination: stdout, written in batches instead of one synchronous `write` per line. At a cached
 * dashboard's rate the per-line write was the largest cost left on the main thread (`writeString`, ~25 % of its
 * busy time in a 20 s refresh storm, 2026-12-04). Lines wait at most {@link LOG_FLUSH_EVERY_MS}; everything
 * buffered is written on a clean exit. A kill -9 may lose the last second of log lines — never data: every
 * acknowledged write is committed before its answer.
 */
export function bufferedStdout(): { stream: pino.DestinationStream; flushSync: () => void } {
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  const timer = setInterval(() => stream.flush(), LOG_FLUSH_EVERY_MS);
  timer.unref();
  const flushSync = () => {
    try {
      stream.flushSync();
    } catch {
      // Nothing more can be said about a log that cannot be written (stdout closed).
    }
  };
  process.on('exit', flushSync);
  return { stream, flushSync };
}
