import type { Sketch } from './types';

type SketchTotals = Pick<
  Sketch,
  'count' | 'missing' | 'typeErrors' | 'outOfRange' | 'unseen' | 'sum' | 'sumSq' | 'absSum' | 'counts'
>;

/** Unseen category names kept per sketch (the most frequent); the `unseen` total is always complete. */
export const MAX_UNSEEN_NAMES = 100;

/** A mutable sketch while a batch is aggregated in memory; see `Sketch` for the meaning of the fields. */
export class SketchAccumulator {
  count = 0;
  missing = 0;
  typeErrors = 0;
  outOfRange = 0;
  unseen = 0;
  sum = 0;
  sumSq = 0;
  absSum = 0;
  readonly counts: Float64Array;
  unseenNames: Map<string, number> | undefined;

  constructor(size: number) {
    this.counts = new Float64Array(size);
  }

  /** A numeric value at `index` of the counts layout (0 and size-1 are the out-of-range tails). */
  addNumeric(index: number, value: number, weight = 1): void {
    this.counts[index] = (this.counts[index] ?? 0) + weight;
    this.count += weight;
    if (index === 0 || index === this.counts.length - 1) this.outOfRange += weight;
    this.sum += weight * value;
    this.sumSq += weight * value * value;
    this.absSum += weight * Math.abs(value);
  }

  /** A categorical value: its reference category index, or -1 with its name when unseen. */
  addCategory(index: number, name: string, weight = 1): void {
    this.count += weight;
    if (index >= 0) {
      this.counts[index] = (this.counts[index] ?? 0) + weight;
      return;
    }
    this.unseen += weight;
    this.unseenNames ??= new Map();
    this.unseenNames.set(name, (this.unseenNames.get(name) ?? 0) + weight);
  }

  /** A plain number without bins (attributions). */
  addValue(value: number, weight = 1): void {
    this.count += weight;
    this.sum += weight * value;
    this.sumSq += weight * value * value;
    this.absSum += weight * Math.abs(value);
  }

  /** The additive part shared by stored sketches and accumulators: counters, sums and bin counts. */
  private addTotals(other: SketchTotals): void {
    this.count += other.count;
    this.missing += other.missing;
    this.typeErrors += other.typeErrors;
    this.outOfRange += other.outOfRange;
    this.unseen += other.unseen;
    this.sum += other.sum;
    this.sumSq += other.sumSq;
    this.absSum += other.absSum;
    addInto(this.counts, other.counts);
  }

  /** Adds a stored sketch (merge of an existing bucket). */
  addSketch(other: Sketch): void {
    this.addTotals(other);
    const names = Object.entries(other.unseenCategories);
    if (names.length > 0) {
      this.unseenNames ??= new Map();
      for (const [name, n] of names) this.unseenNames.set(name, (this.unseenNames.get(name) ?? 0) + n);
    }
  }

  /** Adds another accumulator (all unseen names, uncapped). */
  addAccumulator(other: SketchAccumulator): void {
    this.addTotals(other);
    if (other.unseenNames) {
      this.unseenNames ??= new Map();
      for (const [name, n] of other.unseenNames) this.unseenNames.set(name, (this.unseenNames.get(name) ?? 0) + n);
    }
  }

  toSketch(): Sketch {
    return {
      count: this.count,
      missing: this.missing,
      typeErrors: this.typeErrors,
      outOfRange: this.outOfRange,
      unseen: this.unseen,
      sum: this.sum,
      sumSq: this.sumSq,
      absSum: this.absSum,
      counts: this.counts,
      unseenCategories: topNames(this.unseenNames),
    };
  }
}

function addInto(target: Float64Array, source: ArrayLike<number>): void {
  const n = Math.min(target.length, source.length);
  for (let i = 0; i < n; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
}

/** The most frequent names (ties by name), at most MAX_UNSEEN_NAMES, as a plain record; zero counts dropped. */
export function topNames(names: ReadonlyMap<string, number> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!names || names.size === 0) return out;
  const entries = [...names].filter(([, n]) => n !== 0);
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, n] of entries.slice(0, MAX_UNSEEN_NAMES)) out[name] = n;
  return out;
}

/** Sums sketches into a fresh one of `size` counts. */
export function mergeSketches(sketches: readonly Sketch[], size: number): Sketch {
  const acc = new SketchAccumulator(size);
  for (const s of sketches) acc.addSketch(s);
  return acc.toSketch();
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Layouts of the counts in a stored sketch. */
const DENSE_U32 = 1;
const DENSE_F64 = 2;
const SPARSE = 3;
const SCALARS_AT = 8;
const COUNTS_AT = SCALARS_AT + 8 * 8;
const U32_LIMIT = 2 ** 32;

/**
 * Encodes a sketch for storage as one blob, so a read materialises one value per sketch instead of a dozen
 * columns: `[u32 layout][u32 counts length][8 × f64: count, missing, typeErrors, outOfRange, unseen, sum, sumSq,
 * absSum][counts]`. Counts are integers, so they are stored as u32 (half the bytes of float64), or sparse (u32 index
 * + f64 value) when that is smaller, e.g. the near-empty minute buckets of a quiet model; float64 only if a count
 * ever leaves the u32 range. Unseen category names are stored apart.
 */
export function encodeSketch(sketch: Omit<Sketch, 'unseenCategories'>): Buffer {
  const counts = sketch.counts;
  let nonZero = 0;
  let integral = true;
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i] ?? 0;
    if (v !== 0) nonZero++;
    if (integral && !(Number.isInteger(v) && v >= 0 && v < U32_LIMIT)) integral = false;
  }
  const sparseBytes = 4 + align8(nonZero * 4) + nonZero * 8;
  const denseBytes = counts.length * (integral ? 4 : 8);
  const layout = sparseBytes < denseBytes ? SPARSE : integral ? DENSE_U32 : DENSE_F64;
  const out = Buffer.alloc(COUNTS_AT + (layout === SPARSE ? sparseBytes : denseBytes));
  out.writeUInt32LE(layout, 0);
  out.writeUInt32LE(counts.length, 4);
  const scalars = [
    sketch.count,
    sketch.missing,
    sketch.typeErrors,
    sketch.outOfRange,
    sketch.unseen,
    sketch.sum,
    sketch.sumSq,
    sketch.absSum,
  ];
  scalars.forEach((v, i) => out.writeDoubleLE(v, SCALARS_AT + i * 8));
  if (layout === DENSE_U32) {
    for (let i = 0; i < counts.length; i++) out.writeUInt32LE(counts[i] ?? 0, COUNTS_AT + i * 4);
  } else if (layout === DENSE_F64) {
    for (let i = 0; i < counts.length; i++) out.writeDoubleLE(counts[i] ?? 0, COUNTS_AT + i * 8);
  } else {
    out.writeUInt32LE(nonZero, COUNTS_AT);
    const valuesAt = COUNTS_AT + 4 + align8(nonZero * 4);
    let k = 0;
    for (let i = 0; i < counts.length; i++) {
      const v = counts[i] ?? 0;
      if (v === 0) continue;
      out.writeUInt32LE(i, COUNTS_AT + 4 + k * 4);
      out.writeDoubleLE(v, valuesAt + k * 8);
      k++;
    }
  }
  return out;
}

/** Decodes `encodeSketch` output; `unseenCategories` comes from its own column. */
export function decodeSketch(data: Uint8Array, unseenCategories: Record<string, number> = {}): Sketch {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < COUNTS_AT) throw new Error(`decodeSketch: ${buf.length} bytes is too short for a sketch`);
  const layout = buf.readUInt32LE(0);
  const length = buf.readUInt32LE(4);
  const counts = new Float64Array(length);
  if (layout === DENSE_U32) {
    // Bulk conversion through a typed-array view (this runs for every bucket of every series a query reads).
    const bytes = buf.subarray(COUNTS_AT, COUNTS_AT + length * 4);
    if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0)
      counts.set(new Uint32Array(bytes.buffer, bytes.byteOffset, length));
    else if (LITTLE_ENDIAN) {
      const aligned = new Uint32Array(length);
      new Uint8Array(aligned.buffer).set(bytes);
      counts.set(aligned);
    } else for (let i = 0; i < length; i++) counts[i] = buf.readUInt32LE(COUNTS_AT + i * 4);
  } else if (layout === DENSE_F64) {
    for (let i = 0; i < length; i++) counts[i] = buf.readDoubleLE(COUNTS_AT + i * 8);
  } else if (layout === SPARSE) {
    const nonZero = buf.readUInt32LE(COUNTS_AT);
    const valuesAt = COUNTS_AT + 4 + align8(nonZero * 4);
    for (let k = 0; k < nonZero; k++) {
      const i = buf.readUInt32LE(COUNTS_AT + 4 + k * 4);
      if (i < length) counts[i] = buf.readDoubleLE(valuesAt + k * 8);
    }
  } else throw new Error(`decodeSketch: unknown layout ${layout}`);
  return {
    count: buf.readDoubleLE(SCALARS_AT),
    missing: buf.readDoubleLE(SCALARS_AT + 8),
    typeErrors: buf.readDoubleLE(SCALARS_AT + 16),
    outOfRange: buf.readDoubleLE(SCALARS_AT + 24),
    unseen: buf.readDoubleLE(SCALARS_AT + 32),
    sum: buf.readDoubleLE(SCALARS_AT + 40),
    sumSq: buf.readDoubleLE(SCALARS_AT + 48),
    absSum: buf.readDoubleLE(SCALARS_AT + 56),
    counts,
    unseenCategories,
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
