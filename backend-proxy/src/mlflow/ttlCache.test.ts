import { TtlCache } from './ttlCache';

class Outage extends Error {}

function makeCache(maxEntries = 10) {
  const clock = { now: 10_000 };
  const cache = new TtlCache<string>({
    ttlMs: 100,
    staleTtlMs: 1000,
    maxEntries,
    canServeStale: (err) => err instanceof Outage,
    now: () => clock.now,
  });
  return { cache, clock };
}

describe('TtlCache', () => {
  it('serves a fresh entry without calling the loader again', async () => {
    const { cache, clock } = makeCache();
    const loader = jest.fn(async () => 'v1');
    await cache.getOrLoad('k', loader);
    clock.now += 99;
    const hit = await cache.getOrLoad('k', loader);
    expect(hit).toEqual({ value: 'v1', fetchedAt: 10_000, stale: false });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('reloads once the entry expired', async () => {
    const { cache, clock } = makeCache();
    await cache.getOrLoad('k', async () => 'v1');
    clock.now += 100;
    const hit = await cache.getOrLoad('k', async () => 'v2');
    expect(hit).toEqual({ value: 'v2', fetchedAt: 10_100, stale: false });
  });

  it('serves the expired value flagged stale when the reload fails with an allowed error', async () => {
    const { cache, clock } = makeCache();
    await cache.getOrLoad('k', async () => 'v1');
    clock.now += 500;
    const hit = await cache.getOrLoad('k', async () => {
      throw new Outage('down');
    });
    expect(hit).toEqual({ value: 'v1', fetchedAt: 10_000, stale: true });
  });

  it('rethrows errors that may not be answered from cache, and outages once the stale limit passed', async () => {
    const { cache, clock } = makeCache();
    await cache.getOrLoad('k', async () => 'v1');
    clock.now += 500;
    await expect(
      cache.getOrLoad('k', async () => {
        throw new Error('not found');
      })
    ).rejects.toThrow('not found');
    clock.now = 10_000 + 100 + 1000;
    await expect(
      cache.getOrLoad('k', async () => {
        throw new Outage('down');
      })
    ).rejects.toThrow('down');
  });

  it('rethrows an outage when nothing was ever cached', async () => {
    const { cache } = makeCache();
    await expect(
      cache.getOrLoad('k', async () => {
        throw new Outage('down');
      })
    ).rejects.toBeInstanceOf(Outage);
  });

  it('shares one load between concurrent callers of a key', async () => {
    const { cache } = makeCache();
    let release: (v: string) => void = () => undefined;
    const loader = jest.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const a = cache.getOrLoad('k', loader);
    const b = cache.getOrLoad('k', loader);
    release('shared');
    expect((await a).value).toBe('shared');
    expect((await b).value).toBe('shared');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { cache } = makeCache(2);
    await cache.getOrLoad('a', async () => 'A');
    await cache.getOrLoad('b', async () => 'B');
    await cache.getOrLoad('a', async () => 'A2'); // fresh hit: makes "a" recently used
    await cache.getOrLoad('c', async () => 'C');
    expect(cache.size).toBe(2);
    const reloadB = jest.fn(async () => 'B2');
    const reloadA = jest.fn(async () => 'A3');
    expect((await cache.getOrLoad('a', reloadA)).value).toBe('A');
    expect((await cache.getOrLoad('b', reloadB)).value).toBe('B2');
    expect(reloadA).not.toHaveBeenCalled();
    expect(reloadB).toHaveBeenCalledTimes(1);
  });

  it('drops entries older than the stale limit when storing', async () => {
    const { cache, clock } = makeCache();
    await cache.getOrLoad('old', async () => 'x');
    clock.now += 1100;
    await cache.getOrLoad('new', async () => 'y');
    expect(cache.size).toBe(1);
  });
});
