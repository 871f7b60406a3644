import type { DataFrameJSON, FieldConfig, FieldSchema, FieldType, FrameMeta, QueryResultMetaNotice } from './frames';

export interface FieldInput {
  name: string;
  type: FieldType;
  values: readonly unknown[];
  config?: FieldConfig;
  labels?: Record<string, string>;
}

export interface FrameInput {
  name?: string;
  refId?: string;
  meta?: FrameMeta;
  fields: readonly FieldInput[];
}

/** Thrown when a frame would be malformed (columns of different lengths, duplicate field names). */
export class FrameShapeError extends Error {
  constructor(message: string) {
    super(`buildFrame: ${message}`);
    this.name = 'FrameShapeError';
  }
}

/**
 * Builds a column-oriented Grafana frame. Every field must have the same number of values, and
 * field names are unique unless told apart by labels (Grafana's wide time series use the same
 * name with different labels).
 */
export function buildFrame(input: FrameInput): DataFrameJSON {
  const first = input.fields[0];
  const length = first ? first.values.length : 0;
  const seen = new Set<string>();
  for (const field of input.fields) {
    if (field.values.length !== length) {
      throw new FrameShapeError(
        `field "${field.name}" has ${field.values.length} values but "${first?.name}" has ${length}`
      );
    }
    const key = `${field.name}${JSON.stringify(field.labels ?? {})}`;
    if (seen.has(key)) throw new FrameShapeError(`duplicate field "${field.name}"`);
    seen.add(key);
  }
  const fields: FieldSchema[] = input.fields.map((f) => {
    const schema: FieldSchema = { name: f.name, type: f.type };
    if (f.config && Object.keys(f.config).length > 0) schema.config = f.config;
    if (f.labels && Object.keys(f.labels).length > 0) schema.labels = f.labels;
    return schema;
  });
  const frame: DataFrameJSON = {
    schema: { fields },
    data: { values: input.fields.map((f) => [...f.values]) },
  };
  if (input.name !== undefined) frame.schema.name = input.name;
  if (input.refId !== undefined) frame.schema.refId = input.refId;
  if (input.meta !== undefined) frame.schema.meta = input.meta;
  return frame;
}

/** Returns a copy of the frame with one more notice (shown by Grafana in the panel header). */
export function withNotice(frame: DataFrameJSON, notice: QueryResultMetaNotice): DataFrameJSON {
  const meta: FrameMeta = { ...frame.schema.meta, notices: [...(frame.schema.meta?.notices ?? []), notice] };
  return { ...frame, schema: { ...frame.schema, meta } };
}

/** Returns a copy of the frame tagged with the query's refId. */
export function withRefId(frame: DataFrameJSON, refId: string): DataFrameJSON {
  return { ...frame, schema: { ...frame.schema, refId } };
}

export function frameLength(frame: DataFrameJSON): number {
  return frame.data.values[0]?.length ?? 0;
}

/** Reads a frame back as row objects keyed by field name (for tests, tables and small consumers). */
export function frameRows(frame: DataFrameJSON): Array<Record<string, unknown>> {
  const n = frameLength(frame);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    frame.schema.fields.forEach((field, j) => {
      row[field.name] = frame.data.values[j]?.[i];
    });
    rows.push(row);
  }
  return rows;
}

/** The values of one field, by name; undefined if the frame has no such field. */
export function fieldValues(frame: DataFrameJSON, name: string): unknown[] | undefined {
  const index = frame.schema.fields.findIndex((f) => f.name === name);
  return index < 0 ? undefined : frame.data.values[index];
}
