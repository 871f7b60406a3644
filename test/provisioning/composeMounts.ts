/**
 * docker-compose.yml's bind mounts against what the containers read there: every mounted path exists in the
 * repository, and it is the kind of thing the image expects at the target (a directory of provisioning YAML for
 * Grafana's provisioning/<kind> directories, a plugin directory with its plugin.json for Grafana's plugins
 * directory, a file where a single file is mounted).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue, RuleRef } from './grafanaRules';

export const MOUNT_RULES = {
  exists: { id: 'compose-mount-exists', source: 'https://docs.docker.com/reference/compose-file/services/#volumes' },
  provisioningDir: {
    id: 'compose-grafana-provisioning-dir',
    source:
      'https://grafana.com/docs/grafana/latest/administration/provisioning/ (provisioning/<datasources|dashboards|' +
      'alerting|plugins> are directories; Grafana reads every *.yaml / *.yml file in them)',
  },
  pluginDir: {
    id: 'compose-grafana-plugin-dir',
    source:
      'https://grafana.com/docs/grafana/latest/administration/plugin-management/ (a plugin is a directory under the ' +
      "plugins path, /var/lib/grafana/plugins in the image, holding plugin.json; named volumes' ids must match)",
  },
  fileOrDir: {
    id: 'compose-mount-kind',
    source:
      'https://docs.docker.com/engine/storage/bind-mounts/ (a file mounted where a file is read, else a directory)',
  },
  namedVolume: {
    id: 'compose-named-volume',
    source: 'https://docs.docker.com/reference/compose-file/volumes/ (a named volume is declared under volumes:)',
  },
} as const satisfies Record<string, RuleRef>;

const GRAFANA_PROVISIONING = /^\/etc\/grafana\/provisioning\/(datasources|dashboards|alerting|plugins)$/;
const GRAFANA_PLUGINS = /^\/var\/lib\/grafana\/plugins\/([^/]+)$/;
const FILE_TARGET = /\.(ya?ml|json|ini|conf)$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A plugin's `dist/` is built by `npm run build`; when it is not built yet, its package's src/plugin.json stands in
 * (the build copies it), so the check does not depend on a build having run.
 */
function pluginIdAt(repo: string, source: string): string | undefined {
  const candidates = [join(repo, source, 'plugin.json')];
  if (source.endsWith('/dist')) candidates.push(join(repo, source.slice(0, -'/dist'.length), 'src', 'plugin.json'));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const plugin: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isObj(plugin) && typeof plugin.id === 'string' ? plugin.id : undefined;
  }
  return undefined;
}

export function checkComposeMounts(compose: unknown, repo: string): Issue[] {
  const issues: Issue[] = [];
  const add = (rule: RuleRef, message: string) => issues.push({ file: 'docker-compose.yml', rule: rule.id, message });
  if (!isObj(compose) || !isObj(compose.services)) {
    add(MOUNT_RULES.exists, 'has no services');
    return issues;
  }
  const named = isObj(compose.volumes) ? Object.keys(compose.volumes) : [];
  for (const [service, raw] of Object.entries(compose.services)) {
    const volumes = isObj(raw) && Array.isArray(raw.volumes) ? raw.volumes.map(String) : [];
    for (const volume of volumes) {
      const [source = '', target = ''] = volume.split(':');
      const what = `${service}: ${source} → ${target}`;
      if (!source.startsWith('./') && !source.startsWith('/')) {
        if (!named.includes(source)) add(MOUNT_RULES.namedVolume, `${what}: volume "${source}" is not declared`);
        continue;
      }
      const plugin = GRAFANA_PLUGINS.exec(target);
      if (plugin) {
        const id = pluginIdAt(repo, source);
        if (id === undefined) add(MOUNT_RULES.pluginDir, `${what}: no plugin.json (neither built nor in src/)`);
        else if (id !== plugin[1]) add(MOUNT_RULES.pluginDir, `${what}: the plugin's id is ${id}`);
        continue;
      }
      const path = join(repo, source);
      if (!existsSync(path)) {
        add(MOUNT_RULES.exists, `${what}: ${source} does not exist`);
        continue;
      }
      const isDir = statSync(path).isDirectory();
      if (GRAFANA_PROVISIONING.test(target)) {
        const yaml = isDir ? readdirSync(path).filter((f) => /\.ya?ml$/.test(f)) : [];
        if (yaml.length === 0) add(MOUNT_RULES.provisioningDir, `${what}: not a directory with *.yaml files`);
        continue;
      }
      if (FILE_TARGET.test(target) === isDir)
        add(
          MOUNT_RULES.fileOrDir,
          `${what}: a ${isDir ? 'directory' : 'file'} where a ${isDir ? 'file' : 'directory'} is read`
        );
    }
  }
  return issues;
}
