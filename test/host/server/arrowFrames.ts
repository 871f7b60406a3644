/**
 * A backend's data frames as Grafana's server hands them to the browser: the plugin answers QueryData with Arrow
 * IPC (grafana-plugin-sdk-go data/arrow.go: frame name, refId and meta in the schema metadata; each field's name,
 * labels, config and TypeScript type `tstype` in its metadata), and `/api/ds/query` answers with the SDK's
 * DataFrameJSON (schema with `typeInfo`, `data.values`, NaN/±Inf as `entities`).
 */
import { DataType, RecordBatchReader, type Field as ArrowField } from 'apache-arrow';

export interface FrameFieldJSON {
  name: string;
  type: string;
  typeInfo: { frame: string; nullable?: boolean };
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}

export interface FrameJSON {
  schema: { name?: string; refId?: string; meta?: unknown; fields: FrameFieldJSON[] };
  data: { values: unknown[][]; entities?: Array<Record<string, number[]> | null> };
}

function parseJSON(text: string | undefined): unknown {
  return text === undefined || text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** The SDK's Go storage type names (data.FieldType.ItemTypeString) for the Arrow types it writes. */
function goTypeOf(field: ArrowField): string {
  const type = field.type;
  if (DataType.isTimestamp(type)) return 'time.Time';
  if (DataType.isFloat(type)) return type.precision === 2 ? 'float64' : 'float32';
  if (DataType.isInt(type)) return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isUtf8(type)) return 'string';
  if (DataType.isBinary(type)) return 'json.RawMessage';
  throw new Error(`field "${field.name}" has Arrow type ${String(type)}, which the SDK does not write`);
}

const decoder = new TextDecoder();

/** One column's values as JSON: times as epoch ms, 64-bit integers as numbers, JSON fields parsed. */
function columnValues(
  goType: string,
  raw: unknown[]
): { values: unknown[]; entities: Record<string, number[]> | null } {
  const entities: Record<string, number[]> = {};
  const note = (kind: string, i: number) => (entities[kind] ??= []).push(i);
  const values = raw.map((v, i) => {
    if (v === null || v === undefined) return null;
    if (goType === 'time.Time') return typeof v === 'bigint' ? Number(v / 1_000_000n) : v;
    if (typeof v === 'bigint') return Number(v);
    if (goType === 'json.RawMessage' && v instanceof Uint8Array) return JSON.parse(decoder.decode(v)) as unknown;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      note(Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : 'NegInf', i);
      return null;
    }
    return v;
  });
  return { values, entities: Object.keys(entities).length > 0 ? entities : null };
}

/** Decodes one Arrow-encoded frame of a QueryData answer into Grafana's DataFrameJSON. */
export function arrowFrameToJSON(bytes: Uint8Array): FrameJSON {
  // The reader's own schema and batches, not tableFromIPC: a Table merges its batches' schemas by field name, and
  // the SDK's frames repeat names (a heatmap has one `score` field per feature), so every `score` would get the
  // labels and config of the last one.
  const reader = RecordBatchReader.from(bytes);
  reader.open();
  const schema = reader.schema;
  const batches = [...reader];
  const metadata = schema.metadata;
  const fields: FrameFieldJSON[] = [];
  const values: unknown[][] = [];
  const entities: Array<Record<string, number[]> | null> = [];
  schema.fields.forEach((field, index) => {
    const goType = goTypeOf(field);
    const labels = parseJSON(field.metadata.get('labels')) as Record<string, string> | undefined;
    const config = parseJSON(field.metadata.get('config')) as Record<string, unknown> | undefined;
    fields.push({
      name: field.metadata.get('name') ?? field.name,
      type: field.metadata.get('tstype') ?? 'other',
      typeInfo: { frame: goType, ...(field.nullable ? { nullable: true } : {}) },
      ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
      ...(config && Object.keys(config).length > 0 ? { config } : {}),
    });
    const raw: unknown[] = [];
    for (const batch of batches) {
      const column = batch.getChildAt(index);
      if (column) for (let i = 0; i < column.length; i++) raw.push(column.get(i));
    }
    const decoded = columnValues(goType, raw);
    values.push(decoded.values);
    entities.push(decoded.entities);
  });
  const name = metadata.get('name');
  const refId = metadata.get('refId');
  const meta = parseJSON(metadata.get('meta'));
  return {
    schema: {
      ...(name ? { name } : {}),
      ...(refId ? { refId } : {}),
      ...(meta !== undefined ? { meta } : {}),
      fields,
    },
    data: { values, ...(entities.some((e) => e !== null) ? { entities } : {}) },
  };
}
