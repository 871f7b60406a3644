import type { DataFrameJSON, QueryResponse } from '@mlsight/contract';

/**
 * JSON text of the parts of a frame that a shared answer repeats: its `data` and its `schema.fields`. Answers from
 * the answer cache or shared between requests are the same objects each time (frames are immutable once answered;
 * `withRefId` and the stale notice copy the schema and keep these two by reference), so a cached 50 × 720 heatmap
 * is stringified once instead of on every refresh of every viewer — the bulk of a cached query's cost.
 */
const partJson = new WeakMap<object, string>();

function memoJson(part: object): string {
  let json = partJson.get(part);
  if (json === undefined) {
    json = JSON.stringify(part);
    partJson.set(part, json);
  }
  return json;
}

/** One frame as JSON, equal (as parsed) to `JSON.stringify(frame)`. */
export function frameJson(frame: DataFrameJSON): string {
  const { schema, data, ...other } = frame;
  // Anything but schema + data is not a DataFrameJSON this proxy builds; keep it exact rather than fast.
  if (Object.keys(other).length > 0) return JSON.stringify(frame);
  const { fields, ...head } = schema;
  const headJson = JSON.stringify(head);
  const fieldsJson = `"fields":${memoJson(fields)}`;
  const schemaJson = headJson === '{}' ? `{${fieldsJson}}` : `${headJson.slice(0, -1)},${fieldsJson}}`;
  return `{"schema":${schemaJson},"data":${memoJson(data)}}`;
}

/** The body of `POST /api/v1/query`, equal (as parsed) to `JSON.stringify(response)`. */
export function queryResponseJson(response: QueryResponse): string {
  const parts: string[] = [];
  for (const [refId, result] of Object.entries(response.results)) {
    const { frames, ...rest } = result;
    const restJson = JSON.stringify(rest);
    const framesJson = `"frames":[${frames.map(frameJson).join(',')}]`;
    parts.push(`${JSON.stringify(refId)}:{${framesJson}${restJson === '{}' ? '' : `,${restJson.slice(1, -1)}`}}`);
  }
  return `{"results":{${parts.join(',')}}}`;
}
