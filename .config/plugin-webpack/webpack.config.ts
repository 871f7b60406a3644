/**
 * The one build of every MLSight Grafana plugin (the data source and the panels): each package's
 * `.config/webpack/webpack.config.ts` re-exports it and runs it from the package folder (paths resolve from the
 * working directory). It builds the plugin the way Grafana's create-plugin scaffolds one: an AMD `dist/module.js` whose shared modules
 * (React, @grafana/*, rxjs, …) are externals that Grafana's SystemJS loader provides, SWC for TypeScript, and
 * plugin.json / README / CHANGELOG / logos next to it with `%VERSION%` and `%TODAY%` filled.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import fs from 'fs';
import path from 'path';
import webpack, { type Configuration } from 'webpack';
import { copyFilePatterns } from './copyFiles';
import { externals } from './externals';
import { distDir, getEntry, getPackageJson, getPluginJson, sourceDir } from './utils';

export type Env = Record<string, string | boolean | undefined>;

/**
 * The contract is bundled from its compiled output (contract/dist); a missing or stale build would ship an old wire
 * contract, so the build stops and says how to fix it.
 */
function assertContractBuilt(): void {
  const fix = 'run `npx tsc -b contract` from the repository root';
  let entry: string;
  try {
    entry = require.resolve('@mlsight/contract');
  } catch {
    throw new Error(`@mlsight/contract is not built: ${fix}`);
  }
  const srcDir = path.resolve(path.dirname(entry), '..', 'src');
  if (!fs.existsSync(srcDir)) return;
  // tsc rewrites only outputs whose content changed, but always refreshes its build info after a build.
  const buildInfo = path.join(path.dirname(entry), '.tsbuildinfo');
  const built = Math.max(fs.statSync(entry).mtimeMs, fs.existsSync(buildInfo) ? fs.statSync(buildInfo).mtimeMs : 0);
  const stale = fs
    .readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && fs.statSync(path.join(srcDir, f)).mtimeMs > built);
  if (stale.length > 0) throw new Error(`contract/dist is older than contract/src (${stale.join(', ')}): ${fix}`);
}

const config = (env: Env = {}): Configuration => {
  assertContractBuilt();
  const production = Boolean(env.production);
  const mode = production ? 'production' : 'development';
  const pluginJson = getPluginJson();
  const { version } = getPackageJson();
  const today = new Date().toISOString().slice(0, 10);

  return {
    mode,
    context: sourceDir(),
    // Four plugins build in one `npm run build`: print problems and the asset summary, not every module.
    stats: { preset: 'errors-warnings', assets: true, assetsSort: 'name' },
    devtool: production ? 'source-map' : 'eval-source-map',
    // The public-path prelude runs first; the AMD module's exports are those of module.ts (the last entry item).
    entry: { module: [path.resolve(__dirname, 'publicPath.ts'), getEntry()] },
    externals,
    module: {
      rules: [
        {
          test: /\.[tj]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic' } },
                target: 'es2020',
              },
            },
          },
        },
        { test: /\.(png|jpe?g|gif|svg)$/, type: 'asset/resource', generator: { filename: '[hash][ext]' } },
      ],
    },
    output: {
      clean: true,
      filename: '[name].js',
      chunkFilename: production ? '[name].js?_cache=[contenthash]' : '[name].js',
      library: { type: 'amd' },
      path: distDir(),
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
      crossOriginLoading: 'anonymous',
    },
    plugins: [
      new webpack.DefinePlugin({ 'process.env.PLUGIN_ID': JSON.stringify(pluginJson.id) }),
      new CopyWebpackPlugin({ patterns: copyFilePatterns({ pluginJson, version, today, mode }) }),
    ],
    resolve: {
      // No `fallback` for Node built-ins on purpose: webpack 5 then fails the build if browser code pulls one in.
      extensions: ['.ts', '.tsx', '.js', '.jsx'],
      // The contract's CommonJS output requires zod; its ES-module build lets webpack drop what the contract never
      // uses (64 locales, JSON-schema tooling): about 150 KB instead of 540 KB minified.
      alias: { zod$: path.join(path.dirname(require.resolve('zod/package.json')), 'index.js') },
    },
    performance: { hints: production ? 'warning' : false, maxEntrypointSize: 400_000, maxAssetSize: 400_000 },
  };
};

export default config;
