import { buildFrame, type QueryRequest } from '@mlsight/contract';
import pino from 'pino';
import { loadConfig } from '../config/config';
import { unreachableMlflow } from '../mlflow/testing/unreachableMlflow';
import { queryHandlers, type QueryHandlers } from '../queries';
import { executeQueries } from './executeQueries';
import { SharedAnswers } from './sharedAnswers';

const config = loadConfig({ MLSIGHT_AUTH: 'off' });
const mlflow = unreachableMlflow();
const log = pino({ level: 'silent' });

/** A `runs` handler that counts its calls and answers when `release()` is called (all pending calls at once). */
function gatedRuns() {
  let calls = 0;
  let releases: Array<() => void> = [];
  const handlers: QueryHandlers = {
    ...queryHandlers,
    runs: async (_q, ctx) => {
      calls++;
      const call = calls;
      await new Promise<void>((resolve) => releases.push(resolve));
      if (call === 1) ctx.mlflowCall.staleSince = Date.UTC(2026, 0, 1);
      return [buildFrame({ fields: [{ name: 'call', type: 'number', values: [call] }] })];
    },
  };
  return {
    handlers,
    calls: () => calls,
    release: () => {
      releases.forEach((r) => r());
      releases = [];
    },
  };
}

const at = (toMs: number, refId: string): QueryRequest => ({
  from: toMs - 3_600_000,
  to: toMs,
  queries: [{ refId, queryType: 'runs', experiment: 'e' }],
});

const callOf = (response: Awaited<ReturnType<typeof executeQueries>>, refId: string) =>
  response.results[refId]?.frames[0]?.data.values[0]?.[0];

/** Lets pending promise callbacks (the handler's entry) run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('SharedAnswers', () => {
  it('computes an identical query once for everyone asking while it is computed, each with its own refId', async () => {
    const gate = gatedRuns();
    const deps = { handlers: gate.handlers, mlflow, config, log, shared: new SharedAnswers(0) };
    const first = executeQueries(at(10_000_000, 'A'), deps);
    await settle();
    const second = executeQueries(at(10_000_000, 'B'), deps);
    await settle();
    gate.release();
    const [a, b] = await Promise.all([first, second]);
    expect(gate.calls()).toBe(1);
    expect(a.results.A?.frames[0]?.schema.refId).toBe('A');
    expect(b.results.B?.frames[0]?.schema.refId).toBe('B');
    expect(callOf(b, 'B')).toBe(1);
    // The MLflow staleness of the shared computation reaches every request that shares it.
    expect(b.results.B?.frames[0]?.schema.meta?.custom).toEqual({ stale: true });
  });

  it('keeps nothing once computed when the max age is 0: the next request computes afresh', async () => {
    const gate = gatedRuns();
    const deps = { handlers: gate.handlers, mlflow, config, log, shared: new SharedAnswers(0) };
    const first = executeQueries(at(10_000_000, 'A'), deps);
    await settle();
    gate.release();
    await first;
    const again = executeQueries(at(10_000_000, 'A'), deps);
    await settle();
    gate.release();
    expect(callOf(await again, 'A')).toBe(2);
  });

  it('does not share between ranges that differ, without a max age', async () => {
    const gate = gatedRuns();
    const deps = { handlers: gate.handlers, mlflow, config, log, shared: new SharedAnswers(0) };
    const first = executeQueries(at(10_000_000, 'A'), deps);
    const moved = executeQueries(at(10_000_001, 'A'), deps);
    await settle();
    gate.release();
    await Promise.all([first, moved]);
    expect(gate.calls()).toBe(2);
  });

  it('with a max age, shares a finished answer over ranges equal to within that age', async () => {
    const gate = gatedRuns();
    const deps = { handlers: gate.handlers, mlflow, config, log, shared: new SharedAnswers(10_000) };
    const first = executeQueries(at(10_000_000, 'A'), deps);
    await settle();
    gate.release();
    await first;
    // Five seconds later (the same 10-second step): the finished answer is shared.
    expect(callOf(await executeQueries(at(10_005_000, 'A'), deps), 'A')).toBe(1);
    // The next step: computed again.
    const next = executeQueries(at(10_010_000, 'A'), deps);
    await settle();
    gate.release();
    expect(callOf(await next, 'A')).toBe(2);
  });

  it('gives a failure to every request sharing it and keeps it for none', async () => {
    let calls = 0;
    let fail: (err: Error) => void = () => undefined;
    const handlers: QueryHandlers = {
      ...queryHandlers,
      runs: async () => {
        calls++;
        if (calls === 1) await new Promise<void>((_resolve, reject) => (fail = reject));
        return [buildFrame({ fields: [{ name: 'call', type: 'number', values: [calls] }] })];
      },
    };
    const deps = { handlers, mlflow, config, log, shared: new SharedAnswers(10_000) };
    const first = executeQueries(at(10_000_000, 'A'), deps);
    await settle();
    const second = executeQueries(at(10_000_000, 'B'), deps);
    await settle();
    fail(new Error('bug'));
    const [a, b] = await Promise.all([first, second]);
    expect(a.results.A?.status).toBe(500);
    expect(b.results.B?.status).toBe(500);
    expect(calls).toBe(1);
    expect(callOf(await executeQueries(at(10_000_000, 'C'), deps), 'C')).toBe(2);
  });
});
