import fs from 'fs';
import path from 'path';

interface CopyPattern {
  from: string;
  to: string;
  /** Grafana's nested plugins keep their own folders; the app's copy must not be minified or renamed. */
  info?: { minimized: boolean };
}

interface Include {
  type: string;
  path?: string;
}

/** The plugins an install of the app brings (Grafana loads every plugin.json below an app's folder as its child). */
export const NESTED_PLUGINS: Record<string, string> = {
  datasource: 'datasource/dist',
  'panels/drift-heatmap': 'panels/drift-heatmap/dist',
  'panels/explanation-bars': 'panels/explanation-bars/dist',
  'panels/provenance-graph': 'panels/provenance-graph/dist',
};

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/**
 * What the app's plugin.json `includes` as dashboards (`dashboards/<file>.json`), taken from the generated
 * provisioning JSON of the same file name, and the nested plugins' built folders. Throws when a dashboard is not
 * provisioned or a plugin is not built yet (the root build runs the app last), so a release cannot miss one.
 */
export function includedFiles(repoRoot: string, pluginJsonPath = path.resolve('src', 'plugin.json')): CopyPattern[] {
  const json = JSON.parse(fs.readFileSync(pluginJsonPath, 'utf8')) as { includes?: Include[] };
  const provisioned = walk(path.join(repoRoot, 'provisioning', 'dashboards')).filter((f) => f.endsWith('.json'));
  const dashboards = (json.includes ?? [])
    .filter((include) => include.type === 'dashboard')
    .map((include) => {
      const target = include.path ?? '';
      const source = provisioned.find((file) => path.basename(file) === path.basename(target));
      if (!source) throw new Error(`plugin.json includes ${target}, which provisioning/dashboards does not have`);
      return { from: source, to: target };
    });
  const plugins = Object.entries(NESTED_PLUGINS).map(([to, from]) => {
    const dist = path.join(repoRoot, from);
    if (!fs.existsSync(path.join(dist, 'plugin.json'))) throw new Error(`${from} is not built: run npm run build`);
    return { from: dist, to, info: { minimized: true } };
  });
  return [...dashboards, ...plugins];
}
