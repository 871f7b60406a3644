import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres';
import { BASE_MS, ROWS_PER_BATCH } from './durabilityChild';
import { openStore, type StoreConfig } from './index';

jest.setTimeout(180_000);

/** Acknowledged batches to wait for before each kill; different per trial, so the kill lands at other moments. */
const ACKS_BEFORE_KILL = [25, 7, 41];

let postgres: PostgresServer | undefined;
let dir: string;
let databases = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlsight-durability-'));
  // fsync on: the trial is about what a commit promises.
  postgres = await startPostgres({ fsync: true });
});
afterAll(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function freshStore(engine: 'sqlite' | 'postgres'): Promise<StoreConfig> {
  const n = ++databases;
  if (engine === 'sqlite') return { engine, sqlitePath: join(dir, `store-${n}.db`) };
  if (!postgres) throw new Error('postgres not started');
  const admin = new Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE durable_${n}`);
  await admin.end();
  return { engine, databaseUrl: postgres.url.replace(/\/[^/]+$/, `/durable_${n}`) };
}

/** Starts the writer, waits for `acks` acknowledged batches, kills it with SIGKILL, returns the acknowledged ones. */
async function writeAndKill(target: string, acks: number): Promise<number[]> {
  // Its own process group, so the kill reaches npx, tsx and the node process that writes.
  const child = spawn('npx', ['tsx', join(__dirname, 'durabilityChild.ts'), target], {
    cwd: join(__dirname, '..', '..', '..'),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const acked: number[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^ACK (\d+)$/.exec(line);
      if (match) acked.push(Number(match[1]));
      if (acked.length === acks) {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`child exited early after ${acked.length} acks: ${stderr}`)));
  });
  await exited;
  return acked;
}

describe.each(['sqlite', 'postgres'] as const)('durability on %s', (engine) => {
  it.each(ACKS_BEFORE_KILL)(
    'keeps every acknowledged batch when the writer is killed with SIGKILL after %i acknowledgements',
    async (acks) => {
      const config = await freshStore(engine);
      const acked = await writeAndKill(config.engine === 'sqlite' ? config.sqlitePath : config.databaseUrl, acks);
      const store = await openStore(config);
      try {
        const rows = await store.getPredictions({
          model: 'durable',
          fromMs: BASE_MS,
          toMs: BASE_MS + 1e12,
          limit: 1e7,
        });
        const perBatch = new Map<number, number>();
        for (const r of rows) {
          const batch = Number(/^b(\d+)-/.exec(r.predictionId)?.[1]);
          perBatch.set(batch, (perBatch.get(batch) ?? 0) + 1);
        }
        for (const b of acked) expect(perBatch.get(b)).toBe(ROWS_PER_BATCH);
        // A batch in flight at the kill is either wholly there or wholly absent.
        for (const count of perBatch.values()) expect(count).toBe(ROWS_PER_BATCH);
        expect(perBatch.size).toBeGreaterThanOrEqual(acked.length);
        // The sketches were committed in the same transactions as the rows.
        const sketches = await store.getFeatureSketches({
          model: 'durable',
          features: ['x'],
          roles: ['feature'],
          fromMs: BASE_MS,
          toMs: BASE_MS + 1e12,
          bucketMs: 86_400_000,
        });
        const counted = sketches?.series[0]?.buckets.reduce((n, b) => n + b.count + b.missing, 0);
        expect(counted).toBe(rows.length);
      } finally {
        await store.close();
      }
    }
  );
});
