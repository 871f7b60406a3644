/**
 * Panel render benchmark: the drift heatmap panel drawing 100 features × 720 hourly buckets in headless Chromium,
 * loaded by the plugin host exactly as the E2E suite loads it (built `dist/module.js` through the AMD loader, the
 * Grafana 12.0.2 shared modules, `applyFieldOverrides` done first as Grafana's query runner does). Each render gets
 * a freshly decoded frame, so the panel rebuilds its model, layout and canvas every time. Also reports each panel
 * bundle's gzip size. No peer exists for a panel render (Grafana's own heatmap cannot read these frames), so the
 * table has none.
 *
 *   npx tsx test/bench/panelRenderBench.ts [--renders 60] [--warmup 5] [--features 100] [--buckets 720]
 */
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildDriftHeatmapFrame, type DataFrameJSON } from '@mlsight/contract';
import { seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { buildHost } from '../host/build';
import { APP_PLUGIN, DATASOURCE_DIST, mlsightDataSource, PANEL_PLUGINS, startHostServer } from '../host/server';
import type { PanelBenchHook, RenderTiming } from '../host/src/panels/benchHook';
import { percentile } from './loadgen';
import { recordResults } from './results';
import { parseBenchArgs } from './benchArgs';

const HOUR = 3_600_000;
const TARGET_MS = 50;
const BUNDLE_TARGET_KB = 150;
const PANEL = { width: 1600, height: 900 };
const HEATMAP_ID = 'mlsight-driftheatmap-panel';

interface Args {
  renders: number;
  warmup: number;
  features: number;
  buckets: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args = parseBenchArgs(argv);
  return {
    renders: args.number('renders', 60),
    warmup: args.number('warmup', 5),
    features: args.number('features', 100),
    buckets: args.number('buckets', 720),
  };
}

/** A heatmap frame with KS-like p-values: most cells quiet, every seventh feature drifting in its last third. */
function heatmapFrame(features: number, buckets: number, seed: number): DataFrameJSON {
  const random = seededRandom(seed);
  const start = Math.floor(Date.now() / HOUR) * HOUR - buckets * HOUR;
  const times = Array.from({ length: buckets }, (_, i) => start + i * HOUR);
  const series = Array.from({ length: features }, (_, f) => {
    const drifting = f % 7 === 0;
    const scores = times.map((_, i) => (drifting && i > (buckets * 2) / 3 ? random() * 0.01 : 0.05 + random() * 0.95));
    return {
      feature: `feature_${String(f).padStart(3, '0')}`,
      method: 'ks',
      threshold: 0.05,
      direction: 'below' as const,
      scores,
      pValues: scores,
      rows: times.map(() => 20 + Math.floor(random() * 400)),
    };
  });
  return buildDriftHeatmapFrame(times, series, { bucketMs: HOUR, minSampleSize: 30 });
}

function gzipKb(file: string): { rawKb: number; gzipKb: number } {
  const bytes = readFileSync(file);
  return { rawKb: bytes.length / 1024, gzipKb: gzipSync(bytes, { level: 9 }).length / 1024 };
}

async function measureRenders(args: Args): Promise<{ commit: number[]; frame: number[] }> {
  await buildHost('12');
  const host = await startHostServer({
    plugins: [{ id: 'mlsight-mlflow-datasource', distDir: DATASOURCE_DIST }, ...PANEL_PLUGINS],
    datasources: [mlsightDataSource('', undefined)],
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: PANEL.width + 200, height: PANEL.height + 300 } });
    const params = new URLSearchParams({
      panel: HEATMAP_ID,
      targets: '[]',
      width: String(PANEL.width),
      height: String(PANEL.height),
    });
    await page.goto(`${host.url}/hosts/12/?${params.toString()}`);
    await page.waitForFunction('window.__mlsightPanel !== undefined');
    const commit: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < args.warmup + args.renders; i++) {
      const frames = [heatmapFrame(args.features, args.buckets, 1000 + i)];
      const timing = await page.evaluate(async (data): Promise<RenderTiming> => {
        // This file is compiled without the DOM library: the page's global, typed by hand.
        const hook = (globalThis as { __mlsightPanel?: PanelBenchHook }).__mlsightPanel;
        if (!hook) throw new Error('the host exposes no panel hook');
        return hook.render(data);
      }, frames);
      if (i >= args.warmup) {
        commit.push(timing.commitMs);
        frame.push(timing.frameMs);
      }
    }
    const label = await page.getByTestId('drift-heatmap-canvas').getAttribute('aria-label');
    const expected = `Drift heatmap: ${args.features} features × ${args.buckets} buckets`;
    if (!label?.startsWith(expected)) throw new Error(`the panel did not draw the frame: ${label ?? 'no canvas'}`);
    return { commit, frame };
  } finally {
    await browser.close();
    await host.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { commit, frame } = await measureRenders(args);
  const sortedCommit = [...commit].sort((a, b) => a - b);
  const sortedFrame = [...frame].sort((a, b) => a - b);
  const render = {
    features: args.features,
    buckets: args.buckets,
    renders: args.renders,
    canvas: PANEL,
    commitP50Ms: percentile(sortedCommit, 50),
    commitP95Ms: percentile(sortedCommit, 95),
    frameP50Ms: percentile(sortedFrame, 50),
    frameP95Ms: percentile(sortedFrame, 95),
  };
  const bundles = Object.fromEntries(
    // The app's bundle carries @grafana/scenes (not a Grafana shared module), so it has no panel's budget.
    [...PANEL_PLUGINS, APP_PLUGIN]
      .map((p) => [p.id, gzipKb(join(p.distDir, 'module.js'))] as const)
      .map(([id, size]) => [id, { rawKb: Number(size.rawKb.toFixed(1)), gzipKb: Number(size.gzipKb.toFixed(1)) }])
  );
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows = [
    {
      name: `heatmap ${args.features}×${args.buckets}: data → drawn (commit) p50 / p95`,
      ours: `${ms(render.commitP50Ms)} / ${ms(render.commitP95Ms)}`,
      peer: 'none (no peer exists)',
      ratio: '–',
      target: `≤${TARGET_MS} ms`,
    },
    {
      name: `heatmap ${args.features}×${args.buckets}: data → next frame p50 / p95`,
      ours: `${ms(render.frameP50Ms)} / ${ms(render.frameP95Ms)}`,
      peer: 'none (no peer exists)',
      ratio: '–',
      target: `≤${TARGET_MS} ms`,
    },
    ...Object.entries(bundles).map(([id, size]) => ({
      name: `${id} dist/module.js gzip`,
      ours: `${size.gzipKb} KB (raw ${size.rawKb} KB)`,
      peer: 'none',
      ratio: '–',
      target: id === APP_PLUGIN.id ? 'none (bundles @grafana/scenes)' : `≤${BUNDLE_TARGET_KB} KB`,
    })),
  ];
  recordResults('panelRender', { render, bundles }, rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
