// The build is shared by every MLSight plugin (.config/plugin-webpack at the repository root). The app adds what
// Grafana reads from an app's folder besides module.js: the persona dashboards its plugin.json `includes` (built from
// provisioning/, never copied into the source tree) and the nested plugins it brings along (their own dist folders).
import path from 'path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import shared, { type Env } from '../../../.config/plugin-webpack/webpack.config';
import { includedFiles } from './includedFiles';

export type { Env };

const config = (env: Env = {}): Configuration => {
  const base = shared(env);
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  return {
    ...base,
    plugins: [...(base.plugins ?? []), new CopyWebpackPlugin({ patterns: includedFiles(repoRoot) })],
    // The budget is module.js's (it bundles @grafana/scenes), not the nested plugins' binaries copied beside it.
    performance: {
      ...base.performance,
      maxEntrypointSize: 700_000,
      maxAssetSize: 700_000,
      assetFilter: (file: string) => /^[^/]+\.js$/.test(file),
    },
  };
};

export default config;
