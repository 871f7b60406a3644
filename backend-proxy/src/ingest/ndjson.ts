import { InvalidRow } from '../store/validate';

/**
 * Parses an NDJSON body (one JSON value per line; blank lines skipped) into rows. A line that is not valid JSON
 * becomes an `InvalidRow`, so the batch reports it by index like any other bad row instead of failing whole.
 * `parseLine` is the JSON parser to use (Fastify's, which refuses `__proto__` keys).
 */
export function parseNdjson(body: string, parseLine: (line: string) => unknown = JSON.parse): unknown[] {
  const rows: unknown[] = [];
  let lineNumber = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    lineNumber++;
    const line = body.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    try {
      rows.push(parseLine(line));
    } catch (err) {
      rows.push(new InvalidRow(`line ${lineNumber}: invalid JSON (${(err as Error).message})`));
    }
  }
  return rows;
}
