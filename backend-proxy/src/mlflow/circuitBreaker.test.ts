import { CircuitBreaker, type CircuitState } from './circuitBreaker';

function makeBreaker(failureThreshold = 3, resetMs = 1000) {
  const clock = { now: 0 };
  const changes: Array<[CircuitState, CircuitState]> = [];
  const breaker = new CircuitBreaker({
    failureThreshold,
    resetMs,
    now: () => clock.now,
    onStateChange: (from, to) => changes.push([from, to]),
  });
  return { breaker, clock, changes };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and refuses calls while open', () => {
    const { breaker } = makeBreaker(3);
    for (let i = 0; i < 2; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('counts only consecutive failures: a success in between resets the count', () => {
    const { breaker } = makeBreaker(2);
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('half-opens after resetMs, lets exactly one trial through, and closes when it succeeds', () => {
    const { breaker, clock, changes } = makeBreaker(1, 1000);
    breaker.recordFailure();
    clock.now = 999;
    expect(breaker.retryInMs()).toBe(1);
    expect(breaker.tryAcquire()).toBe(false);
    clock.now = 1000;
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
  });

  it('re-opens for another resetMs when the trial fails', () => {
    const { breaker, clock } = makeBreaker(1, 1000);
    breaker.recordFailure();
    clock.now = 1500;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryInMs()).toBe(1000);
    clock.now = 2499;
    expect(breaker.tryAcquire()).toBe(false);
    clock.now = 2500;
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('refuses impossible settings', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, resetMs: 1 })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreaker({ failureThreshold: 1, resetMs: -1 })).toThrow(/resetMs/);
  });
});
