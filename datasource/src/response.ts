import { dataFrameFromJSON, type DataFrame, type DataFrameJSON, type DataQueryError } from '@grafana/data';

export interface DecodedResponse {
  data: DataFrame[];
  errors: DataQueryError[];
}

interface ResultJSON {
  frames: DataFrameJSON[];
  error?: string;
  status?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The frame shape `dataFrameFromJSON` needs: a schema with named fields, and (optionally) column values. */
export function isFrameJSON(value: unknown): value is DataFrameJSON {
  if (!isRecord(value) || !isRecord(value.schema) || !Array.isArray(value.schema.fields)) return false;
  if (!value.schema.fields.every((f) => isRecord(f) && typeof f.name === 'string')) return false;
  if (value.data === undefined) return true;
  return isRecord(value.data) && Array.isArray(value.data.values) && value.data.values.every(Array.isArray);
}

function readResult(value: unknown): ResultJSON | string {
  if (!isRecord(value)) return 'result is not an object';
  const frames = value.frames ?? [];
  if (!Array.isArray(frames)) return '"frames" is not a list';
  const bad = frames.findIndex((f) => !isFrameJSON(f));
  if (bad >= 0) return `frames[${bad}] is not a Grafana data frame`;
  return {
    frames: frames.filter(isFrameJSON),
    ...(typeof value.error === 'string' ? { error: value.error } : {}),
    ...(typeof value.status === 'number' ? { status: value.status } : {}),
  };
}

/**
 * Turns the proxy's `{ results: { [refId]: { frames, error?, status? } } }` back into Grafana frames, in the order
 * the queries were sent. A query's own error is reported with its refId (the other queries still show data);
 * a malformed answer becomes an error instead of a crash.
 */
export function decodeQueryResponse(body: unknown, refIds: readonly string[]): DecodedResponse {
  const out: DecodedResponse = { data: [], errors: [] };
  const results = isRecord(body) && isRecord(body.results) ? body.results : undefined;
  for (const refId of refIds) {
    if (!results) {
      out.errors.push({ refId, message: 'The MLSight proxy answered without "results"; is the proxy URL right?' });
      continue;
    }
    const result = readResult(results[refId]);
    if (typeof result === 'string') {
      const message =
        results[refId] === undefined
          ? 'The MLSight proxy returned no result for this query'
          : `The MLSight proxy returned a malformed result: ${result}`;
      out.errors.push({ refId, message });
      continue;
    }
    for (const json of result.frames) {
      const frame = dataFrameFromJSON(json);
      out.data.push({ ...frame, refId });
    }
    if (result.error !== undefined) {
      out.errors.push({
        refId,
        message: result.error,
        ...(result.status !== undefined ? { status: result.status } : {}),
      });
    }
  }
  return out;
}
