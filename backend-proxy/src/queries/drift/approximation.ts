import { type DataFrameJSON, type QueryResultMetaNotice, withNotice } from '@mlsight/contract';
import type { DriftColumns } from '../../stats';

const WHAT: Readonly<Record<string, string>> = {
  ks: 'KS statistic (a lower bound of the raw-row statistic)',
  wasserstein: 'normalised Wasserstein distance',
};

/** Per method: the cells whose score has an error bound (computed from binned counts) and the largest bound. */
function approximations(series: Iterable<DriftColumns>): Map<string, { cells: number; bound: number }> {
  const byMethod = new Map<string, { cells: number; bound: number }>();
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const bound = s.errorBound[i] as number;
      if (Number.isNaN(bound)) continue;
      const method = s.method(i);
      const m = byMethod.get(method) ?? { cells: 0, bound: 0 };
      m.cells++;
      m.bound = Math.max(m.bound, bound);
      byMethod.set(method, m);
    }
  }
  return byMethod;
}

/**
 * The texts saying how many cells' scores were computed from binned counts where the method is defined on raw rows,
 * per method, and the largest error bound among them, so a reader knows how far a score near its threshold can be
 * trusted: one text per method for all the series given.
 */
export function approximationNoticeTexts(series: Iterable<DriftColumns>): string[] {
  return [...approximations(series)].map(
    ([method, { cells, bound }]) =>
      `${cells} ${method} score${cells === 1 ? '' : 's'} computed from binned counts (raw rows not read): ` +
      `approximate, the ${WHAT[method] ?? 'score'} within ${bound.toPrecision(2)} of the raw-row value`
  );
}

/** The frame-level notices of {@link approximationNoticeTexts}. */
export function approximationNotices(series: Iterable<DriftColumns>): QueryResultMetaNotice[] {
  return approximationNoticeTexts(series).map((text) => ({ severity: 'info', text }));
}

/** The frame with the approximation notices of its series. */
export function withApproximationNotices(frame: DataFrameJSON, series: Iterable<DriftColumns>): DataFrameJSON {
  return approximationNotices(series).reduce(withNotice, frame);
}
