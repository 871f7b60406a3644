import {
  hellingerDistance,
  InsufficientDataError,
  InvalidInputError,
  jensenShannonDistance,
  lInfinityDistance,
} from './index';

const p = [10, 30, 0, 60];
const q = [25, 25, 25, 25];

describe.each([
  ['jensenShannonDistance', (a: number[], b: number[]) => jensenShannonDistance(a, b)],
  ['hellingerDistance', hellingerDistance],
  ['lInfinityDistance', lInfinityDistance],
] as const)('%s', (name, distance) => {
  test('is 0 for equal shares (whatever the counts) and 1 for disjoint supports', () => {
    expect(distance([1, 2, 3], [10, 20, 30])).toBeCloseTo(0, 15);
    expect(distance([1, 0], [0, 1])).toBeCloseTo(1, 15);
  });

  test('is symmetric and within [0, 1]', () => {
    expect(distance(p, q)).toBeCloseTo(distance(q, p), 15);
    expect(distance(p, q)).toBeGreaterThan(0);
    expect(distance(p, q)).toBeLessThan(1);
  });

  test('refuses empty distributions and negative counts', () => {
    expect(() => distance([0, 0], [1, 1])).toThrow(InsufficientDataError);
    expect(() => distance([-1, 2], [1, 1])).toThrow(new RegExp(`${name}: p\\[0\\]`));
  });
});

describe('jensenShannonDistance bases', () => {
  test('the distance in nats is the base-2 distance times √(ln 2)', () => {
    expect(jensenShannonDistance(p, q, Math.E)).toBeCloseTo(jensenShannonDistance(p, q, 2) * Math.sqrt(Math.LN2), 15);
  });

  test('mismatched lengths are invalid', () => {
    expect(() => jensenShannonDistance([1, 2], [1])).toThrow(InvalidInputError);
  });
});

describe('hellingerDistance', () => {
  test('equals ‖√p − √q‖₂ / √2', () => {
    const sp = p.reduce((s, v) => s + v, 0);
    const sq = q.reduce((s, v) => s + v, 0);
    const l2 = Math.sqrt(p.reduce((s, v, i) => s + (Math.sqrt(v / sp) - Math.sqrt((q[i] ?? 0) / sq)) ** 2, 0));
    expect(hellingerDistance(p, q)).toBeCloseTo(l2 / Math.SQRT2, 14);
  });
});
