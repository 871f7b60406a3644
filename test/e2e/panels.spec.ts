import type { Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostSelectors } from '../host/src/selectors';
import { expect, isDsQuery, proxyFetch, proxyRequestOf, switchTheme, test, type TrafficRecorder } from './fixtures';
import type { E2EServices } from './env';
import { DEFAULT_OPTIONS as HEATMAP_DEFAULTS } from '../../panels/drift-heatmap/src/types';
import { DEFAULT_OPTIONS as EXPLANATION_DEFAULTS } from '../../panels/explanation-bars/src/types';
import { DRIFTED_FEATURE, PANEL_BASE_SCORE, PANEL_FEATURES, PANEL_MODEL, PANEL_RANGE, XSS_FEATURE } from './panelSeed';

/**
 * The three MLSight panels rendered in the plugin host as a Grafana dashboard renders them, on data from the real
 * proxy (drift store seeded by globalSetup, MLflow seeded with the demo). Every expectation is read from the
 * proxy's own answer to the request the browser sent.
 */

const DOCS_SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');
const PANEL_SIZE = { width: 960, height: 380 };

const HEATMAP = 'mlsight-driftheatmap-panel';
const EXPLANATIONS = 'mlsight-explanations-panel';
const PROVENANCE = 'mlsight-provenance-panel';

interface JsonField {
  name: string;
  labels?: Record<string, string>;
  config?: { custom?: Record<string, unknown> };
}
interface JsonFrame {
  schema: { name?: string; fields: JsonField[]; meta?: { custom?: Record<string, unknown> } };
  data: { values: unknown[][] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The frames of refId A in a proxy answer (fails the test when the query failed). */
function framesOf(body: unknown): JsonFrame[] {
  const result = isRecord(body) && isRecord(body.results) ? body.results.A : undefined;
  if (!isRecord(result) || !Array.isArray(result.frames)) throw new Error(`no frames: ${JSON.stringify(body)}`);
  if (result.error) throw new Error(`query failed: ${String(result.error)}`);
  return result.frames as JsonFrame[];
}

function column(frame: JsonFrame, name: string): unknown[] {
  const index = frame.schema.fields.findIndex((f) => f.name === name);
  if (index < 0) throw new Error(`frame ${frame.schema.name ?? ''} has no field ${name}`);
  return frame.data.values[index] ?? [];
}

/** Opens the host in panel mode and records the query batch the panel sent; resolves once the panel has data. */
async function openPanel(
  page: Page,
  services: E2EServices,
  hostLine: string,
  pluginId: string,
  targets: object[],
  options: object = {},
  theme: 'light' | 'dark' = 'light'
): Promise<{ body: unknown }> {
  const bodies: unknown[] = [];
  page.on('request', (r) => {
    if (isDsQuery(r)) bodies.push(r.postDataJSON());
  });
  const params = new URLSearchParams({
    uid: 'mlsight',
    theme,
    panel: pluginId,
    targets: JSON.stringify(targets),
    options: JSON.stringify(options),
    from: PANEL_RANGE.from,
    to: PANEL_RANGE.to,
    width: String(PANEL_SIZE.width),
    height: String(PANEL_SIZE.height),
    title: pluginId,
  });
  await page.goto(`${services.hostUrl}/hosts/${hostLine}/?${params.toString()}`);
  await expect(page.getByTestId(hostSelectors.bootError)).toHaveCount(0);
  const state = page.getByTestId(hostSelectors.panel.state);
  await expect(state).toHaveAttribute('data-runs', '1');
  await expect(state).toHaveAttribute('data-state', 'done');
  expect(bodies).toHaveLength(1);
  return { body: bodies[0] };
}

/** The proxy's answer to exactly the request the browser sent. */
async function truthFor(services: E2EServices, body: unknown): Promise<JsonFrame[]> {
  const direct = await proxyFetch(services, '/api/v1/query', proxyRequestOf(body));
  expect(direct.status).toBe(200);
  return framesOf(direct.json);
}

const FONT_PATH = /\/public\/fonts\/inter\//;
const RESOURCE_FAILED =
  /^Failed to load resource: the server responded with a status of (404 \(Not Found\)|400 \(Bad Request\))$/;

/**
 * No console errors, no page errors, and no dialog (an injected `alert`) during the test. The exceptions: the
 * Inter web fonts @grafana/ui's GlobalStyles ask for, which Grafana serves from its own public/fonts and the host
 * does not have (each 404 logs one resource error), and, where a test makes a query fail on purpose, Grafana's 400
 * answer to /api/ds/query (Grafana answers 400 when any query failed, and Chromium logs it).
 */
function watchForProblems(
  page: Page,
  recorder: TrafficRecorder,
  { failingQueries = false }: { failingQueries?: boolean } = {}
): () => void {
  const dialogs: string[] = [];
  // Resource errors the console may show: one per missing font, one per deliberately failing query batch.
  let allowedResourceErrors = 0;
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('response', (response) => {
    if (response.status() === 404 && FONT_PATH.test(response.url())) allowedResourceErrors += 1;
    if (failingQueries && response.status() === 400 && isDsQuery(response.request())) allowedResourceErrors += 1;
  });
  return () => {
    const consoleErrors = recorder.entries.filter((e) => e.kind === 'console' && e.where === 'error');
    const fontErrors = consoleErrors.filter((e) => RESOURCE_FAILED.test(e.text ?? '')).slice(0, allowedResourceErrors);
    expect(consoleErrors.filter((e) => !fontErrors.includes(e)).map((e) => e.text)).toEqual([]);
    expect(recorder.pageErrors()).toEqual([]);
    expect(dialogs).toEqual([]);
  };
}

/** Brightness (r + g + b) of the panel chrome's background: the first opaque background inside the panel. */
async function chromeBrightness(viz: Locator): Promise<number> {
  const background = await viz.evaluate((root) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const color = getComputedStyle(el).backgroundColor;
      const alpha = /rgba\([^)]*,\s*([\d.]+)\)/.exec(color)?.[1];
      if (alpha === undefined ? color.startsWith('rgb(') : Number(alpha) > 0.5) return color;
    }
    return '';
  });
  const [r = 0, g = 0, b = 0] = (background.match(/\d+/g) ?? []).map(Number);
  return r + g + b;
}

/**
 * Screenshots of the panel (its PanelChrome) in both themes, as test artifacts and, from the Grafana 12 line, into
 * docs/. The chrome must follow the theme: light first, dark after the switch.
 */
async function panelScreenshots(
  page: Page,
  hostLine: string,
  name: string,
  saveScreenshot: (name: string, target: Locator) => Promise<void>
): Promise<void> {
  const viz = page.getByTestId(hostSelectors.panel.viz);
  for (const mode of ['light', 'dark'] as const) {
    if (mode === 'dark') await switchTheme(page, 'dark');
    const brightness = await chromeBrightness(viz);
    if (mode === 'light') expect(brightness).toBeGreaterThan(3 * 128);
    else expect(brightness).toBeLessThan(3 * 128);
    await saveScreenshot(`panel-${name}-${mode}`, viz);
    if (hostLine === '12') {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await viz.screenshot({ path: join(DOCS_SCREENSHOTS, `panel-${name}-${mode}.png`), animations: 'disabled' });
    }
  }
}

/** Tooltip lines of the heatmap as label → value. */
async function tooltipOf(page: Page): Promise<Record<string, string>> {
  const tooltip = page.getByTestId(hostSelectors.panel.viz).getByRole('tooltip');
  await expect(tooltip).toBeVisible();
  const lines = await tooltip.locator(':scope > div').evaluateAll((divs) =>
    divs.map((d) => {
      const label = d.querySelector('span')?.textContent ?? '';
      return [label, (d.textContent ?? '').slice(label.length).trim()];
    })
  );
  return Object.fromEntries(lines);
}

interface HeatmapTruth {
  times: number[];
  features: string[];
  /** feature → drift verdict per bucket: the frame's own verdicts (`config.custom.drifted`). */
  drifted: Map<string, boolean[]>;
  thresholds: Map<string, number>;
}

function heatmapTruth(frames: JsonFrame[]): HeatmapTruth {
  const frame = frames.find((f) => f.schema.name === 'drift_heatmap');
  if (!frame) throw new Error('the proxy returned no drift_heatmap frame');
  const times = column(frame, 'time').map(Number);
  const drifted = new Map<string, boolean[]>();
  const thresholds = new Map<string, number>();
  frame.schema.fields.forEach((field, i) => {
    const feature = field.labels?.feature;
    if (field.name !== 'score' || feature === undefined) return;
    const custom = field.config?.custom ?? {};
    const threshold = Number(custom.threshold);
    thresholds.set(feature, threshold);
    const verdicts = Array.isArray(custom.drifted) ? (custom.drifted as unknown[]) : [];
    drifted.set(
      feature,
      (frame.data.values[i] ?? []).map((_, b) => verdicts[b] === true)
    );
  });
  return { times, features: [...drifted.keys()], drifted, thresholds };
}

test.describe('drift heatmap panel', () => {
  const targets = [{ queryType: 'drift_heatmap', model: PANEL_MODEL }];

  test('draws the ingested features × buckets with the drifted cells the proxy reports', async ({
    page,
    services,
    hostLine,
    recorder,
  }) => {
    const checkProblems = watchForProblems(page, recorder);
    const { body } = await openPanel(page, services, hostLine, HEATMAP, targets);
    const truth = heatmapTruth(await truthFor(services, body));
    expect([...truth.features].sort()).toEqual([...PANEL_FEATURES].sort());
    // The data set drifts `amount` only, and only in its later hours.
    expect(truth.drifted.get(DRIFTED_FEATURE)?.some(Boolean)).toBe(true);
    expect(truth.drifted.get(DRIFTED_FEATURE)?.[0]).toBe(false);

    // As in Grafana: the options builder's defaults (through the standard editors registry), and a display
    // processor on every field of every frame.
    const state = page.getByTestId(hostSelectors.panel.state);
    // (The options version is not an editor option: a new panel gets it from the plugin's migration, later.)
    const builderDefaults = Object.fromEntries(
      Object.entries(HEATMAP_DEFAULTS).filter(([key]) => key !== 'optionsVersion')
    );
    expect(JSON.parse((await state.getAttribute('data-options')) ?? '{}')).toEqual(builderDefaults);
    await expect(state).toHaveAttribute('data-fields', String(truth.features.length + 1));
    await expect(state).toHaveAttribute('data-fields-with-display', String(truth.features.length + 1));

    const canvas = page.getByTestId('drift-heatmap-canvas');
    const driftedCount = [...truth.drifted.values()].filter((cells) => cells.some(Boolean)).length;
    await expect(canvas).toHaveAttribute(
      'aria-label',
      `Drift heatmap: ${truth.features.length} features × ${truth.times.length} buckets, ${driftedCount} features drifted`
    );

    // Walk every cell with the keyboard: each row is a feature, each cell says whether it is marked as drifted.
    await canvas.focus();
    await page.keyboard.press('ArrowUp');
    const seen = new Map<string, boolean[]>();
    for (let row = 0; row < truth.features.length; row++) {
      if (row > 0) {
        await page.keyboard.press('ArrowDown');
        for (let col = 0; col < truth.times.length - 1; col++) await page.keyboard.press('ArrowRight');
      }
      const cells: boolean[] = [];
      for (let col = truth.times.length - 1; col >= 0; col--) {
        const lines = await tooltipOf(page);
        cells.unshift(lines.Drift === 'yes');
        if (col === truth.times.length - 1) seen.set(lines.Feature ?? '', cells);
        if (col > 0) await page.keyboard.press('ArrowLeft');
      }
    }
    expect([...seen.keys()].sort()).toEqual([...truth.features].sort());
    for (const [feature, cells] of seen)
      expect({ feature, cells }).toEqual({ feature, cells: truth.drifted.get(feature) });
    // Rows are ordered by worst drift: the drifted feature comes first.
    expect([...seen.keys()][0]).toBe(DRIFTED_FEATURE);
    // A feature named like markup is drawn and described as text; nothing was injected.
    expect(seen.has(XSS_FEATURE)).toBe(true);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    checkProblems();
  });

  test('hover shows feature, score and threshold; a click drills down; a brush changes the time range', async ({
    page,
    services,
    hostLine,
    recorder,
  }) => {
    const checkProblems = watchForProblems(page, recorder);
    const { body } = await openPanel(page, services, hostLine, HEATMAP, targets);
    const truth = heatmapTruth(await truthFor(services, body));
    const canvas = page.getByTestId('drift-heatmap-canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the heatmap canvas has no box');

    // Find the columns by hovering along the first row, right to left, reading each tooltip's bucket.
    const y = box.y + 10;
    const columnX = new Map<string, number>();
    let features = '';
    for (let x = box.x + box.width - 8; x > box.x; x -= 20) {
      await page.mouse.move(x, y);
      const tooltip = page.getByTestId(hostSelectors.panel.viz).getByRole('tooltip');
      if ((await tooltip.count()) === 0) break;
      const lines = await tooltipOf(page);
      features = lines.Feature ?? '';
      if (lines.Bucket && !columnX.has(lines.Bucket)) columnX.set(lines.Bucket, x);
    }
    expect(columnX.size).toBe(truth.times.length);
    expect(features).toBe(DRIFTED_FEATURE);

    const xs = [...columnX.values()].reverse(); // left to right
    const lastX = xs.at(-1) ?? 0;
    await page.mouse.move(lastX, y);
    const hovered = await tooltipOf(page);
    expect(hovered.Feature).toBe(DRIFTED_FEATURE);
    expect(Number(hovered.Threshold)).toBe(truth.thresholds.get(DRIFTED_FEATURE));
    expect(hovered.Score).toMatch(/\d/);
    expect(hovered.Method).toBe('ks');
    expect(hovered.Drift).toBe(truth.drifted.get(DRIFTED_FEATURE)?.at(-1) ? 'yes' : 'no');

    // Brush from the first to the third bucket: the dashboard range becomes those buckets and the panel re-queries.
    const state = page.getByTestId(hostSelectors.panel.state);
    await page.mouse.move(xs[0] ?? 0, y);
    await page.mouse.down();
    await page.mouse.move(xs[2] ?? 0, y, { steps: 4 });
    await page.mouse.up();
    const bucketMs = (truth.times[1] ?? 0) - (truth.times[0] ?? 0);
    await expect(state).toHaveAttribute('data-from', String(truth.times[0]));
    await expect(state).toHaveAttribute('data-to', String((truth.times[2] ?? 0) + bucketMs));
    await expect(state).toHaveAttribute('data-runs', '2');
    await expect(state).toHaveAttribute('data-state', 'done');

    // Click a cell: Grafana's locationService navigates to the feature-drift dashboard for that feature and bucket.
    const after = await canvas.boundingBox();
    if (!after) throw new Error('the heatmap canvas has no box');
    await page.mouse.click(after.x + after.width - 8, after.y + 10);
    await expect(page).toHaveURL(
      new RegExp(`/d/mlsight-feature-drift/feature-drift\\?var-feature=[^&]+&from=\\d+&to=\\d+`)
    );
    checkProblems();
  });

  test('a failing query shows its error and the no-data message', async ({ page, services, hostLine, recorder }) => {
    const checkProblems = watchForProblems(page, recorder, { failingQueries: true });
    const params = new URLSearchParams({
      panel: HEATMAP,
      targets: JSON.stringify([{ queryType: 'drift_heatmap', model: 'no-such-model-e2e' }]),
      from: PANEL_RANGE.from,
      to: PANEL_RANGE.to,
    });
    await page.goto(`${services.hostUrl}/hosts/${hostLine}/?${params.toString()}`);
    await expect(page.getByTestId(hostSelectors.panel.state)).toHaveAttribute('data-state', 'error');
    const errors = page.getByTestId(hostSelectors.panel.errors);
    await expect(errors).toHaveAttribute('data-count', '1');
    await expect(errors).toContainText('no-such-model-e2e');
    await expect(page.getByTestId(hostSelectors.panel.viz)).toContainText('No drift scores in this time range');
    checkProblems();
  });

  test('screenshots in both themes', async ({ page, services, hostLine, saveScreenshot, recorder }) => {
    const checkProblems = watchForProblems(page, recorder);
    await openPanel(page, services, hostLine, HEATMAP, targets);
    await panelScreenshots(page, hostLine, 'heatmap', saveScreenshot);
    checkProblems();
  });
});

const HOUR_MS = 3_600_000;
const LOCAL_FRAME = 'explanation_local';

/**
 * Id of row `row` of a seeded hour, in panelSeed.ts's id format. The seed ingested the six complete hours before
 * its own current hour; three hours before the current one was among them even if an hour boundary passed since.
 */
function seededPredictionId(row: number): string {
  const hourStart = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * HOUR_MS;
  return `e2e-panels-${hourStart}-${row}`;
}

const localTarget = (predictionId: string) => ({
  queryType: 'explanations_local',
  model: PANEL_MODEL,
  predictionId,
});

/** The explanation_local frame of a proxy answer. */
function localFrameOf(frames: JsonFrame[]): JsonFrame {
  const frame = frames.find((f) => f.schema.name === LOCAL_FRAME);
  if (!frame) throw new Error(`the proxy returned no ${LOCAL_FRAME} frame`);
  return frame;
}

/**
 * The first seeded prediction whose attributions raise and lower the output, so the waterfall has steps of both
 * signs; asked of the proxy directly.
 */
async function predictionWithBothSigns(services: E2EServices): Promise<string> {
  const to = Date.now();
  for (let row = 0; row < 30; row++) {
    const predictionId = seededPredictionId(row);
    const body = {
      from: String(to - 7 * HOUR_MS),
      to: String(to),
      queries: [{ refId: 'A', ...localTarget(predictionId) }],
    };
    const attributions = column(localFrameOf(await truthFor(services, body)), 'attribution').map(Number);
    if (attributions.some((a) => a > 0) && attributions.some((a) => a < 0)) return predictionId;
  }
  throw new Error('no seeded prediction has attributions of both signs');
}

/** Numbers formatted as the explanation panel formats them, by the page's own Intl (its locale). */
async function formatInPage(page: Page, values: number[], signed: boolean): Promise<string[]> {
  return page.evaluate(
    ({ values, signed }) => {
      const format = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });
      return values.map((v) => (signed && v > 0 ? '+' : '') + format.format(v));
    },
    { values, signed }
  );
}

test.describe('explanation bars panel', () => {
  const targets = [{ queryType: 'explanations_global', model: PANEL_MODEL, source: 'store' }];

  test('bars are the proxy’s global importances, largest first, names as text', async ({
    page,
    services,
    hostLine,
    recorder,
  }) => {
    const checkProblems = watchForProblems(page, recorder);
    const { body } = await openPanel(page, services, hostLine, EXPLANATIONS, targets);
    const frames = await truthFor(services, body);
    const frame = frames.find((f) => f.schema.fields.some((field) => field.name === 'value'));
    if (!frame) throw new Error('the proxy returned no explanations frame');
    const features = column(frame, 'feature').map(String);
    const values = column(frame, 'value').map(Number);
    const expected = features
      .map((feature, i) => ({ feature, value: values[i] ?? NaN }))
      .sort((a, b) => b.value - a.value)
      .map((r) => r.feature);
    expect([...expected].sort()).toEqual([...PANEL_FEATURES].sort());

    const rows = page.getByTestId(hostSelectors.panel.viz).getByRole('listitem');
    await expect(rows).toHaveCount(expected.length);
    const labels = await rows.locator('text').first().allTextContents();
    expect(labels.length).toBe(1);
    const shown = await rows.evaluateAll((gs) => gs.map((g) => g.querySelector('text')?.textContent ?? ''));
    expect(shown).toEqual(expected);
    const widths = await page
      .getByTestId(hostSelectors.panel.viz)
      .getByTestId('bar')
      .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    expect(widths).toEqual([...widths].sort((a, b) => b - a));
    expect(widths[0]).toBeGreaterThan(widths.at(-1) ?? Infinity);
    // The markup-like name is a text node of an SVG <text>, not an element.
    expect(shown).toContain(XSS_FEATURE);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    checkProblems();
  });

  test('local view: one prediction as a waterfall from the proxy’s base value to its prediction', async ({
    page,
    services,
    hostLine,
    recorder,
  }) => {
    const checkProblems = watchForProblems(page, recorder);
    const predictionId = await predictionWithBothSigns(services);
    const { body } = await openPanel(page, services, hostLine, EXPLANATIONS, [localTarget(predictionId)], {
      view: 'local',
    });
    const state = page.getByTestId(hostSelectors.panel.state);
    expect(JSON.parse((await state.getAttribute('data-options')) ?? '{}')).toMatchObject({ view: 'local' });

    const frame = localFrameOf(await truthFor(services, body));
    const features = column(frame, 'feature').map(String);
    const attributions = column(frame, 'attribution').map(Number);
    const featureValues = column(frame, 'feature_value').map(String);
    const meta = frame.schema.meta?.custom ?? {};
    const baseValue = Number(meta.baseValue);
    const prediction = Number(meta.prediction);
    expect(meta.predictionId).toBe(predictionId);
    expect([...features].sort()).toEqual([...PANEL_FEATURES].sort());
    expect(Number.isFinite(baseValue) && Number.isFinite(prediction)).toBe(true);
    // The seed's scores are its base value plus the attributions: the proxy recovers that base value.
    expect(baseValue).toBeCloseTo(PANEL_BASE_SCORE, 9);
    // The panel keeps every attribution while there are no more than its top N (the rest would go to "others").
    expect(features.length).toBeLessThanOrEqual(EXPLANATION_DEFAULTS.topN);

    // One step per attribution, in the frame's order, each labelled feature = input value: signed attribution.
    const viz = page.getByTestId(hostSelectors.panel.viz);
    const list = viz.getByRole('list', { name: 'Local explanation' });
    const steps = list.getByRole('listitem');
    await expect(steps).toHaveCount(features.length);
    const signedValues = await formatInPage(page, attributions, true);
    const expectedLabels = features.map((f, i) => {
      const input = featureValues[i] ? `${f} = ${featureValues[i]}` : f;
      return `${input}: ${signedValues[i] ?? ''}`;
    });
    expect(await steps.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')))).toEqual(expectedLabels);
    const names = await steps.evaluateAll((gs) => gs.map((g) => g.querySelector('text')?.textContent ?? ''));
    expect(names).toEqual(features.map((f, i) => (featureValues[i] ? `${f} = ${featureValues[i]}` : f)));

    // Base value and final prediction, as the frame gives them; the attributions add up, so nothing unexplained.
    const [base, predicted] = await formatInPage(page, [baseValue, prediction], false);
    const header = viz.getByText(/^Base value /);
    await expect(header).toHaveText(
      `Base value ${base ?? ''} → prediction ${predicted ?? ''} (prediction ${predictionId})`
    );
    await expect(list.getByText(`f(x) = ${predicted ?? ''}`, { exact: true })).toBeVisible();

    // Raising and lowering steps are drawn in two distinct colours.
    const bars = await list.getByTestId('bar').evaluateAll((rects) =>
      rects.map((r) => ({
        x: Number(r.getAttribute('x')),
        width: Number(r.getAttribute('width')),
        fill: r.getAttribute('fill'),
      }))
    );
    expect(bars).toHaveLength(features.length);
    const fills = (positive: boolean) =>
      new Set(bars.filter((_, i) => (attributions[i] ?? 0) >= 0 === positive).map((b) => b.fill));
    expect(fills(true).size).toBe(1);
    expect(fills(false).size).toBe(1);
    expect([...fills(true)][0]).not.toBe([...fills(false)][0]);

    // A waterfall: each step starts where the previous one ended, the first at the base value's mark and the last
    // at the prediction's; a raising step runs left to right, a lowering one right to left, its length ∝ |value|.
    // (Bars are at least 1 px wide, hence the 1 px tolerance.)
    const edges = bars.map((b, i) =>
      (attributions[i] ?? 0) >= 0 ? { start: b.x, end: b.x + b.width } : { start: b.x + b.width, end: b.x }
    );
    const markX = async (selector: string) => Number(await list.locator(selector).getAttribute('x1'));
    const baseX = await markX('g[aria-hidden="true"] > line[stroke-dasharray]');
    const predictionX = await markX('g[aria-hidden="true"] > line:not([stroke-dasharray])');
    const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
    near(edges[0]?.start ?? NaN, baseX);
    edges.slice(1).forEach((edge, i) => near(edge.start, edges[i]?.end ?? NaN));
    near(edges.at(-1)?.end ?? NaN, predictionX);
    expect(Math.sign(predictionX - baseX)).toBe(Math.sign(prediction - baseValue));
    const scales = bars
      .map((b, i) => ({ width: b.width, size: Math.abs(attributions[i] ?? 0) }))
      .filter((b) => b.width > 1)
      .map((b) => b.width / b.size);
    expect(scales.length).toBeGreaterThan(1);
    for (const scale of scales) expect(scale).toBeCloseTo(scales[0] ?? NaN, 6);

    // The markup-like feature is drawn as text.
    expect(names.some((n) => n.startsWith(XSS_FEATURE))).toBe(true);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    checkProblems();
  });

  test('screenshots in both themes', async ({ page, services, hostLine, saveScreenshot, recorder }) => {
    const checkProblems = watchForProblems(page, recorder);
    await openPanel(page, services, hostLine, EXPLANATIONS, targets);
    await panelScreenshots(page, hostLine, 'explanations', saveScreenshot);
    checkProblems();
  });
});

test.describe('provenance graph panel', () => {
  const provenanceTargets = (model: string) => [{ queryType: 'provenance', model, alias: 'champion' }];

  test('nodes and edges are the proxy’s node-graph frames; click opens the node’s details', async ({
    page,
    services,
    hostLine,
    recorder,
  }) => {
    const checkProblems = watchForProblems(page, recorder);
    const { body } = await openPanel(page, services, hostLine, PROVENANCE, provenanceTargets(services.model));
    const frames = await truthFor(services, body);
    const nodes = frames.find((f) => f.schema.name === 'nodes');
    const edges = frames.find((f) => f.schema.name === 'edges');
    if (!nodes || !edges) throw new Error('the proxy returned no nodes/edges frames');
    const ids = column(nodes, 'id').map(String);
    const titles = column(nodes, 'title').map(String);
    expect(ids.length).toBeGreaterThan(1);

    const viz = page.getByTestId(hostSelectors.panel.viz);
    const drawn = await viz
      .locator('[data-testid^="node-"]')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-testid')?.slice('node-'.length) ?? ''));
    expect([...drawn].sort()).toEqual([...ids].sort());
    await expect(viz.getByTestId('edge')).toHaveCount(column(edges, 'source').length);

    // Hovering a node with neighbours highlights its path.
    const source = String(column(edges, 'source')[0]);
    await viz.getByTestId(`node-${source}`).hover();
    expect(await viz.locator('[data-testid="edge"][data-highlighted="true"]').count()).toBeGreaterThan(0);

    // Clicking opens the drawer of that node, with its title and status from the frame.
    const index = ids.indexOf(source);
    await viz.getByTestId(`node-${source}`).click();
    const drawer = viz.getByRole('dialog', { name: `Details of ${titles[index] ?? ''}` });
    await expect(drawer).toBeVisible();
    await expect(drawer).toContainText(String(column(nodes, 'status')[index]));
    await drawer.getByRole('button', { name: 'Close details' }).click();
    await expect(drawer).toHaveCount(0);
    checkProblems();
  });

  test('screenshots in both themes', async ({ page, services, hostLine, saveScreenshot, recorder }) => {
    const checkProblems = watchForProblems(page, recorder);
    await openPanel(page, services, hostLine, PROVENANCE, provenanceTargets(services.model));
    await panelScreenshots(page, hostLine, 'provenance', saveScreenshot);
    checkProblems();
  });
});
