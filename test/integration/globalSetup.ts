import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo, startMlflow } from '../support/mlflowServer';

/** Extra runs in the pagination experiment; the proxy under test pages 7 at a time. */
export const EXTRA_RUNS = 23;

/**
 * Starts one real MLflow server for the integration suite, seeds the demo into it, and leaves its URL and the
 * seed summary in a state file the tests read (jest globals do not reach test workers).
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const mlflow = await startMlflow();
  const summary = await seedDemo(mlflow.url, { extraRuns: EXTRA_RUNS });
  const dir = mkdtempSync(join(tmpdir(), 'mlsight-it-'));
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify({ url: mlflow.url, dataDir: mlflow.dataDir, summary }));
  process.env.MLSIGHT_IT_STATE = stateFile;
  (globalThis as { __mlsightMlflow?: typeof mlflow }).__mlsightMlflow = mlflow;
  console.log(`\n[it] MLflow ${mlflow.url} started and seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
