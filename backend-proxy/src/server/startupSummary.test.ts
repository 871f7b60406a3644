import { loadConfig } from '../config/config';
import { startupSummary } from './startupSummary';

describe('startupSummary', () => {
  it('does not log the MLflow password of MLSIGHT_MLFLOW_URL (it was logged at info level)', () => {
    const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://admin:s3cret-pw@127.0.0.1:5000/' });
    const summary = startupSummary(config);
    expect(summary.mlflow).toBe('http://127.0.0.1:5000');
    expect(JSON.stringify(summary)).not.toContain('s3cret-pw');
    expect(summary.limits.maxFeatures).toBe(2000);
  });
});
