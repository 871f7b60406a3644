import { authorizationHeader, backoffDelay, parseRetryAfter } from './http';

describe('backoffDelay', () => {
  it('doubles per attempt, keeps half fixed and half random, and stops at the cap', () => {
    for (const attempt of [0, 1, 2, 3]) {
      const ceiling = 100 * 2 ** attempt;
      expect(backoffDelay(attempt, 100, 10_000, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(attempt, 100, 10_000, () => 0.999999)).toBeLessThanOrEqual(ceiling);
      expect(backoffDelay(attempt, 100, 10_000, () => 0.999999)).toBeGreaterThan(ceiling * 0.99);
    }
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores junk', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('authorizationHeader', () => {
  it('encodes basic credentials as UTF-8 base64 and passes bearer tokens through', () => {
    const basic = authorizationHeader({ type: 'basic', username: 'ana', password: 'pä:ss' });
    expect(basic).toMatch(/^Basic /);
    expect(Buffer.from((basic ?? '').slice(6), 'base64').toString('utf8')).toBe('ana:pä:ss');
    expect(authorizationHeader({ type: 'bearer', token: 'tok-123' })).toBe('Bearer tok-123');
    expect(authorizationHeader({ type: 'none' })).toBeUndefined();
  });
});
