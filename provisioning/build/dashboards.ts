/**
 * The provisioned persona dashboards: which folder (Grafana's `foldersFromFilesStructure` turns the directory into
 * the folder title) and which file each one is written to.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { businessDashboard } from './personas/business';
import { dataEngineerDashboard } from './personas/dataEngineer';
import { dataScientistDashboard } from './personas/dataScientist';
import { featureDriftDashboard } from './personas/featureDrift';
import { mlEngineerDashboard } from './personas/mlEngineer';
import { supportDashboard } from './personas/support';

export interface ProvisionedDashboard {
  folder: string;
  file: string;
  dashboard: Dashboard;
}

export const PROVISIONED_DASHBOARDS: readonly ProvisionedDashboard[] = [
  { folder: 'Business', file: 'model-health.json', dashboard: businessDashboard },
  { folder: 'Data Scientist', file: 'data-scientist.json', dashboard: dataScientistDashboard },
  { folder: 'Data Scientist', file: 'feature-drift.json', dashboard: featureDriftDashboard },
  { folder: 'ML Engineer', file: 'ml-engineer.json', dashboard: mlEngineerDashboard },
  { folder: 'Data Engineer', file: 'data-engineer.json', dashboard: dataEngineerDashboard },
  { folder: 'Support', file: 'support.json', dashboard: supportDashboard },
];

/** The file's content exactly as committed: two-space JSON and a final newline. */
export function renderDashboard(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
