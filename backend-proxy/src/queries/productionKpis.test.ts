import type { DriftResult, QualityRates } from '../stats';
import { sample } from '../monitor/gaugeCatalog';
import { lastValue } from '../monitor/performanceContributor';
import type { ModelSnapshot } from '../monitor/snapshot';
import { kpisOfSnapshot, QUALITY_INCIDENT_RATE } from './productionKpis';

const rates = (missingRate: number | null, unseenRate: number | null = null): QualityRates => ({
  rows: 100,
  missingRate,
  typeErrorRate: 0,
  outOfRangeRate: null,
  unseenRate,
});
const feature = (name: string, drifted: boolean | null) => ({
  feature: name,
  kind: 'numeric' as const,
  result: {} as DriftResult,
  adjustedPValue: null,
  drifted,
});

describe('kpisOfSnapshot', () => {
  const snapshot: ModelSnapshot = {
    model: 'm',
    version: '',
    window: { fromMs: 0, toMs: 1 },
    rows: 100,
    freshnessSeconds: 5,
    features: [feature('a', true), feature('b', false), feature('c', null)],
    dataset: { share: 0.5, drifted: true },
    quality: [
      { feature: 'a', rates: rates(QUALITY_INCIDENT_RATE) },
      { feature: 'b', rates: rates(QUALITY_INCIDENT_RATE / 2) },
      { feature: 'c', rates: rates(null, 0.2) },
    ],
    contributed: [
      sample('mlsight_performance', { model: 'm', version: '', metric: 'f1' }, 0.1),
      sample('mlsight_performance', { model: 'm', version: '', metric: 'accuracy' }, 0.8),
      sample('mlsight_estimated_performance', { model: 'm', version: '', metric: 'accuracy' }, 0.75),
    ],
    contributorErrors: [],
  };

  it('counts drifted features among those with a verdict, quality incidents at the rate, accuracy by metric', () => {
    expect(kpisOfSnapshot(snapshot)).toEqual({
      rows: 100,
      driftedFeatures: 1,
      features: 3,
      datasetDriftShare: 0.5,
      estimatedAccuracy: 0.75,
      realisedAccuracy: 0.8,
      qualityIncidents: 2,
    });
  });

  it('reports no drift count (not 0) when no feature had enough rows for a verdict', () => {
    const k = kpisOfSnapshot({ ...snapshot, features: [feature('a', null)], contributed: [] });
    expect(k.driftedFeatures).toBeNull();
    expect(k.realisedAccuracy).toBeNull();
  });
});

describe('lastValue', () => {
  it('reads the newest value of the first frame that has the field, null when not a finite number', () => {
    const frame = (values: unknown[]) => ({
      schema: {
        fields: [
          { name: 'time', type: 'time' as const },
          { name: 'accuracy', type: 'number' as const },
        ],
      },
      data: { values: [values.map((_, i) => i), values] },
    });
    expect(lastValue([frame([0.5, 0.7])], 'accuracy')).toBe(0.7);
    expect(lastValue([frame([0.5, null])], 'accuracy')).toBeNull();
    expect(lastValue([frame([0.5])], 'f1')).toBeNull();
  });
});
