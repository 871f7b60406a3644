import type { DataFrameJSON, QueryResponse } from '@mlsight/contract';

/**
 * UTF-8 JSON of the parts of a frame that a shared answer repeats: its `data` and its `schema.fields`. Answers from
 * the answer cache or shared between requests are the same objects each time (frames are immutable once answered;
 * `withRefId` and the stale notice copy the schema and keep these two by reference), so a cached 50 × 720 heatmap
 * is stringified once instead of on every refresh of every viewer — the bulk of a cached query's cost.
 *
 * Kept as bytes, not text: writing a string to the socket encodes it to UTF-8 on every request; a body built from
 * byte chunks is copied once and handed to the socket as is. Measured in the cached storm of loadBench
 * (2026-12-04, quiet machine, 30 s, same build otherwise): text 1,783–1,871 req/s, bytes 1,913–1,942 req/s — at the
 * price of more garbage (the per-request `Buffer.concat`: GC ~1.5 s → ~4.5 s of the main thread).
 */
const partBytes = new WeakMap<object, Buffer>();

function memoBytes(part: object): Buffer {
  let bytes = partBytes.get(part);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(part), 'utf8');
    partBytes.set(part, bytes);
  }
  return bytes;
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Appends one frame's JSON (equal, as parsed, to `JSON.stringify(frame)`) to `out` as chunks. */
function frameChunks(frame: DataFrameJSON, out: Buffer[]): void {
  const { schema, data, ...other } = frame;
  // Anything but schema + data is not a DataFrameJSON this proxy builds; keep it exact rather than fast.
  if (Object.keys(other).length > 0) {
    out.push(text(JSON.stringify(frame)));
    return;
  }
  const { fields, ...head } = schema;
  const headJson = JSON.stringify(head);
  out.push(text(headJson === '{}' ? '{"schema":{"fields":' : `{"schema":${headJson.slice(0, -1)},"fields":`));
  out.push(memoBytes(fields), text('},"data":'), memoBytes(data), text('}'));
}

/** One frame as JSON text, equal (as parsed) to `JSON.stringify(frame)`. */
export function frameJson(frame: DataFrameJSON): string {
  const out: Buffer[] = [];
  frameChunks(frame, out);
  return Buffer.concat(out).toString('utf8');
}

/** The body of `POST /api/v1/query` as UTF-8 bytes, equal (as parsed) to `JSON.stringify(response)`. */
export function queryResponseBody(response: QueryResponse): Buffer {
  const out: Buffer[] = [text('{"results":{')];
  Object.entries(response.results).forEach(([refId, result], i) => {
    const { frames, ...rest } = result;
    out.push(text(`${i > 0 ? ',' : ''}${JSON.stringify(refId)}:{"frames":[`));
    frames.forEach((frame, j) => {
      if (j > 0) out.push(text(','));
      frameChunks(frame, out);
    });
    const restJson = JSON.stringify(rest);
    out.push(text(restJson === '{}' ? ']}' : `],${restJson.slice(1)}`));
  });
  out.push(text('}}'));
  return Buffer.concat(out);
}
