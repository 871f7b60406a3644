import { schedulePrune } from './schedulePrune';
import type { DriftStore } from './types';

describe('schedulePrune', () => {
  it('prunes on every interval until stopped and reports failures', async () => {
    jest.useFakeTimers();
    try {
      const results: unknown[] = [];
      let calls = 0;
      const store = {
        prune: async () => {
          calls++;
          if (calls === 2) throw new Error('database down');
          return { chunks: calls, labels: 0, sketches: 0, performanceSummaries: 0, idempotencyKeys: 0 };
        },
      } as unknown as DriftStore;
      const stop = schedulePrune(store, 1000, (r) => results.push(r));
      await jest.advanceTimersByTimeAsync(999);
      expect(calls).toBe(0);
      await jest.advanceTimersByTimeAsync(2001);
      expect(calls).toBe(3);
      expect(results[1]).toBeInstanceOf(Error);
      stop();
      await jest.advanceTimersByTimeAsync(5000);
      expect(calls).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
