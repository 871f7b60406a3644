/**
 * Writes the persona dashboards to provisioning/dashboards/<Folder>/<file>.json, or with `--check` only compares
 * and exits 1 naming every file that differs from what the code produces.
 *
 * Usage: npx tsx provisioning/build/generate.ts [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROVISIONED_DASHBOARDS, renderDashboard } from './dashboards';

export const DASHBOARDS_DIR = resolve(__dirname, '..', 'dashboards');

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
  for (const { folder, file, dashboard } of PROVISIONED_DASHBOARDS) {
    const path = dashboardPath(folder, file);
    const content = renderDashboard(dashboard);
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
