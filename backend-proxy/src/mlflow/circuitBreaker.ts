export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  resetMs: number;
  /** Clock in epoch ms; injectable so tests need no real waiting. */
  now?: () => number;
  /** Called on every state change (for logs). */
  onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

/**
 * A circuit breaker (Nygard, "Release It!", ch. 5): closed → open after `failureThreshold` consecutive
 * failures → half-open once `resetMs` has passed, letting exactly one trial call through → closed when the
 * trial succeeds, open again when it fails. The caller decides what a failure is.
 *
 * @example
 * if (!breaker.tryAcquire()) throw circuitOpen(breaker.retryInMs());
 * try { const r = await call(); breaker.recordSuccess(); return r; } catch (e) { breaker.recordFailure(); throw e; }
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new RangeError('CircuitBreaker: failureThreshold must be an integer ≥ 1');
    }
    if (!(options.resetMs >= 0)) throw new RangeError('CircuitBreaker: resetMs must be ≥ 0');
    this.now = options.now ?? Date.now;
  }

  /** The state as of now: an open circuit whose reset time has passed reports half-open. */
  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.resetMs) return 'half_open';
    return this.current;
  }

  /**
   * Asks to make a call. True when closed, or when this caller gets the single half-open trial;
   * false while open or while another trial is running. A caller that got true must report the outcome.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.transition('half_open');
    this.trialInFlight = true;
    return true;
  }

  /** Milliseconds until a trial call will be allowed (0 when calls are allowed now). */
  retryInMs(): number {
    if (this.current !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.resetMs - this.now());
  }

  /** The call got an answer that proves the server is healthy (any non-failure outcome counts). */
  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.current !== 'closed') this.transition('closed');
  }

  /** The call failed in a way that counts (unreachable, timeout, 5xx, 429). */
  recordFailure(): void {
    this.failures++;
    const failedTrial = this.current === 'half_open';
    this.trialInFlight = false;
    if (failedTrial || (this.current === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  private transition(to: CircuitState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.options.onStateChange?.(from, to);
  }
}
