import { dataFrameFromJSON, type DataFrame, type DataFrameJSON as GrafanaFrameJSON } from '@grafana/data';
import type { DataFrameJSON } from '@mlsight/contract';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The structural check the data source applies to the proxy's JSON before decoding it. */
function isGrafanaFrameJSON(value: unknown): value is GrafanaFrameJSON {
  return (
    isRecord(value) &&
    isRecord(value.schema) &&
    Array.isArray(value.schema.fields) &&
    value.schema.fields.every((f) => isRecord(f) && typeof f.name === 'string')
  );
}

/**
 * A contract frame (as the proxy sends it) decoded the way the data source decodes it: the contract declares the
 * wire format structurally (string unions where Grafana has enums), so it passes through the same guard.
 * @throws Error when the frame is not a frame
 */
export function fromContract(frame: DataFrameJSON): DataFrame {
  const wire: unknown = frame;
  if (!isGrafanaFrameJSON(wire)) throw new Error('fromContract: not a data frame');
  return dataFrameFromJSON(wire);
}
