import { assertFinite, assertNonEmpty } from './validate';

/**
 * Equal-width bin edges by Sturges' rule, exactly as `numpy.histogram_bin_edges(values, bins='sturges')`:
 * width = range / (log2(n) + 1), bin count = ceil(range / width), edges by `numpy.linspace` (i·step + min, last
 * edge set to max); a constant sample gets one bin [v − 0.5, v + 0.5]. Evidently bins numeric features this way
 * (over reference and current combined) for PSI and Jensen-Shannon on raw rows.
 *
 * Reference: Sturges, H. A. (1926) "The choice of a class interval", JASA 21(153); numpy `_hist_bin_sturges`.
 *
 * @param values finite numbers
 * @returns strictly increasing edges (at least 2)
 * @throws InsufficientDataError when empty; InvalidInputError on a non-finite value
 * @example sturgesEdges([0, 1, 2, 3]) // [0, 1, 2, 3] (3 bins: log2(4) + 1 = 3)
 */
export function sturgesEdges(values: ReadonlyArray<number>): number[] {
  const fn = 'sturgesEdges';
  assertNonEmpty(fn, 'values', values);
  assertFinite(fn, 'values', values);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const ptp = max - min;
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = ptp / (Math.log2(values.length) + 1);
  const nBins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, nBins + 1);
}

/** `numpy.linspace(start, stop, num)` with endpoint: i·step + start, last value set to stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  const out: number[] = [];
  const div = num - 1;
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) out.push(i * step + start);
  if (num > 1) out[num - 1] = stop;
  return out;
}
