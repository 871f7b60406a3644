import { hostSelectors } from '../host/src/selectors';
import { UNCONFIGURED_UID } from './env';
import { expect, switchTheme, test } from './fixtures';

test.describe('config editor', () => {
  test.beforeEach(async ({ services }) => {
    // Back to a new, empty data source (the suite runs once per Grafana line against one host server).
    const reset = await fetch(`${services.hostUrl}/api/datasources/uid/${UNCONFIGURED_UID}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: '', jsonData: {}, secureJsonData: { apiToken: '' } }),
    });
    expect(reset.status).toBe(200);
  });

  test('save & test: a wrong token gets the 401 message, the right one connects, and the token is not echoed', async ({
    page,
    openHost,
    services,
    recorder,
  }) => {
    await openHost({ uid: UNCONFIGURED_UID });
    const alert = page.getByTestId(hostSelectors.config.alert);
    await page.locator('#mlsight-config-proxy-url').fill(services.proxyUrl);
    await page.locator('#mlsight-config-api-token').fill('not-the-token-0123456789abcdef');
    await page.getByTestId(hostSelectors.config.saveAndTest).click();
    await expect(alert).toHaveAttribute('data-status', 'error');
    await expect(alert).toContainText('The MLSight proxy rejected the API token (401)');

    // The secret is configured now: reset it and enter the right one.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('#mlsight-config-api-token').fill(services.token);
    await page.getByTestId(hostSelectors.config.saveAndTest).click();
    await expect(alert).toHaveAttribute('data-status', 'success');
    await expect(alert).toContainText(`Connected to the MLSight proxy at ${services.proxyUrl}; token accepted`);
    await expect(page.locator('#mlsight-config-api-token')).toHaveValue('configured');

    // Grafana keeps the secret server-side: the settings API reports a flag, never the value.
    const stored = await fetch(`${services.hostUrl}/api/datasources/uid/${UNCONFIGURED_UID}`);
    const text = await stored.text();
    expect(text).not.toContain(services.token);
    expect(JSON.parse(text)).toMatchObject({
      secureJsonFields: { apiToken: true },
      jsonData: { proxyUrl: services.proxyUrl },
    });
    // Typed by the user, the token left the browser once, in the settings PUT, and never came back.
    const leaks = await recorder.containing(services.token);
    expect(leaks).toEqual([
      { kind: 'request', where: `PUT ${services.hostUrl}/api/datasources/uid/${UNCONFIGURED_UID}` },
    ]);
    expect(await page.content()).not.toContain(services.token);
  });

  test('an unreachable proxy URL is reported as such', async ({ page, openHost, services }) => {
    await openHost({ uid: UNCONFIGURED_UID });
    // A loopback port nothing listens on (the proxy's port + 0 is taken; port 9 is discard, closed here).
    await page.locator('#mlsight-config-proxy-url').fill('http://127.0.0.1:9');
    await page.locator('#mlsight-config-api-token').fill(services.token);
    await page.getByTestId(hostSelectors.config.saveAndTest).click();
    const alert = page.getByTestId(hostSelectors.config.alert);
    await expect(alert).toHaveAttribute('data-status', 'error');
    await expect(alert).toContainText('cannot reach the MLSight proxy at http://127.0.0.1:9');
  });

  test('screenshots of the config editor in both themes', async ({ page, openHost, saveScreenshot }) => {
    await openHost();
    await page.getByTestId(hostSelectors.config.saveAndTest).click();
    await expect(page.getByTestId(hostSelectors.config.alert)).toHaveAttribute('data-status', 'success');
    const section = page.getByTestId(hostSelectors.config.section);
    await saveScreenshot('config-editor-light', section);
    await switchTheme(page, 'dark');
    await saveScreenshot('config-editor-dark', section);
  });
});
