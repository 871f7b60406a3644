/** @jest-environment node */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { includedFiles, NESTED_PLUGINS } from '../.config/webpack/includedFiles';

const repoRoot = path.resolve(__dirname, '..', '..');
const pluginJsonPath = path.join(__dirname, 'plugin.json');
const pluginJson = JSON.parse(fs.readFileSync(pluginJsonPath, 'utf8')) as {
  includes: Array<{ type: string; uid?: string; id?: string; path?: string }>;
};
const built = Object.values(NESTED_PLUGINS).every((dist) => fs.existsSync(path.join(repoRoot, dist, 'plugin.json')));

describe('what the app includes', () => {
  (built ? it : it.skip)('takes each included dashboard from provisioning, the one with the same uid', () => {
    const copies = includedFiles(repoRoot, pluginJsonPath);
    const dashboards = pluginJson.includes.filter((i) => i.type === 'dashboard');
    expect(dashboards.length).toBe(6);
    for (const include of dashboards) {
      const copy = copies.find((c) => c.to === include.path);
      const json = JSON.parse(fs.readFileSync(copy?.from ?? '', 'utf8')) as { uid: string; title: string };
      expect(json.uid).toBe(include.uid);
    }
  });

  (built ? it : it.skip)('brings the data source and the three panels, each under the path its include names', () => {
    const copies = includedFiles(repoRoot, pluginJsonPath);
    for (const include of pluginJson.includes.filter((i) => i.type === 'datasource' || i.type === 'panel')) {
      const copy = copies.find((c) => c.to === include.path);
      const nested = JSON.parse(fs.readFileSync(path.join(copy?.from ?? '', 'plugin.json'), 'utf8')) as { id: string };
      expect(nested.id).toBe(include.id);
    }
  });

  it('names every provisioned persona dashboard', () => {
    const provisioned = fs
      .readdirSync(path.join(repoRoot, 'provisioning', 'dashboards'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.basename(f))
      .sort();
    const included = pluginJson.includes
      .filter((i) => i.type === 'dashboard')
      .map((i) => path.basename(i.path ?? ''))
      .sort();
    expect(included).toEqual(provisioned);
  });

  it('refuses a dashboard that provisioning does not have', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'app-include-'));
    const file = path.join(tmp, 'plugin.json');
    fs.writeFileSync(file, JSON.stringify({ includes: [{ type: 'dashboard', path: 'dashboards/nope.json' }] }));
    expect(() => includedFiles(repoRoot, file)).toThrow(/nope.json, which provisioning\/dashboards does not have/);
  });
});
