import type { BarItem } from './explanationModel';
import type { Sort, ValueMode } from './types';

/** The value a bar shows: |value| in absolute mode; the signed value (if known) in signed mode. */
export function shownValue(item: BarItem, mode: ValueMode): number {
  if (mode === 'absolute') return Math.abs(item.value);
  return item.signed ?? item.value;
}

/** Items in the requested order: largest |shown value| first (ties by name), by name, or as given. */
export function sortItems(items: readonly BarItem[], sort: Sort, mode: ValueMode): BarItem[] {
  if (sort === 'input') return [...items];
  const byName = (a: BarItem, b: BarItem) => a.feature.localeCompare(b.feature);
  if (sort === 'name') return [...items].sort(byName);
  return [...items].sort((a, b) => Math.abs(shownValue(b, mode)) - Math.abs(shownValue(a, mode)) || byName(a, b));
}

const sumOf = (xs: Array<number | null>): number | null =>
  xs.every((x) => x === null) ? null : xs.reduce<number>((s, x) => s + (x ?? 0), 0);

/**
 * Keeps the n most important items (largest |value|) in the given order and sums the rest into one
 * "N others" item, so totals (and a waterfall's end point) are unchanged. n = 0 keeps all.
 */
export function topNWithOthers(items: readonly BarItem[], n: number, mode: ValueMode): BarItem[] {
  if (n <= 0 || items.length <= n) return [...items];
  const ranked = [...items].sort((a, b) => Math.abs(shownValue(b, mode)) - Math.abs(shownValue(a, mode)));
  const kept = new Set(ranked.slice(0, n));
  const rest = items.filter((it) => !kept.has(it));
  const others: BarItem = {
    feature: `${rest.length} other features`,
    value: rest.reduce((s, it) => s + it.value, 0),
    signed: sumOf(rest.map((it) => it.signed)),
    reference: sumOf(rest.map((it) => it.reference)),
    featureValue: null,
    count: rest.length,
  };
  return [...items.filter((it) => kept.has(it)), others];
}

export interface WaterfallStep {
  item: BarItem;
  start: number;
  end: number;
}

/**
 * A local explanation as a waterfall: each attribution moves the running total from `start` to `end`, starting at
 * the base value. `mismatch` is prediction − (base + Σ attributions): 0 for exact SHAP values, otherwise shown.
 */
export function waterfall(
  baseValue: number,
  items: readonly BarItem[],
  prediction: number
): { steps: WaterfallStep[]; end: number; mismatch: number } {
  let at = baseValue;
  const steps = items.map((item) => {
    const start = at;
    at += item.value;
    return { item, start, end: at };
  });
  return { steps, end: at, mismatch: prediction - at };
}

/** [min, max] of the numbers, widened to include 0 when asked; a zero-width domain is widened by one unit. */
export function extent(values: readonly number[], includeZero: boolean): [number, number] {
  let lo = includeZero ? 0 : Number.POSITIVE_INFINITY;
  let hi = includeZero ? 0 : Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/** Linear map from a domain to pixels. */
export function linear(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}
