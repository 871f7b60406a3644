import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * E2E suite of the plugins in the plugin host (test/host), against a real MLflow and the real proxy started by
 * test/e2e/globalSetup.ts. Debian's Chromium, headless; `npx playwright install` is not used. One project per
 * Grafana line whose shared modules are installed (13.2 + React 19 is optional, see test/host/README.md).
 */
const GRAFANA13_INSTALLED = existsSync(join(__dirname, 'test', 'host', 'grafana13', 'node_modules', '@grafana', 'ui'));

export interface HostLineOptions {
  hostLine: '12' | '13';
}

export default defineConfig<HostLineOptions>({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'grafana12', use: { hostLine: '12' } },
    ...(GRAFANA13_INSTALLED ? [{ name: 'grafana13', use: { hostLine: '13' as const } }] : []),
  ],
});
