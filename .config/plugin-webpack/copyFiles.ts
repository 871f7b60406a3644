import fs from 'fs';
import path from 'path';
import { fillPlaceholders, type PluginJson } from './utils';

export interface CopyContext {
  pluginJson: PluginJson;
  version: string;
  today: string;
  /** webpack mode, recorded in dist/plugin.json as create-plugin does (`buildMode`). */
  mode: 'production' | 'development';
}

interface CopyPattern {
  from: string;
  to: string;
  force?: boolean;
  noErrorOnMissing?: boolean;
  transform?: (content: Buffer) => string;
}

/**
 * Files Grafana reads next to module.js: plugin.json (placeholders filled), README and CHANGELOG (shown on the
 * plugin's page), the logos and screenshots named in plugin.json. Paths are relative to `src/`.
 */
export function copyFilePatterns(ctx: CopyContext): CopyPattern[] {
  const values = { version: ctx.version, today: ctx.today, pluginId: ctx.pluginJson.id };
  const text = (content: Buffer) => fillPlaceholders(content.toString('utf8'), values);
  const readme = fs.existsSync(path.resolve('src', 'README.md')) ? 'README.md' : '../README.md';

  return [
    { from: readme, to: 'README.md', force: true, transform: text },
    {
      from: 'plugin.json',
      to: '.',
      transform: (content) => JSON.stringify({ ...JSON.parse(text(content)), buildMode: ctx.mode }, null, 2) + '\n',
    },
    { from: '../CHANGELOG.md', to: '.', force: true },
    { from: '../LICENSE', to: '.', noErrorOnMissing: true },
    ...ctx.pluginJson.images.map((image) => ({ from: image, to: image })),
  ];
}
