import type { DataFrame } from '@grafana/data';
import { fromContract } from '../../../shared/src/testing/contractFrames';
import { buildCategoryDriftFrame, buildDriftHeatmapFrame, type DriftHeatmapSeries } from '@mlsight/contract';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 10, 1);

/** A drift_heatmap frame as the proxy returns it, decoded the way the data source decodes it. */
export function driftFrame(series: DriftHeatmapSeries[], buckets: number, minSampleSize = 30): DataFrame {
  const times = Array.from({ length: buckets }, (_, i) => T0 + i * HOUR);
  return fromContract(buildDriftHeatmapFrame(times, series, { bucketMs: HOUR, minSampleSize }));
}

export function psiSeries(feature: string, scores: Array<number | null>, rows?: number[]): DriftHeatmapSeries {
  return { feature, method: 'psi', threshold: 0.2, direction: 'above', scores, rows: rows ?? scores.map(() => 500) };
}

export function categoryFrame(): DataFrame {
  const times = [T0, T0 + HOUR, T0 + 2 * HOUR];
  return fromContract(
    buildCategoryDriftFrame(
      'plan',
      times,
      [
        { category: 'basic', status: 'stable', referenceShare: 0.6, shares: [0.6, 0.5, 0.3], rows: [100, 100, 100] },
        { category: 'premium', status: 'vanished', referenceShare: 0.4, shares: [0.4, 0.3, 0], rows: [100, 100, 10] },
        { category: 'trial', status: 'new', referenceShare: 0, shares: [0, 0.2, 0.7], rows: [100, 100, 100] },
      ],
      { bucketMs: HOUR, minSampleSize: 50 }
    )
  );
}
