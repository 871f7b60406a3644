import { sample } from './gaugeCatalog';
import { FleetMonitorView, fleetMonitorStateOf } from './fleetMonitorState';

describe('fleetMonitorStateOf', () => {
  const samples = [
    sample('mlsight_feature_drifted', { model: 'a', version: '', feature: 'x', method: 'psi' }, 1),
    sample('mlsight_feature_drifted', { model: 'a', version: '', feature: 'y', method: 'psi' }, 0),
    // A version's own snapshot does not count for the model (the rules' dashboards use version="").
    sample('mlsight_feature_drifted', { model: 'a', version: '2', feature: 'y', method: 'psi' }, 1),
    sample('mlsight_dataset_drifted', { model: 'a', version: '' }, 1),
    sample('mlsight_data_quality_missing_ratio', { model: 'b', version: '', feature: 'z' }, 0.25),
    sample('mlsight_data_quality_missing_ratio', { model: 'b', version: '', feature: 'w' }, 0.1),
    sample('mlsight_data_freshness_seconds', { model: 'b' }, 7200),
    sample('mlsight_estimated_performance', { model: 'c', version: '', metric: 'accuracy' }, 0.81),
    sample('mlsight_estimated_performance_lower', { model: 'c', version: '', metric: 'accuracy' }, 0.78),
    sample('mlsight_estimated_performance_upper', { model: 'c', version: '', metric: 'accuracy' }, 0.84),
    sample('mlsight_estimated_performance', { model: 'c', version: '', metric: 'f1' }, 0.5),
  ];

  test('counts the rule conditions that hold and keeps the CBPE accuracy band', () => {
    const state = fleetMonitorStateOf(samples);
    expect(state.a?.firingAlerts).toEqual(['FeatureDrift(x)', 'DatasetDrift']);
    // missing_ratio > 0.1 (strict, as the rule): 0.1 does not fire.
    expect(state.b?.firingAlerts).toEqual(['DataQualityMissing(z)', 'StaleData']);
    expect(state.c).toEqual({
      firingAlerts: [],
      estimatedAccuracy: 0.81,
      estimatedAccuracyLower: 0.78,
      estimatedAccuracyUpper: 0.84,
    });
  });

  test('the view is empty until the monitor publishes, then holds the latest run', () => {
    const view = new FleetMonitorView();
    expect(view.current()).toBeUndefined();
    view.publish(samples, 1000);
    view.publish(samples.slice(0, 1), 2000);
    expect(view.current()).toEqual({
      runAtMs: 2000,
      state: {
        a: {
          firingAlerts: ['FeatureDrift(x)'],
          estimatedAccuracy: null,
          estimatedAccuracyLower: null,
          estimatedAccuracyUpper: null,
        },
      },
    });
  });
});
