import type { MLSightQuery, TimeWindow } from '@mlsight/contract';
import { alertingWorkKey, sharedAlertingWork } from './alertingWork';

const WINDOW: TimeWindow = { fromMs: 0, toMs: 3_600_000, intervalMs: 1000, maxDataPoints: 43_200 };
const query = (refId: string, alertValue: string, model = 'm') =>
  ({ refId, queryType: 'feature_drift', model, format: 'alerting', alertValue }) as MLSightQuery;

describe('sharedAlertingWork', () => {
  it('keys a query by its meaning without refId and alertValue, and by the exact window', () => {
    expect(alertingWorkKey(query('A', 'score'), WINDOW)).toBe(alertingWorkKey(query('B', 'threshold'), WINDOW));
    expect(alertingWorkKey(query('A', 'score'), WINDOW)).not.toBe(alertingWorkKey(query('A', 'score', 'n'), WINDOW));
    expect(alertingWorkKey(query('A', 'score'), WINDOW)).not.toBe(
      alertingWorkKey(query('A', 'score'), { ...WINDOW, toMs: WINDOW.toMs + 1 })
    );
  });

  it('computes once for the queries asked while it runs, and again once it has finished', async () => {
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((resolve) => setImmediate(resolve));
      return { runs };
    };
    const together = await Promise.all(
      ['drifted', 'score', 'threshold'].map((v) => sharedAlertingWork(query(v, v), WINDOW, compute))
    );
    expect(runs).toBe(1);
    expect(new Set(together).size).toBe(1);
    await sharedAlertingWork(query('A', 'score', 'other'), WINDOW, compute);
    expect(runs).toBe(2);
    await sharedAlertingWork(query('A', 'score'), WINDOW, compute);
    expect(runs).toBe(3);
  });

  it('does not keep a failure: the next ask computes again', async () => {
    const failing = () => Promise.reject(new Error('store down'));
    await expect(sharedAlertingWork(query('A', 'score'), WINDOW, failing)).rejects.toThrow('store down');
    await expect(sharedAlertingWork(query('A', 'score'), WINDOW, async () => 7)).resolves.toBe(7);
  });
});
