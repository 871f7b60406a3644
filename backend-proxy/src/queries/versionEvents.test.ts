import type { ModelVersion } from '../mlflow';
import { versionDeploymentEvents } from './versionEvents';

const DAY = 86_400_000;
const REGISTERED = Date.UTC(2026, 9, 1);
const PROMOTED = REGISTERED + 30 * DAY;

const promoted: ModelVersion = {
  name: 'credit-risk',
  version: '1',
  creation_timestamp: String(REGISTERED),
  user_id: 'jane.doe',
  run_id: 'r1',
  tags: [
    { key: 'mlsight.promoted_at', value: new Date(PROMOTED).toISOString() },
    { key: 'mlsight.promoted_by', value: 'erin (Editor)' },
    { key: 'mlsight.promote_reason', value: 'v2 misses the fraud spike' },
    { key: 'mlsight.previous_version', value: '2' },
    { key: 'mlsight.promoted_alias', value: 'champion' },
  ],
};

const titles = (from: number, to: number) =>
  versionDeploymentEvents('credit-risk', promoted, from, to).map((e) => `${e.title} | ${e.text}`);

describe('versionDeploymentEvents', () => {
  // Regression: the promote event was skipped whenever the version had been registered before the range.
  it('annotates a promote of a version registered long before the range', () => {
    expect(titles(PROMOTED - DAY, PROMOTED + DAY)).toEqual([
      'credit-risk @champion → v1 (was v2) | by erin (Editor): v2 misses the fraud spike',
    ]);
  });

  it('annotates the registration alone when the promote is after the range, and both when the range holds both', () => {
    expect(titles(REGISTERED - DAY, REGISTERED + DAY)).toEqual(['credit-risk v1 registered | by jane.doe from run r1']);
    expect(titles(REGISTERED - DAY, PROMOTED + DAY)).toHaveLength(2);
  });

  it('has no promote event for a version MLSight never moved, nor for an unreadable promoted_at', () => {
    const plain = { ...promoted, tags: [] };
    expect(versionDeploymentEvents('credit-risk', plain, PROMOTED - DAY, PROMOTED + DAY)).toEqual([]);
    const garbled = { ...promoted, tags: [{ key: 'mlsight.promoted_at', value: 'yesterday' }] };
    expect(versionDeploymentEvents('credit-risk', garbled, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(1);
  });

  it('gives the promote event the deployment kind, the version and tags Grafana can filter on', () => {
    const [event] = versionDeploymentEvents('credit-risk', promoted, PROMOTED - DAY, PROMOTED + DAY);
    expect(event).toEqual({
      time: PROMOTED,
      title: 'credit-risk @champion → v1 (was v2)',
      text: 'by erin (Editor): v2 misses the fraud spike',
      tags: ['mlsight', 'deployment', 'promote', 'champion', 'credit-risk'],
      kind: 'deployment',
      model: 'credit-risk',
      version: '1',
    });
  });
});
