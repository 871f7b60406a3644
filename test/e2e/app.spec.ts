import type { Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promoteUrl } from '../../app/src/promote/promoteRequest';
import { selectors as appSelectors } from '../../app/src/selectors';
import { HOST_USER_HEADER } from '../host/server/backendApi';
import { hostSelectors } from '../host/src/selectors';
import { expect, isDsQuery, proxyFetch, test } from './fixtures';
import type { E2EServices } from './env';
import { aliasVersion, readRegistry, restoreRegistry, setAlias, versionTags } from './modelRegistry';

/**
 * The MLSight app (app/dist) in the plugin host, as Grafana routes apps: `/a/mlsight-app/*` on the demo story through
 * the real proxy and the data source's Go backend. The fleet page shows what the proxy's `fleet` query answers, in its
 * order. The promote / rollback round trip changes the real MLflow (MLflow's REST API is its ground truth) and puts
 * the demo's aliases and tags back.
 */

const APP = 'mlsight-app';
const TABS = ['drift', 'performance', 'explanations', 'quality', 'lineage', 'deployments'] as const;
/** Some tabs query 30 days of the demo story on a 2-core machine: a hang guard, not a speed test. */
const PANELS_HANG_GUARD_MS = 240_000;

const appUrl = (services: E2EServices, line: string, path: string) =>
  `${services.hostUrl}/hosts/${line}/a/${APP}${path}`;

const DOCS_SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');
/** The provisioned MLSight data source the app's settings name (jsonData.datasourceUid). */
const DATASOURCE_UID = 'mlsight';
/** Who the host signs in for the promote tests: an Editor, in the data source's plugin context and the boot data. */
const EDITOR = { login: 'erin', role: 'Editor' } as const;
/** @grafana/ui Select's options on both lines (react-select's option, or its role on 13). */
const SELECT_OPTION = '[data-testid="data-testid Select option"], [role="option"]';

const FLEET_VIEWPORT = { width: 1600, height: 1000 };

type SaveScreenshot = (name: string, target: Locator) => Promise<void>;

/** A test artifact on both lines and, from the Grafana 12 line (one copy, not two that differ), the README's picture. */
async function appScreenshot(hostLine: string, save: SaveScreenshot, name: string, target: Locator): Promise<void> {
  await save(`app-${name}`, target);
  if (hostLine !== '12') return;
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: join(DOCS_SCREENSHOTS, `app-${name}.png`), animations: 'disabled' });
}

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
    saveScreenshot,
  }) => {
    const expected = await proxyFleet(services);
    // Wide enough for every fleet column in the README's screenshot.
    await page.setViewportSize(FLEET_VIEWPORT);
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
    expect(expected).toContain(services.model);
    await appScreenshot(hostLine, saveScreenshot, 'fleet', page.getByTestId(hostSelectors.appPlugin.root));
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

  test('drill-down model → feature keeps its state on reload', async ({
    page,
    services,
    hostLine,
    recorder,
    saveScreenshot,
  }) => {
    test.setTimeout(2 * PANELS_HANG_GUARD_MS);
    await openApp(
      page,
      appUrl(services, hostLine, `/models/${encodeURIComponent(services.model)}/drift?from=now-7d&to=now`)
    );
    await panelsSettled(page);
    await appScreenshot(hostLine, saveScreenshot, 'model-drift', page.getByTestId(hostSelectors.appPlugin.root));
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
    // The rows behind the range: the feature's own column beside each prediction and its label.
    const rows = await tableCells(page, 'Rows in this range');
    const header = rows[0] ?? [];
    expect(header).toEqual(expect.arrayContaining(['prediction_id', feature, 'prediction', 'label']));
    const firstRow = rows[1] ?? [];
    expect(rows.length).toBeGreaterThan(1);
    expect(firstRow[header.indexOf('prediction_id')]).not.toBe('');
    expect(firstRow[header.indexOf(feature)]).not.toBe('');
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

    // The button is only the first gate: the data source's Go backend refuses a Viewer who posts anyway (403),
    // before the proxy — and its admin-scoped token — is reached.
    const saved = await readRegistry(services.mlflowUrl, services.model);
    try {
      const refused = await page.request.post(`${services.hostUrl}${promoteUrl(DATASOURCE_UID)}`, {
        headers: { [HOST_USER_HEADER]: 'vera:Viewer' },
        data: {
          model: services.model,
          alias: 'champion',
          version: '1',
          reason: 'I would like to',
          expectedVersion: saved.aliases.champion ?? null,
        },
      });
      expect(refused.status()).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toContain('vera is a Viewer');
    } finally {
      // Had it gone through, the specs after this one must still see the demo as seeded.
      await restoreRegistry(services.mlflowUrl, saved);
    }
    expect(await readRegistry(services.mlflowUrl, services.model)).toEqual(saved);
  });

  test('an Editor promotes champion to an older version, is refused when it moved meanwhile, and rolls back', async ({
    page,
    services,
    hostLine,
    recorder,
    saveScreenshot,
  }) => {
    test.setTimeout(PANELS_HANG_GUARD_MS);
    const { mlflowUrl, model } = services;
    const saved = await readRegistry(mlflowUrl, model);
    const original = saved.aliases.champion ?? '';
    const versions = Object.keys(saved.tags).sort((a, b) => Number(a) - Number(b));
    // The demo: champion → 2 of 1..3. An older version to promote, and a third one to move it to behind our back.
    const older = versions.filter((v) => Number(v) < Number(original)).at(-1) ?? '';
    const elsewhere = versions.find((v) => v !== original && v !== older) ?? '';
    expect([original, older, elsewhere]).not.toContain('');
    const promoteReason = `v${older} holds up better on last week's labels`;
    const rollbackReason = `v${older} misses the fraud spike: back to v${original}`;
    // The host's signed-in user, as Grafana puts the session's user in the plugin context.
    await page.setExtraHTTPHeaders({ [HOST_USER_HEADER]: `${EDITOR.login}:${EDITOR.role}` });
    const started = Date.now();
    try {
      // 1. Promote: champion → the older version, with a reason.
      let modal = await openPromote(page, services, hostLine, original);
      await choose(page, modal, older, promoteReason);
      await appScreenshot(hostLine, saveScreenshot, 'promote-modal', page.getByRole('dialog'));
      expect(await confirm(page, modal)).toBe(200);
      await expect(page.getByTestId(appSelectors.promote.done)).toHaveText(`champion → version ${older}`);
      await expect(modal).toBeHidden();
      expect(await aliasVersion(mlflowUrl, model, 'champion')).toBe(older);
      const tags = await versionTags(mlflowUrl, model, older);
      expect(tags).toMatchObject({
        'mlsight.promoted_by': `${EDITOR.login} (${EDITOR.role})`,
        'mlsight.promote_reason': promoteReason,
        'mlsight.previous_version': original,
        'mlsight.promoted_alias': 'champion',
        deployed_by: EDITOR.login,
      });
      expect(Date.parse(tags['mlsight.promoted_at'] ?? '')).toBeGreaterThanOrEqual(started - 1000);

      // The deployments table, refreshed, shows the move: champion on the older version, by the Editor.
      await page.getByTestId('data-testid RefreshPicker run button').click();
      await expect.poll(() => deploymentRow(page, 'champion')).toEqual(expect.arrayContaining([older, EDITOR.login]));

      // Grafana's annotation layer (the data source's annotations resource) shows it as a deployment event.
      const events = await page.request.post(
        `${services.hostUrl}/api/datasources/uid/${DATASOURCE_UID}/resources/annotations`,
        { data: { from: started - 1000, to: Date.now() + 1000, model, kinds: ['deployment'] } }
      );
      expect(events.status()).toBe(200);
      const shown = ((await events.json()) as Array<{ title: string; text: string }>).map(
        (e) => `${e.title} | ${e.text}`
      );
      expect(shown).toContain(
        `${model} @champion → v${older} (was v${original}) | by ${EDITOR.login} (${EDITOR.role}): ${promoteReason}`
      );

      // 2. Conflict: the modal is open on "champion is at the older version" when someone moves it in MLflow.
      modal = await reopenPromote(page, older);
      await choose(page, modal, original, rollbackReason);
      await setAlias(mlflowUrl, model, 'champion', elsewhere);
      expect(await confirm(page, modal)).toBe(409);
      await expect(modal.getByTestId(appSelectors.promote.error)).toContainText(
        `alias "champion" of "${model}" points at version ${elsewhere}, not version ${older}`
      );
      expect(await aliasVersion(mlflowUrl, model, 'champion')).toBe(elsewhere);
      expect((await versionTags(mlflowUrl, model, original))['mlsight.promote_reason']).not.toBe(rollbackReason);

      // 3. Roll back: the page read again shows where champion is now; move it back to where the test found it.
      modal = await openPromote(page, services, hostLine, elsewhere);
      await choose(page, modal, original, rollbackReason);
      expect(await confirm(page, modal)).toBe(200);
      await expect(page.getByTestId(appSelectors.promote.done)).toHaveText(`champion → version ${original}`);
      expect(await aliasVersion(mlflowUrl, model, 'champion')).toBe(original);
      expect(await versionTags(mlflowUrl, model, original)).toMatchObject({
        'mlsight.promote_reason': rollbackReason,
        'mlsight.previous_version': elsewhere,
      });
    } finally {
      // Aliases and the audit tags back as seeded, whatever failed: the specs after this one read the demo.
      await restoreRegistry(mlflowUrl, saved);
    }
    expect(await readRegistry(mlflowUrl, model)).toEqual(saved);
    expect(recorder.pageErrors()).toEqual([]);
  });
});

/** Opens the model's deployments tab as the Editor and the promote modal, once it shows where champion points. */
async function openPromote(page: Page, services: E2EServices, hostLine: string, champion: string): Promise<Locator> {
  const model = encodeURIComponent(services.model);
  await openApp(page, appUrl(services, hostLine, `/models/${model}/deployments?role=${EDITOR.role}`));
  return reopenPromote(page, champion);
}

/** Opens the modal on the page already shown; the version field says where the modal believes champion is. */
async function reopenPromote(page: Page, champion: string): Promise<Locator> {
  const open = page.getByTestId(appSelectors.promote.open);
  await expect(open).toBeEnabled();
  await open.click();
  const modal = page.getByTestId(appSelectors.promote.modal);
  await expect(modal).toBeVisible();
  await expect(modal.getByText(`champion points at version ${champion} now`)).toBeVisible();
  return modal;
}

/** Picks the version and types the reason, as a user would; Confirm is then enabled. */
async function choose(page: Page, modal: Locator, version: string, reason: string): Promise<void> {
  await modal.locator(`#${appSelectors.promote.version}`).click();
  await page
    .locator(SELECT_OPTION)
    .filter({ hasText: new RegExp(`^Version ${version}(?!\\d)`) })
    .first()
    .click();
  await modal.getByTestId(appSelectors.promote.reason).fill(reason);
  await expect(modal.getByTestId(appSelectors.promote.confirm)).toBeEnabled();
}

/** Clicks Confirm and returns the status of the promote resource's answer (the Go backend relaying the proxy's). */
async function confirm(page: Page, modal: Locator): Promise<number> {
  const path = promoteUrl(DATASOURCE_UID);
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST');
  await modal.getByTestId(appSelectors.promote.confirm).click();
  return (await answered).status();
}

/** A table panel's rows as cell texts, the header row (column names) first. */
async function tableCells(page: Page, title: string): Promise<string[][]> {
  const table = page.getByTestId(`data-testid Panel header ${title}`);
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  return table
    .getByRole('row')
    .evaluateAll((els) =>
      els.map((row) =>
        [...row.querySelectorAll('[role="columnheader"], [role="cell"], [role="gridcell"]')].map((cell) =>
          (cell.textContent ?? '').trim()
        )
      )
    );
}

/** The cells of the Deployments table's row for an alias (PanelChrome's section carries the header test id). */
async function deploymentRow(page: Page, alias: string): Promise<string[]> {
  const table = page.getByTestId('data-testid Panel header Deployments');
  const rows = await table
    .getByRole('row')
    .evaluateAll((els) =>
      els.map((row) =>
        [...row.querySelectorAll('[role="cell"], [role="gridcell"]')].map((cell) => (cell.textContent ?? '').trim())
      )
    );
  return rows.find((cells) => cells.includes(alias)) ?? [];
}
