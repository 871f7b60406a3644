import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BASE_MS, ROWS_PER_BATCH } from './durabilityChild';
import { openSqliteStore } from './sqliteStore';

jest.setTimeout(180_000);

/** Acknowledged batches to wait for before the kill. */
const ACKS_BEFORE_KILL = 25;

describe('SQLite durability', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-durability-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged batch when the writer is killed with SIGKILL mid-stream', async () => {
    const file = join(dir, 'store.db');
    // Its own process group, so the kill reaches npx, tsx and the node process that writes.
    const child = spawn('npx', ['tsx', join(__dirname, 'durabilityChild.ts'), file], {
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
        if (acked.length === ACKS_BEFORE_KILL) {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`child exited early after ${acked.length} acks: ${stderr}`)));
    });
    await exited;

    const store = await openSqliteStore(file);
    try {
      const rows = await store.getPredictions({ model: 'durable', fromMs: BASE_MS, toMs: BASE_MS + 1e12, limit: 1e7 });
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
  });
});
