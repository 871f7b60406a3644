/**
 * Child process of durability.test.ts: ingests batches into a drift store as fast as it can and prints
 * `ACK <batch>` after each batch's ingest call resolved (i.e. after the commit). The test kills it with SIGKILL
 * mid-stream and checks that every acknowledged batch survived.
 *
 *   npx tsx backend-proxy/src/store/durabilityChild.ts <sqlite file | postgres:// URL>
 */
import { openStore } from './index';

export const ROWS_PER_BATCH = 250;
export const BASE_MS = Date.UTC(2026, 10, 1);

/** The rows of batch `b`: ids `b<b>-<k>`, one second apart. */
export function durabilityBatch(b: number) {
  return Array.from({ length: ROWS_PER_BATCH }, (_, k) => ({
    prediction_id: `b${b}-${k}`,
    timestamp: BASE_MS + b * ROWS_PER_BATCH * 1000 + k * 1000,
    features: { x: (b * 31 + k) % 97, c: k % 3 === 0 ? 'a' : 'b' },
  }));
}

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: durabilityChild.ts <sqlite file | postgres:// URL>');
  const store = await openStore(
    target.startsWith('postgres')
      ? { engine: 'postgres', databaseUrl: target }
      : { engine: 'sqlite', sqlitePath: target }
  );
  await store.putReference('durable', {
    rows: Array.from({ length: 500 }, (_, i) => ({ features: { x: i % 97, c: i % 2 ? 'a' : 'b' } })),
  });
  process.stdout.write('READY\n');
  for (let b = 0; ; b++) {
    const { result } = await store.ingestPredictions('durable', durabilityBatch(b), { nowMs: BASE_MS });
    if (result.accepted !== ROWS_PER_BATCH) throw new Error(`batch ${b}: ${JSON.stringify(result)}`);
    process.stdout.write(`ACK ${b}\n`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
