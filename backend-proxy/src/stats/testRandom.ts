// Test support: a seeded pseudo-random generator, so unit tests are deterministic (mulberry32 + Box-Muller).

/** Uniform [0, 1) generator from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n draws from N(mean, sd²). */
export function normalSample(rand: () => number, n: number, mean = 0, sd = 1): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const u = 1 - rand();
    const v = rand();
    out.push(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

/** n draws from the given categories with the given weights. */
export function categoricalSample<T>(
  rand: () => number,
  n: number,
  categories: readonly T[],
  weights: readonly number[]
): T[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    let u = rand() * sum;
    let k = 0;
    while (k < categories.length - 1 && u >= (weights[k] ?? 0)) {
      u -= weights[k] ?? 0;
      k++;
    }
    const c = categories[k];
    if (c !== undefined) out.push(c);
  }
  return out;
}
