import { hostSelectors } from '../host/src/selectors';
import { expect, test } from './fixtures';

test('the provisioned token never reaches the browser: requests, responses, DOM, console', async ({
  page,
  openHost,
  services,
  recorder,
}) => {
  await openHost({ theme: 'dark' });
  // Everything that talks to the proxy: default query, variables, annotations, save & test.
  await expect(page.getByTestId(hostSelectors.query.state)).toHaveAttribute('data-state', 'done');
  await page.getByTestId(hostSelectors.variables.refresh).click();
  await expect(page.getByTestId(hostSelectors.variables.picker('model')).locator('option')).not.toHaveCount(0);
  await page.getByTestId(hostSelectors.annotations.run).click();
  await expect(page.getByTestId(hostSelectors.annotations.events)).toBeVisible();
  await page.getByTestId(hostSelectors.config.saveAndTest).click();
  await expect(page.getByTestId(hostSelectors.config.alert)).toHaveAttribute('data-status', 'success');

  // The proxy really was reached with the token (through the backend: queries, resources, health) ...
  const proxied = recorder.entries.filter(
    (e) =>
      e.kind === 'request' &&
      (e.where.includes('/api/ds/query') || /\/api\/datasources\/uid\/[^/]+\/(resources|health)/.test(e.where))
  );
  expect(proxied.length).toBeGreaterThan(3);
  // ... and the token appears nowhere the browser could see it.
  expect(await recorder.containing(services.token)).toEqual([]);
  expect(await page.content()).not.toContain(services.token);
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie
  );
  expect(storage).not.toContain(services.token);
});
