import { setImmediate as nextTurn } from 'node:timers/promises';
import { buildReference, buildReferenceInSlices } from './profile';
import { runSteps, runStepsInSlices, type Steps } from './steps';
import { checkReferenceRow, isRowError, type ReferenceRowInput } from './validate';

function* count(n: number): Steps<number> {
  let total = 0;
  for (let i = 0; i < n; i++) {
    yield;
    total += i;
  }
  return total;
}

describe('steps', () => {
  it('give the same result at once and in slices', async () => {
    expect(runSteps(count(1000))).toBe(499_500);
    await expect(runStepsInSlices(count(1000), 0)).resolves.toBe(499_500);
  });

  it('let the event loop run between slices (a 2,000-feature reference held /healthz for seconds)', async () => {
    let turns = 0;
    let running = true;
    const ticker = (async () => {
      while (running) {
        await nextTurn();
        turns++;
      }
    })();
    await runStepsInSlices(count(50), 0);
    running = false;
    await ticker;
    expect(turns).toBeGreaterThanOrEqual(40);
  });

  it('build the same reference profile in slices as at once', async () => {
    const rows: ReferenceRowInput[] = [];
    for (let i = 0; i < 300; i++) {
      const checked = checkReferenceRow({ features: { x: (i * 37) % 101, c: ['a', 'b', 'c'][i % 3], n: null } }, i);
      if (!isRowError(checked)) rows.push(checked);
    }
    const opts = { maxCategories: 100 };
    expect(await buildReferenceInSlices(rows, opts)).toEqual(buildReference(rows, opts));
  });
});
