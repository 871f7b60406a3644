import { type DataFrameJSON, type QueryResultMetaNotice, withNotice } from '@mlsight/contract';
import type { DriftResult } from '../../metrics';

const WHAT: Readonly<Record<string, string>> = {
  ks: 'KS statistic (a lower bound of the raw-row statistic)',
  wasserstein: 'normalised Wasserstein distance',
};

/**
 * The frame-level notices of scores computed from binned counts where the method is defined on raw rows: per
 * method, how many cells are approximate and the largest error bound among them, so a reader knows how far a
 * score near its threshold can be trusted.
 */
export function approximationNotices(results: Iterable<DriftResult>): QueryResultMetaNotice[] {
  const byMethod = new Map<string, { cells: number; bound: number }>();
  for (const r of results) {
    if (r.errorBound === null) continue;
    const m = byMethod.get(r.method) ?? { cells: 0, bound: 0 };
    m.cells++;
    m.bound = Math.max(m.bound, r.errorBound);
    byMethod.set(r.method, m);
  }
  return [...byMethod].map(([method, { cells, bound }]) => ({
    severity: 'info',
    text:
      `${cells} ${method} score${cells === 1 ? '' : 's'} computed from binned counts (raw rows not read): ` +
      `approximate, the ${WHAT[method] ?? 'score'} within ${bound.toPrecision(2)} of the raw-row value`,
  }));
}

/** The frame with the approximation notices of its results. */
export function withApproximationNotices(frame: DataFrameJSON, results: Iterable<DriftResult>): DataFrameJSON {
  return approximationNotices(results).reduce(withNotice, frame);
}
