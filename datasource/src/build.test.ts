/** @jest-environment node */
import { copyFilePatterns } from '../.config/bundler/copyFiles';
import { externals, SHARED_MODULES, SHARED_PATTERNS } from '../.config/bundler/externals';
import { fillPlaceholders } from '../.config/bundler/utils';

const pluginJson = { id: 'mlsight-mlflow-datasource', type: 'datasource', images: ['img/logo.svg'] };

describe('build configuration', () => {
  it("keeps Grafana's shared modules external, including the JSX runtime", () => {
    for (const name of ['react', 'react-dom', 'react/jsx-runtime', '@emotion/css', 'rxjs', 'lodash', 'd3', 'moment']) {
      expect(SHARED_MODULES).toContain(name);
    }
    for (const name of ['@grafana/data', '@grafana/ui', '@grafana/runtime']) {
      expect(SHARED_PATTERNS.some((p) => p.test(name))).toBe(true);
    }
    expect(externals).toEqual(expect.arrayContaining([{ 'amd-module': 'module' }]));
  });

  it('does not make the contract or zod external (they are bundled)', () => {
    const all = [...SHARED_MODULES, ...SHARED_PATTERNS.map(String)];
    expect(all.some((name) => name.includes('mlsight') || name.includes('zod'))).toBe(false);
  });

  it('fills %VERSION%, %TODAY% and %PLUGIN_ID%', () => {
    const values = { version: '1.2.3', today: '2026-11-25', pluginId: 'x-y-datasource' };
    expect(fillPlaceholders('%PLUGIN_ID% %VERSION% (%TODAY%), %VERSION%', values)).toBe(
      'x-y-datasource 1.2.3 (2026-11-25), 1.2.3'
    );
  });

  it('writes dist/plugin.json with version, date and build mode', () => {
    const patterns = copyFilePatterns({ pluginJson, version: '0.1.0', today: '2026-11-25', mode: 'production' });
    const pluginPattern = patterns.find((p) => p.from === 'plugin.json');
    const source = Buffer.from(JSON.stringify({ id: 'a', info: { version: '%VERSION%', updated: '%TODAY%' } }));
    const out = JSON.parse(pluginPattern?.transform?.(source) ?? '{}');
    expect(out).toEqual({ id: 'a', info: { version: '0.1.0', updated: '2026-11-25' }, buildMode: 'production' });
    expect(patterns.map((p) => p.to)).toEqual(expect.arrayContaining(['README.md', 'img/logo.svg']));
    expect(patterns.map((p) => p.from)).toEqual(expect.arrayContaining(['../CHANGELOG.md']));
  });
});
