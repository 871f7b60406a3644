/**
 * Writes the persona dashboards to provisioning/dashboards/<Folder>/<file>.json and the direct alert rules to
 * provisioning/alerting/mlsight-direct-alerts.yaml, or with `--check` only compares and exits 1 naming every file
 * that differs from what the code produces.
 *
 * Usage: npx tsx provisioning/build/generate.ts [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROVISIONED_DASHBOARDS, renderDashboard } from './dashboards';
import { DIRECT_ALERTS_FILE, renderDirectAlerts } from './directAlerts';

export const DASHBOARDS_DIR = resolve(__dirname, '..', 'dashboards');
export const DIRECT_ALERTS_PATH = resolve(__dirname, '..', 'alerting', DIRECT_ALERTS_FILE);

export function dashboardPath(folder: string, file: string): string {
  return join(DASHBOARDS_DIR, folder, file);
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const stale: string[] = [];
  const outputs = [
    ...PROVISIONED_DASHBOARDS.map(({ folder, file, dashboard }) => ({
      path: dashboardPath(folder, file),
      content: renderDashboard(dashboard),
    })),
    { path: DIRECT_ALERTS_PATH, content: renderDirectAlerts() },
  ];
  for (const { path, content } of outputs) {
    const shown = relative(process.cwd(), path);
    if (readOrEmpty(path) === content) continue;
    if (check) {
      stale.push(shown);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    console.log(`wrote ${shown}`);
  }
  if (stale.length > 0) {
    console.error(`out of date (run npx tsx provisioning/build/generate.ts): ${stale.join(', ')}`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
