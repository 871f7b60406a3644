import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const RESULTS_FILE = join(__dirname, 'results.json');

export interface BenchRow {
  name: string;
  ours: string;
  peer: string;
  ratio: string;
  target: string;
}

/** Merges one benchmark's section into results.json (with the machine it ran on) and prints its table. */
export function recordResults(section: string, data: unknown, rows: BenchRow[]): void {
  const previous = existsSync(RESULTS_FILE)
    ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>)
    : {};
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const next = { ...previous, machine, [section]: { at: new Date().toISOString(), ...(data as object) } };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`\n${section}`);
  console.table(rows);
}
