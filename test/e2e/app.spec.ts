import type { Page } from '@playwright/test';
import { hostSelectors } from '../host/src/selectors';
import { expect, isDsQuery, proxyFetch, test } from './fixtures';
import type { E2EServices } from './env';

/**
 * The MLSight app (app/dist) in the plugin host, as Grafana routes apps: `/a/mlsight-app/*` on the demo story through
 * the real proxy and the data source's Go backend. The fleet page shows what the proxy's `fleet` query answers.
 */

const APP = 'mlsight-app';
const TABS = ['drift', 'performance', 'explanations', 'quality', 'lineage', 'deployments'] as const;
/** Some tabs query 30 days of the demo story on a 2-core machine: a hang guard, not a speed test. */
const PANELS_HANG_GUARD_MS = 240_000;

const appUrl = (services: E2EServices, line: string, path: string) =>
  `${services.hostUrl}/hosts/${line}/a/${APP}${path}`;

async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId(hostSelectors.bootError)).toHaveCount(0);
  await expect(page.getByTestId(hostSelectors.appPlugin.root)).toBeVisible();
}

/** Waits until no panel of the page is loading, then returns the titles of panels that show an error. */
async function panelsSettled(page: Page): Promise<{ titles: string[]; errors: string[] }> {
  const headers = page.locator('[data-testid^="data-testid Panel header "]');
  await expect(headers.first()).toBeVisible({ timeout: PANELS_HANG_GUARD_MS });
  await expect(page.getByLabel('Panel loading bar')).toHaveCount(0, { timeout: PANELS_HANG_GUARD_MS });
  const titles = await headers.evaluateAll((els) =>
    els.map((el) => (el.getAttribute('data-testid') ?? '').replace('data-testid Panel header ', ''))
  );
  // PanelChrome puts the header test id on the panel's section, which holds the error status when the query failed.
  const errors = await headers
    .filter({ has: page.getByTestId('data-testid Panel status error') })
    .evaluateAll((els) =>
      els.map((el) => (el.getAttribute('data-testid') ?? '').replace('data-testid Panel header ', ''))
    );
  return { titles, errors };
}

/** The proxy's own fleet answer (worst first). */
async function proxyFleet(services: E2EServices): Promise<string[]> {
  const answer = await proxyFetch(services, '/api/v1/query', {
    from: 'now-7d',
    to: 'now',
    queries: [{ refId: 'A', queryType: 'fleet' }],
  });
  expect(answer.status).toBe(200);
  const frames = (answer.json as { results: { A: { frames: Array<Record<string, unknown>> } } }).results.A.frames;
  const fleet = frames.find((f) => (f.schema as { name?: string } | undefined)?.name === 'fleet');
  const schema = fleet?.schema as { fields: Array<{ name: string }> };
  const values = (fleet?.data as { values: unknown[][] }).values;
  const at = (name: string) => values[schema.fields.findIndex((f) => f.name === name)] ?? [];
  const attention = at('attention') as number[];
  // The proxy's own order is worst first: attention never rises down the table.
  for (let i = 1; i < attention.length; i += 1) expect(attention[i]).toBeLessThanOrEqual(attention[i - 1] ?? Infinity);
  return at('model').map(String);
}

test.describe('MLSight app', () => {
  test('Grafana routes /a/mlsight-app to the app page; the app brings Scenes itself', async ({
    page,
    services,
    hostLine,
    recorder,
  }) => {
    await page.goto(appUrl(services, hostLine, '/fleet'));
    await expect(page.getByTestId(hostSelectors.appPlugin.root)).toHaveAttribute('data-app-id', APP);
    const host = await page.evaluate(() => window.__mlsightHost);
    // Only modules Grafana shares were asked of the host; @grafana/scenes is in the app's own bundle.
    expect(host?.dependencies).not.toContain('@grafana/scenes');
    expect(host?.dependencies).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/runtime']));
    const settings = await (await page.request.get(`${services.hostUrl}/api/plugins/${APP}/settings`)).json();
    expect(settings).toMatchObject({ id: APP, type: 'app', enabled: true, jsonData: { datasourceUid: 'mlsight' } });
    expect((settings.includes as Array<{ type: string }>).map((i) => i.type).sort()).toEqual(
      expect.arrayContaining(['dashboard', 'datasource', 'panel', 'page'])
    );
    // Grafana's app URL without the sub path lands on the same page.
    await page.goto(`${services.hostUrl}/a/${APP}/fleet`, { referer: `${services.hostUrl}/hosts/${hostLine}/` });
    await expect(page).toHaveURL(new RegExp(`/hosts/${hostLine}/a/${APP}/fleet`));
    expect(recorder.pageErrors()).toEqual([]);
  });

  test('the fleet page lists the demo models worst first, filtered by the URL', async ({
    page,
    services,
    hostLine,
    recorder,
  }) => {
    const expected = await proxyFleet(services);
    // The three models of the demo story: credit-risk (drift), churn-propensity (data quality), fraud-screen (healthy).
    expect(services.demoModels).toHaveLength(3);
    expect(expected).toEqual(expect.arrayContaining(services.demoModels));
    await openApp(page, appUrl(services, hostLine, '/fleet'));
    const rows = page.getByTestId('mlsight-app-fleet-rows');
    await expect(rows).toHaveAttribute('data-rows', String(expected.length));
    const shown = await rows
      .getByRole('row')
      .evaluateAll((els) => els.slice(1).map((el) => el.querySelector('[role="cell"]')?.textContent ?? ''));
    expect(shown).toEqual(expected);
    // A filter in the URL survives a reload (Scenes URL sync of var-search).
    await openApp(page, appUrl(services, hostLine, `/fleet?var-search=${encodeURIComponent(services.model)}`));
    await expect(rows).toHaveAttribute('data-rows', String(expected.filter((m) => m.includes(services.model)).length));
    await page.reload();
    await expect(page.getByRole('textbox', { name: /Search models/i })).toHaveValue(services.model);
    expect(recorder.pageErrors()).toEqual([]);
  });

  test('every model tab renders its panels without errors', async ({ page, services, hostLine, recorder }) => {
    test.setTimeout(TABS.length * PANELS_HANG_GUARD_MS);
    // The queries' own error messages (per refId), so a failure says why a panel shows an error.
    const queryErrors: string[] = [];
    page.on('response', (response) => {
      if (!isDsQuery(response.request()) || response.status() < 400) return;
      void response.text().then(
        (text) => queryErrors.push(text.slice(0, 400)),
        () => undefined
      );
    });
    for (const tab of TABS) {
      await openApp(page, appUrl(services, hostLine, `/models/${encodeURIComponent(services.model)}/${tab}`));
      const { titles, errors } = await panelsSettled(page);
      expect(titles.length, `${tab}: panels`).toBeGreaterThan(0);
      expect(errors, `${tab}: panels with an error; query errors: ${queryErrors.join(' | ')}`).toEqual([]);
    }
    expect(recorder.pageErrors()).toEqual([]);
  });

  test('drill-down model → feature keeps its state on reload', async ({ page, services, hostLine, recorder }) => {
    test.setTimeout(2 * PANELS_HANG_GUARD_MS);
    await openApp(
      page,
      appUrl(services, hostLine, `/models/${encodeURIComponent(services.model)}/drift?from=now-7d&to=now`)
    );
    await panelsSettled(page);
    // PanelChrome's section carries the header test id.
    const table = page.getByTestId('data-testid Panel header Features: drift now');
    const link = table.getByRole('link').first();
    const feature = (await link.textContent()) ?? '';
    expect(feature).not.toBe('');
    await link.click();
    const drillDown = new RegExp(
      `/a/${APP}/models/${encodeURIComponent(services.model)}/drift/features/${encodeURIComponent(feature)}`
    );
    await expect(page).toHaveURL(drillDown);
    await expect(page.getByTestId(`data-testid Panel header Drift trend: ${feature}`)).toBeVisible();
    await page.reload();
    await expect(page).toHaveURL(drillDown);
    await expect(page.getByTestId(`data-testid Panel header Drift trend: ${feature}`)).toBeVisible();
    const { errors } = await panelsSettled(page);
    expect(errors).toEqual([]);
    expect(page.url()).toMatch(/from=now-7d/);
    expect(recorder.pageErrors()).toEqual([]);
  });

  test('promote / roll back is offered to Editors and Admins, not to Viewers', async ({ page, services, hostLine }) => {
    const model = encodeURIComponent(services.model);
    await openApp(page, appUrl(services, hostLine, `/models/${model}/deployments?role=Viewer`));
    await expect(page.getByRole('tab', { name: 'Deployments' })).toBeVisible();
    await expect(page.getByTestId('mlsight-app-promote-open')).toHaveCount(0);
    await openApp(page, appUrl(services, hostLine, `/models/${model}/deployments?role=Editor`));
    const open = page.getByTestId('mlsight-app-promote-open');
    await expect(open).toBeEnabled();
    await open.click();
    const modal = page.getByTestId('mlsight-app-promote-modal');
    await expect(modal).toBeVisible();
    // Confirm waits for a version and a reason.
    await expect(modal.getByTestId('mlsight-app-promote-confirm')).toBeDisabled();
    await modal.locator('#mlsight-app-promote-version').click();
    await expect(page.locator('[role="option"], [data-testid="data-testid Select option"]').first()).toBeVisible();
  });
});
