import { countIndex as countIndexImport } from './binning';
import { GRANULARITIES, HOUR_MS, MINUTE_MS } from './buckets';
import { type FrozenColumn, MISSING } from './profile';
import { SketchAccumulator } from './sketch';

// Bound once: under tsx/esbuild an imported function is read through a getter at every call, and this one runs
// once per stored value.
const countIndex = countIndexImport;

/** Identity of a sketch series before it has a database id. */
export interface SeriesKey {
  referenceId: number;
  version: string;
  column: FrozenColumn;
}

function seriesKeyText(referenceId: number, version: string, role: string, name: string): string {
  return `${referenceId}\u0000${version}\u0000${role}\u0000${name}`;
}

interface BucketSlot {
  granularity: number;
  bucketMs: number;
}

/** Average rows per minute bucket from which a batch's values are summed per minute run (see GroupSketches.runs). */
const ROLLUP_RUN = 32;

/** Walks slot ids row by row, fetching an accumulator only when the slot changes (rows come in time order). */
class SlotCursor {
  private slot = -2;
  private current: SketchAccumulator | undefined;
  constructor(
    private readonly ids: Int32Array,
    private readonly fetch: (slot: number) => SketchAccumulator
  ) {}
  at(i: number): SketchAccumulator | undefined {
    const slot = this.ids[i] ?? -1;
    if (slot !== this.slot) {
      this.slot = slot;
      this.current = slot >= 0 ? this.fetch(slot) : undefined;
    }
    return this.current;
  }
}

/** Per row, the slot of each granularity it falls in (-1: that granularity is not kept for this time). */
export type SlotIds = readonly [Int32Array, Int32Array, Int32Array];

/**
 * The sketches of one (reference, version) group of a batch, aggregated in memory: one accumulator per column and
 * bucket slot. Bulk methods walk one column over all rows (tight loops over typed arrays: one binary search and up
 * to three increments per value); `at`/`add` serve the few rows of the label and type-error paths.
 */
export class GroupSketches {
  readonly columns: FrozenColumn[] = [];
  private readonly columnIndex = new Map<string, number>();
  private readonly slots: BucketSlot[] = [];
  private readonly slotIndex = new Map<string, number>();
  /** accs[column][slot] */
  private readonly accs: Array<Array<SketchAccumulator | undefined>> = [];
  private readonly active: number[] = [];

  constructor(
    readonly referenceId: number,
    readonly version: string,
    private readonly cutoffs: { minuteMs: number; hourMs: number }
  ) {}

  /** Index of a column in this group (added on first use). */
  columnId(column: FrozenColumn): number {
    const key = `${column.role}\u0000${column.name}`;
    let id = this.columnIndex.get(key);
    if (id === undefined) {
      id = this.columns.length;
      this.columns.push(column);
      this.accs.push([]);
      this.columnIndex.set(key, id);
    }
    return id;
  }

  private slot(granularity: number, bucketMs: number): number {
    const key = `${granularity}:${bucketMs}`;
    let id = this.slotIndex.get(key);
    if (id === undefined) {
      id = this.slots.length;
      this.slots.push({ granularity, bucketMs });
      this.slotIndex.set(key, id);
    }
    return id;
  }

  private keeps(granularity: number, bucketMs: number): boolean {
    if (granularity === MINUTE_MS) return bucketMs >= this.cutoffs.minuteMs;
    if (granularity === HOUR_MS) return bucketMs >= this.cutoffs.hourMs;
    return true;
  }

  /** Slot ids of rows `order[0…n-1]` with times `ts[order[i]]`; runs of equal buckets cost one lookup. */
  slotIds(ts: Float64Array, order: Int32Array): SlotIds {
    const out = GRANULARITIES.map(() => new Int32Array(order.length)) as unknown as [
      Int32Array,
      Int32Array,
      Int32Array,
    ];
    GRANULARITIES.forEach((granularity, g) => {
      const ids = out[g];
      if (!ids) return;
      let lastBucket = Number.NaN;
      let lastSlot = -1;
      for (let i = 0; i < order.length; i++) {
        const t = ts[order[i] ?? 0] ?? 0;
        const bucketMs = Math.floor(t / granularity) * granularity;
        if (bucketMs !== lastBucket) {
          lastBucket = bucketMs;
          lastSlot = this.keeps(granularity, bucketMs) ? this.slot(granularity, bucketMs) : -1;
        }
        ids[i] = lastSlot;
      }
    });
    return out;
  }

  private acc(columnId: number, slot: number): SketchAccumulator {
    const list = this.accs[columnId] ?? [];
    let acc = list[slot];
    if (!acc) list[slot] = acc = new SketchAccumulator(this.columns[columnId]?.size ?? 0);
    return acc;
  }

  /**
   * Runs of rows in one minute bucket when the batch is dense enough (on average ROLLUP_RUN rows per minute, all
   * minutes kept): each run is then summed once and added to its minute, hour and day buckets, instead of three
   * increments per value. Sparse batches get undefined (per-value increments are cheaper there).
   */
  runs(slots: SlotIds): Int32Array | undefined {
    const [minutes] = slots;
    const starts: number[] = [];
    for (let i = 0; i < minutes.length; i++) {
      if ((minutes[i] ?? -1) < 0) return undefined;
      if (i === 0 || minutes[i] !== minutes[i - 1]) starts.push(i);
    }
    if (starts.length === 0 || minutes.length / starts.length < ROLLUP_RUN) return undefined;
    starts.push(minutes.length);
    return Int32Array.from(starts);
  }

  /** Adds a run's sum to the run's buckets at every granularity. */
  private addRun(columnId: number, run: SketchAccumulator, row: number, slots: SlotIds): void {
    for (const ids of slots) {
      const slot = ids[row] ?? -1;
      if (slot >= 0) this.acc(columnId, slot).addAccumulator(run);
    }
  }

  /** A numeric column (NaN = missing), rows in `order`. */
  addNumericColumn(columnId: number, values: Float64Array, order: Int32Array, slots: SlotIds, runs?: Int32Array): void {
    const edges = this.columns[columnId]?.edges;
    if (runs) {
      const size = this.columns[columnId]?.size ?? 0;
      for (let r = 0; r + 1 < runs.length; r++) {
        const start = runs[r] ?? 0;
        const end = runs[r + 1] ?? 0;
        const run = new SketchAccumulator(size);
        for (let i = start; i < end; i++) {
          const v = values[order[i] ?? 0] ?? Number.NaN;
          if (v !== v) run.missing++;
          else if (edges) run.addNumeric(countIndex(edges, v), v);
          else run.addValue(v);
        }
        this.addRun(columnId, run, start, slots);
      }
      return;
    }
    const cursors = slots.map((ids) => new SlotCursor(ids, (slot) => this.acc(columnId, slot)));
    const [c0, c1, c2] = cursors;
    if (!c0 || !c1 || !c2) return;
    for (let i = 0; i < order.length; i++) {
      const v = values[order[i] ?? 0] ?? Number.NaN;
      const a = c0.at(i);
      const b = c1.at(i);
      const c = c2.at(i);
      if (v !== v) {
        if (a) a.missing++;
        if (b) b.missing++;
        if (c) c.missing++;
      } else if (edges) {
        const index = countIndex(edges, v);
        if (a) a.addNumeric(index, v);
        if (b) b.addNumeric(index, v);
        if (c) c.addNumeric(index, v);
      } else {
        if (a) a.addValue(v);
        if (b) b.addValue(v);
        if (c) c.addValue(v);
      }
    }
  }

  /**
   * A categorical column as codes into `names` (-1 = missing); codes below the reference's category count are
   * reference categories, the others unseen ones.
   */
  addCodeColumn(
    columnId: number,
    codes: Int32Array,
    names: readonly string[],
    order: Int32Array,
    slots: SlotIds,
    runs?: Int32Array
  ): void {
    const known = this.columns[columnId]?.size ?? 0;
    if (runs) {
      for (let r = 0; r + 1 < runs.length; r++) {
        const start = runs[r] ?? 0;
        const end = runs[r + 1] ?? 0;
        const run = new SketchAccumulator(known);
        for (let i = start; i < end; i++) {
          const code = codes[order[i] ?? 0] ?? -1;
          if (code < 0) run.missing++;
          else if (code < known) run.addCategory(code, '');
          else run.addCategory(-1, names[code] ?? '');
        }
        this.addRun(columnId, run, start, slots);
      }
      return;
    }
    const cursors = slots.map((ids) => new SlotCursor(ids, (slot) => this.acc(columnId, slot)));
    const [c0, c1, c2] = cursors;
    if (!c0 || !c1 || !c2) return;
    for (let i = 0; i < order.length; i++) {
      const code = codes[order[i] ?? 0] ?? -1;
      const a = c0.at(i);
      const b = c1.at(i);
      const c = c2.at(i);
      if (code < 0) {
        if (a) a.missing++;
        if (b) b.missing++;
        if (c) c.missing++;
        continue;
      }
      const index = code < known ? code : -1;
      const name = index < 0 ? (names[code] ?? '') : '';
      if (a) a.addCategory(index, name);
      if (b) b.addCategory(index, name);
      if (c) c.addCategory(index, name);
    }
  }

  /** Selects the buckets of one row's time for `add`/`addTypeError`. */
  at(ts: number): void {
    this.active.length = 0;
    for (const granularity of GRANULARITIES) {
      const bucketMs = Math.floor(ts / granularity) * granularity;
      if (this.keeps(granularity, bucketMs)) this.active.push(this.slot(granularity, bucketMs));
    }
  }

  /** Adds a normalised value (number for numeric, string for categorical, MISSING) of a column at the current time. */
  add(columnId: number, value: number | string | typeof MISSING, weight = 1): void {
    const column = this.columns[columnId];
    if (!column) return;
    for (const slot of this.active) {
      const acc = this.acc(columnId, slot);
      if (value === MISSING) acc.missing += weight;
      else if (column.kind === 'numeric' && typeof value === 'number' && column.edges) {
        acc.addNumeric(countIndex(column.edges, value), value, weight);
      } else if (column.kind === 'categorical' && column.categories) {
        const name = String(value);
        acc.addCategory(column.categories.get(name) ?? -1, name, weight);
      } else if (typeof value === 'number') acc.addValue(value, weight);
    }
  }

  /** Counts a type error of a column at the current time. */
  addTypeError(columnId: number): void {
    for (const slot of this.active) this.acc(columnId, slot).typeErrors += 1;
  }

  *entries(): Generator<{ key: SeriesKey; granularity: number; bucketMs: number; acc: SketchAccumulator }> {
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.columns[c];
      const list = this.accs[c] ?? [];
      if (!column) continue;
      for (let slot = 0; slot < list.length; slot++) {
        const acc = list[slot];
        const where = this.slots[slot];
        if (!acc || !where) continue;
        yield {
          key: { referenceId: this.referenceId, version: this.version, column },
          granularity: where.granularity,
          bucketMs: where.bucketMs,
          acc,
        };
      }
    }
  }
}

export { seriesKeyText };
