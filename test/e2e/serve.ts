/**
 * Starts the E2E services (MLflow, proxy, host) and keeps them until Ctrl-C, printing the environment that makes
 * `npx playwright test` reuse them: a faster loop while writing tests. `npx tsx test/e2e/serve.ts`
 */
import globalSetup from './globalSetup';
import { E2E_ENV } from './env';

async function main(): Promise<void> {
  const teardown = await globalSetup();
  const exports = Object.values(E2E_ENV).map((name) => `export ${name}=${process.env[name] ?? ''}`);
  console.log(`[e2e] services up; in another shell:\n${exports.join('\n')}`);
  const stop = () => void teardown().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
