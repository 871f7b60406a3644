/**
 * The provisioned dashboards as Grafana's file provider serves them: every `*.json` under the provider's folder
 * (`foldersFromFilesStructure: true`, so the sub-folder is the Grafana folder), answered by uid as
 * `GET /api/dashboards/uid/<uid>` does (`{ dashboard, meta }`) and listed as `GET /api/search` does.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export interface ProvisionedDashboard {
  uid: string;
  title: string;
  tags: string[];
  folderTitle: string;
  /** The file, relative to the provider's folder. */
  file: string;
  json: Record<string, unknown>;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

/** Grafana's slug of a title: lower case, runs of other characters as one dash. */
export function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Reads the folder once; a dashboard without a uid or title, or a uid used twice, is an error (Grafana refuses). */
export function loadDashboards(root: string): Map<string, ProvisionedDashboard> {
  const byUid = new Map<string, ProvisionedDashboard>();
  for (const path of jsonFiles(root).sort()) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const uid = json.uid;
    const title = json.title;
    if (typeof uid !== 'string' || typeof title !== 'string') throw new Error(`${path}: dashboard without uid/title`);
    const previous = byUid.get(uid);
    if (previous) throw new Error(`${path}: uid "${uid}" is also used by ${previous.file}`);
    const file = relative(root, path);
    const folder = file.includes('/') ? basename(join(path, '..')) : 'General';
    const tags = Array.isArray(json.tags) ? json.tags.filter((t): t is string => typeof t === 'string') : [];
    byUid.set(uid, { uid, title, tags, folderTitle: folder, file, json });
  }
  return byUid;
}

/** `GET /api/dashboards/uid/<uid>`'s body. */
export function dashboardAnswer(d: ProvisionedDashboard): Record<string, unknown> {
  return {
    dashboard: d.json,
    meta: {
      type: 'db',
      slug: slugOf(d.title),
      url: `/d/${d.uid}/${slugOf(d.title)}`,
      provisioned: true,
      provisionedExternalId: d.file,
      folderTitle: d.folderTitle,
      canEdit: false,
      canSave: false,
    },
  };
}

/** `GET /api/search?type=dash-db` rows, optionally filtered by tag (all given tags must match, as Grafana does). */
export function searchAnswer(
  dashboards: Iterable<ProvisionedDashboard>,
  tags: string[]
): Array<Record<string, unknown>> {
  return [...dashboards]
    .filter((d) => tags.every((t) => d.tags.includes(t)))
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((d) => ({
      uid: d.uid,
      title: d.title,
      type: 'dash-db',
      tags: d.tags,
      url: `/d/${d.uid}/${slugOf(d.title)}`,
      folderTitle: d.folderTitle,
    }));
}
