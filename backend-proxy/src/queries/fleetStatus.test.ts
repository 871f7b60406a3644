import { type FleetNumbers, fleetStatus, STALE_CRITICAL_SECONDS, STALE_WARNING_SECONDS } from './fleetStatus';

const healthy: FleetNumbers = {
  hasReference: true,
  predictions: 5000,
  freshnessSeconds: 30,
  driftedFeatures: 0,
  evaluatedFeatures: 5,
  driftShare: 0,
  datasetDrifted: false,
  estimatedAccuracyLower: 0.8,
  estimatedAccuracyUpper: 0.9,
  realisedAccuracy: 0.85,
  qualityIncidents: 0,
  firingAlerts: 0,
  championVersion: '3',
};

describe('fleetStatus', () => {
  test('a model whose checks all pass is ok and says so', () => {
    expect(fleetStatus(healthy)).toMatchObject({ status: 'ok', reasons: ['all checks pass'] });
  });

  test('no reference profile or no predictions in the range is no_data, below every ok model', () => {
    const noReference = fleetStatus({ ...healthy, hasReference: false });
    const noRows = fleetStatus({ ...healthy, predictions: 0 });
    expect(noReference).toMatchObject({ status: 'no_data', reasons: ['no reference profile in the drift store'] });
    expect(noRows).toMatchObject({ status: 'no_data', reasons: ['no predictions in the time range'] });
    expect(noRows.attention).toBeLessThan(fleetStatus(healthy).attention);
  });

  test('dataset drift is critical; some drifted features are a warning', () => {
    const dataset = fleetStatus({ ...healthy, driftedFeatures: 3, driftShare: 0.6, datasetDrifted: true });
    expect(dataset.status).toBe('critical');
    expect(dataset.reasons[0]).toBe('dataset drift: 3 of 5 features drifted (60%)');
    const some = fleetStatus({ ...healthy, driftedFeatures: 1, driftShare: 0.2, datasetDrifted: false });
    expect(some).toMatchObject({ status: 'warning', reasons: ['1 of 5 features drifted'] });
  });

  test('realised accuracy below the CBPE band is critical, above it a warning, inside it nothing', () => {
    expect(fleetStatus({ ...healthy, realisedAccuracy: 0.7 }).status).toBe('critical');
    expect(fleetStatus({ ...healthy, realisedAccuracy: 0.95 }).status).toBe('warning');
    expect(fleetStatus({ ...healthy, realisedAccuracy: 0.8 }).status).toBe('ok');
    expect(fleetStatus({ ...healthy, estimatedAccuracyLower: null, realisedAccuracy: 0.1 }).status).toBe('ok');
  });

  test('staleness: a warning past an hour, critical past a day', () => {
    expect(fleetStatus({ ...healthy, freshnessSeconds: STALE_WARNING_SECONDS + 1 })).toMatchObject({
      status: 'warning',
      reasons: ['no predictions for 1 h'],
    });
    expect(fleetStatus({ ...healthy, freshnessSeconds: STALE_CRITICAL_SECONDS * 2 })).toMatchObject({
      status: 'critical',
      reasons: ['no predictions for 2 d'],
    });
  });

  test('firing alerts are critical; quality incidents and a missing champion are warnings', () => {
    expect(fleetStatus({ ...healthy, firingAlerts: 2 })).toMatchObject({
      status: 'critical',
      reasons: ['2 alerts firing'],
    });
    expect(fleetStatus({ ...healthy, qualityIncidents: 1 })).toMatchObject({
      status: 'warning',
      reasons: ['1 data-quality incident'],
    });
    expect(fleetStatus({ ...healthy, championVersion: null })).toMatchObject({
      status: 'warning',
      reasons: ['no champion alias'],
    });
  });

  test('critical reasons come before warnings, every finding is listed', () => {
    const v = fleetStatus({ ...healthy, firingAlerts: 1, qualityIncidents: 2, championVersion: null });
    expect(v.reasons).toEqual(['1 alert firing', '2 data-quality incidents', 'no champion alias']);
  });

  test('attention orders statuses strictly and, within one, grows with what is wrong', () => {
    const worstWarning = fleetStatus({
      ...healthy,
      driftedFeatures: 4,
      driftShare: 0.49,
      datasetDrifted: false,
      qualityIncidents: 50,
      freshnessSeconds: STALE_CRITICAL_SECONDS,
      championVersion: null,
    });
    const mildCritical = fleetStatus({ ...healthy, firingAlerts: 1 });
    expect(worstWarning.status).toBe('warning');
    expect(mildCritical.attention).toBeGreaterThan(worstWarning.attention);
    const twoIncidents = fleetStatus({ ...healthy, qualityIncidents: 2 });
    const oneIncident = fleetStatus({ ...healthy, qualityIncidents: 1 });
    expect(twoIncidents.attention).toBeGreaterThan(oneIncident.attention);
    expect(fleetStatus(healthy).attention).toBeGreaterThan(fleetStatus({ ...healthy, predictions: 0 }).attention);
  });
});
