/**
 * Column codecs of stored raw rows. Predictions and reference rows are kept column by column in chunks of a few
 * thousand rows: numeric columns as float64 (NaN = missing), categorical ones dictionary-encoded, the rest JSON.
 * Writing a float64 column costs a copy, where JSON-encoding every row cost ~5 µs per row of 20 features —
 * more than the whole ingestion budget.
 */

export const COLUMN_ENCODINGS = ['f64', 'dict', 'json'] as const;
export type ColumnEncoding = (typeof COLUMN_ENCODINGS)[number];

export interface EncodedColumn {
  encoding: ColumnEncoding;
  data: Buffer;
}

/** A decoded column: random access to row values; `undefined`/`null` is missing. */
export interface ColumnReader {
  readonly length: number;
  /** The row's value: number (f64), string (dict) or any JSON value (json); null when missing. */
  get(row: number): unknown;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Float64 values, NaN for missing. */
export function encodeF64(values: Float64Array): EncodedColumn {
  if (LITTLE_ENDIAN) {
    return { encoding: 'f64', data: Buffer.from(values.buffer, values.byteOffset, values.byteLength) };
  }
  const data = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) data.writeDoubleLE(values[i] ?? Number.NaN, i * 8);
  return { encoding: 'f64', data };
}

/** Decodes `encodeF64` output (a view when the buffer is aligned, else a copy). */
export function decodeF64(data: Uint8Array): Float64Array {
  const length = Math.floor(data.byteLength / 8);
  if (LITTLE_ENDIAN && data.byteOffset % 8 === 0) return new Float64Array(data.buffer, data.byteOffset, length);
  const out = new Float64Array(length);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(data.subarray(0, length * 8));
    return out;
  }
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

/** Dictionary encoding: `[u32 dictionary bytes][dictionary JSON][padding to 4][int32 codes]`, code -1 = missing. */
export function encodeDict(codes: Int32Array, dictionary: readonly string[]): EncodedColumn {
  const dict = Buffer.from(JSON.stringify(dictionary), 'utf8');
  const codesAt = (4 + dict.length + 3) & ~3;
  const data = Buffer.alloc(codesAt + codes.length * 4);
  data.writeUInt32LE(dict.length, 0);
  dict.copy(data, 4);
  if (LITTLE_ENDIAN) Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).copy(data, codesAt);
  else for (let i = 0; i < codes.length; i++) data.writeInt32LE(codes[i] ?? -1, codesAt + i * 4);
  return { encoding: 'dict', data };
}

/** Decodes `encodeDict` output into its dictionary and codes. */
export function decodeDict(data: Uint8Array): { dictionary: string[]; codes: Int32Array } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const dictLength = buf.readUInt32LE(0);
  const parsed: unknown = JSON.parse(buf.subarray(4, 4 + dictLength).toString('utf8'));
  const dictionary = Array.isArray(parsed) ? parsed.map(String) : [];
  const codesAt = (4 + dictLength + 3) & ~3;
  const n = Math.floor((buf.length - codesAt) / 4);
  const codes = new Int32Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(codes.buffer).set(buf.subarray(codesAt, codesAt + n * 4));
  else for (let i = 0; i < n; i++) codes[i] = buf.readInt32LE(codesAt + i * 4);
  return { dictionary, codes };
}

/** Dictionary encoding of codes into `names`, keeping only the names in use (codes renumbered). */
export function encodeUsedDict(codes: Int32Array, names: readonly string[]): EncodedColumn {
  const remap = new Int32Array(names.length).fill(-1);
  const used: string[] = [];
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? -1;
    if (code < 0) {
      out[i] = -1;
      continue;
    }
    let mapped = remap[code] ?? -1;
    if (mapped < 0) {
      mapped = used.length;
      used.push(names[code] ?? '');
      remap[code] = mapped;
    }
    out[i] = mapped;
  }
  return encodeDict(out, used);
}

/** Any JSON values, one per row. */
export function encodeJson(values: readonly unknown[]): EncodedColumn {
  return { encoding: 'json', data: Buffer.from(JSON.stringify(values), 'utf8') };
}

/** Decodes `encodeJson` output (an empty list when it is not an array). */
export function decodeJson(data: Uint8Array): unknown[] {
  const parsed: unknown = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  return Array.isArray(parsed) ? parsed : [];
}

/** Type guard for encodings read back from the database. */
export function isColumnEncoding(value: string): value is ColumnEncoding {
  return (COLUMN_ENCODINGS as readonly string[]).includes(value);
}

/** A reader over a stored column of any encoding. */
export function readColumn(encoding: ColumnEncoding, data: Uint8Array): ColumnReader {
  switch (encoding) {
    case 'f64': {
      const values = decodeF64(data);
      return {
        length: values.length,
        get: (row) => {
          const v = values[row];
          return v === undefined || Number.isNaN(v) ? null : v;
        },
      };
    }
    case 'dict': {
      const { dictionary, codes } = decodeDict(data);
      return {
        length: codes.length,
        get: (row) => {
          const code = codes[row] ?? -1;
          return code < 0 ? null : (dictionary[code] ?? null);
        },
      };
    }
    case 'json': {
      const values = decodeJson(data);
      return { length: values.length, get: (row) => values[row] ?? null };
    }
  }
}

/** Builds a float64 column. */
export class NumberColumnBuilder {
  private readonly values: Float64Array;
  constructor(length: number) {
    this.values = new Float64Array(length).fill(Number.NaN);
  }
  set(row: number, value: number): void {
    this.values[row] = value;
  }
  build(): EncodedColumn {
    return encodeF64(this.values);
  }
}

/** Builds a dictionary-encoded string column. */
export class DictColumnBuilder {
  private readonly codes: Int32Array;
  private readonly index = new Map<string, number>();
  private readonly dictionary: string[] = [];
  constructor(length: number) {
    this.codes = new Int32Array(length).fill(-1);
  }
  set(row: number, value: string): void {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(value);
      this.index.set(value, code);
    }
    this.codes[row] = code;
  }
  build(): EncodedColumn {
    return encodeDict(this.codes, this.dictionary);
  }
}

/** Builds a JSON column (missing rows are null). */
export class JsonColumnBuilder {
  private readonly values: unknown[];
  constructor(length: number) {
    this.values = new Array<unknown>(length).fill(null);
  }
  set(row: number, value: unknown): void {
    this.values[row] = value;
  }
  build(): EncodedColumn {
    return encodeJson(this.values);
  }
}
