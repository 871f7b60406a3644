/**
 * 53-bit hash of a prediction id (two 32-bit multiply-xorshift lanes, after cyrb53). The dedupe index stores this
 * integer instead of the id text: entries are 3-4x smaller, so a batch of random ids (UUIDs) touches far fewer
 * B-tree pages. Collisions are resolved by comparing the stored id (see the store's overflow table).
 * @returns an integer in [0, 2^53)
 */
export function idHash(id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
