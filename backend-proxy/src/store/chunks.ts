import {
  type ColumnReader,
  DictColumnBuilder,
  type EncodedColumn,
  isColumnEncoding,
  NumberColumnBuilder,
  readColumn,
} from './columns';
import { type FrozenColumn, MISSING } from './profile';
import type { SqlExecutor } from './sql';
import type { PredictionRecord, StoredValue } from './types';

/*
 * Raw rows are stored in chunks: a `chunks` row (model, version, reference, time range, row count) and one
 * `chunk_columns` row per column: `meta/id` (JSON), `meta/ts` (float64), `feature/<name>` (float64 or
 * dictionary), `extra` (JSON of features the reference does not profile), `prediction/prediction`,
 * `score/score`, `segment/<field>` (dictionary) and `attribution/<feature>` (float64).
 */

export interface ChunkColumn extends EncodedColumn {
  role: string;
  name: string;
}

/** Column keys inside a chunk: `role` + NUL + `name`. */
export function columnKey(role: string, name: string): string {
  return `${role}\u0000${name}`;
}

/** A column of normalised values of a known kind. */
export function buildValueColumn<T>(
  column: FrozenColumn,
  rows: readonly T[],
  valueOf: (row: T) => number | string | typeof MISSING
): ChunkColumn {
  if (column.kind === 'numeric') {
    const builder = new NumberColumnBuilder(rows.length);
    rows.forEach((r, i) => {
      const v = valueOf(r);
      if (typeof v === 'number') builder.set(i, v);
    });
    return { role: column.role, name: column.name, ...builder.build() };
  }
  const builder = new DictColumnBuilder(rows.length);
  rows.forEach((r, i) => {
    const v = valueOf(r);
    if (v !== MISSING) builder.set(i, String(v));
  });
  return { role: column.role, name: column.name, ...builder.build() };
}

/** A stored chunk with the columns that were asked for. */
export interface LoadedChunk {
  id: number;
  version: string;
  referenceId: number;
  rowCount: number;
  columns: Map<string, ColumnReader>;
}

interface ChunkRow {
  id: number;
  version: string;
  reference_id: number;
  row_count: number;
}

interface ColumnRow {
  chunk_id: number;
  role: string;
  name: string;
  encoding: string;
  data: Uint8Array;
}

/**
 * Loads chunks and some of their columns (`wanted` role/name pairs; a name of `*` takes every column of the role;
 * undefined takes all columns).
 */
export async function loadChunks(
  tx: SqlExecutor,
  chunkIds: readonly number[],
  wanted?: ReadonlyArray<{ role: string; name: string }>
): Promise<Map<number, LoadedChunk>> {
  const out = new Map<number, LoadedChunk>();
  if (chunkIds.length === 0) return out;
  const ids = tx.inList('id', chunkIds, 'bigint');
  const metas = await tx.all<ChunkRow>(`SELECT id, version, reference_id, row_count FROM chunks WHERE ${ids.sql}`, [
    ids.param,
  ]);
  for (const m of metas) {
    out.set(Number(m.id), {
      id: Number(m.id),
      version: m.version,
      referenceId: Number(m.reference_id),
      rowCount: Number(m.row_count),
      columns: new Map(),
    });
  }
  const list = tx.inList('chunk_id', chunkIds, 'bigint');
  const params: Array<string | readonly number[] | readonly string[] | number | null | Buffer> = [list.param];
  let filter = '';
  if (wanted) {
    const clauses = wanted.map((w) => {
      params.push(w.role);
      if (w.name === '*') return '(role = ?)';
      params.push(w.name);
      return '(role = ? AND name = ?)';
    });
    filter = clauses.length > 0 ? ` AND (${clauses.join(' OR ')})` : ' AND 1 = 0';
  }
  const columns = await tx.all<ColumnRow>(
    `SELECT chunk_id, role, name, encoding, data FROM chunk_columns WHERE ${list.sql}${filter}`,
    params
  );
  for (const c of columns) {
    const chunk = out.get(Number(c.chunk_id));
    if (!chunk || !isColumnEncoding(c.encoding)) continue;
    chunk.columns.set(columnKey(c.role, c.name), readColumn(c.encoding, c.data));
  }
  return out;
}

/** The stored id of a chunk row, or undefined when the chunk is gone. */
export function chunkRowId(chunk: LoadedChunk | undefined, offset: number): string | undefined {
  const v = chunk?.columns.get(columnKey('meta', 'id'))?.get(offset);
  return typeof v === 'string' ? v : undefined;
}

function asStored(value: unknown): StoredValue {
  return value === undefined ? null : typeof value === 'object' ? null : (value as StoredValue);
}

type ChunkReader = LoadedChunk['columns'] extends Map<string, infer R> ? R : never;

/** Each chunk's columns with their keys split once (not once per row and column). */
const splitColumns = new WeakMap<LoadedChunk, Array<{ role: string; name: string; reader: ChunkReader }>>();

function columnsOf(chunk: LoadedChunk): Array<{ role: string; name: string; reader: ChunkReader }> {
  let columns = splitColumns.get(chunk);
  if (!columns) {
    columns = [...chunk.columns].map(([key, reader]) => {
      const [role = '', name = ''] = key.split('\u0000');
      return { role, name, reader };
    });
    splitColumns.set(chunk, columns);
  }
  return columns;
}

/** Rebuilds one prediction row from a chunk loaded with all its columns. */
export function chunkRecord(chunk: LoadedChunk, offset: number): PredictionRecord {
  const record: PredictionRecord = {
    predictionId: chunkRowId(chunk, offset) ?? '',
    timestampMs: Number(chunk.columns.get(columnKey('meta', 'ts'))?.get(offset) ?? 0),
    version: chunk.version === '' ? null : chunk.version,
    features: {},
    prediction: null,
    score: null,
    segment: {},
    attributions: {},
  };
  for (const { role, name, reader } of columnsOf(chunk)) {
    const value = reader.get(offset);
    switch (role) {
      case 'feature':
        record.features[name] = asStored(value);
        break;
      case 'extra':
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [k, v] of Object.entries(value)) record.features[k] = asStored(v);
        }
        break;
      case 'prediction':
        record.prediction = Array.isArray(value) ? value.map(Number) : asStored(value);
        break;
      case 'score':
        record.score = Array.isArray(value) ? value.map(Number) : typeof value === 'number' ? value : null;
        break;
      case 'segment':
        if (typeof value === 'string') record.segment[name] = value;
        break;
      case 'attribution':
        if (typeof value === 'number') record.attributions[name] = value;
        break;
    }
  }
  return record;
}
