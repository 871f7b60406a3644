import type { DriftResult } from '../stats';
import { MONITOR_GAUGES } from './gaugeCatalog';
import { targetDriftSamples } from './targetDriftContributor';

function result(score: number | null, drifted: boolean | null): DriftResult {
  return {
    method: 'jensenshannon',
    score,
    statistic: score,
    pValue: null,
    threshold: 0.05,
    thresholdMode: 'calibrated',
    drifted,
    effectSize: score,
    effectSizeMeasure: 'jensenshannon',
    referenceN: 5000,
    currentN: drifted === null ? 3 : 150,
    insufficient: drifted === null,
    notice: null,
    errorBound: null,
  };
}

const labels = { model: 'credit', version: '' };

describe('targetDriftSamples', () => {
  it('exports the score and the verdict of each target under its own gauges', () => {
    expect(targetDriftSamples('prediction', labels, result(0.2, true))).toEqual([
      { name: 'mlsight_prediction_drift_score', labels, value: 0.2 },
      { name: 'mlsight_prediction_drifted', labels, value: 1 },
    ]);
    expect(targetDriftSamples('label', labels, result(0.01, false))).toEqual([
      { name: 'mlsight_label_drift_score', labels, value: 0.01 },
      { name: 'mlsight_label_drifted', labels, value: 0 },
    ]);
  });

  it('leaves the verdict out when too few labels arrived, and the score when there is none', () => {
    expect(targetDriftSamples('label', labels, result(0.3, null)).map((s) => s.name)).toEqual([
      'mlsight_label_drift_score',
    ]);
    expect(targetDriftSamples('label', labels, result(null, null))).toEqual([]);
  });

  it('uses gauges of the catalogue with the model and version labels only', () => {
    for (const name of [
      'mlsight_prediction_drift_score',
      'mlsight_prediction_drifted',
      'mlsight_label_drift_score',
      'mlsight_label_drifted',
    ] as const) {
      expect(MONITOR_GAUGES[name].labelNames).toEqual(['model', 'version']);
    }
  });
});
