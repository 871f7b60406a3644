import { hostSelectors } from '../host/src/selectors';
import { expect, isDsQuery, pickOption, proxyFetch, proxyRequestOf, switchTheme, test } from './fixtures';
import { domFrame, proxyFrames } from './frames';

function isTextValue(value: unknown): value is { text: string } {
  return typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string';
}

test.describe('query editor', () => {
  test('picks a query type and a model from live pickers, and shows exactly what the proxy answers', async ({
    page,
    openHost,
    services,
  }) => {
    await openHost();
    const editor = page.getByTestId(hostSelectors.query.editor);
    await pickOption(page, editor.locator('#mlsight-query-type-A'), 'Model versions');

    // The model picker lists what the proxy lists (after the dashboard variables, here none).
    const models = await proxyFetch(services, '/api/v1/variables/models');
    expect(models.status).toBe(200);
    const modelNames = Array.isArray(models.json) ? models.json.filter(isTextValue).map((v) => v.text) : [];
    expect(modelNames).toContain(services.model);
    const modelInput = editor.locator('#mlsight-A-model');
    await modelInput.click();
    for (const name of modelNames) await expect(page.getByRole('option', { name, exact: true })).toBeVisible();
    await page.getByRole('option', { name: services.model, exact: true }).click();

    const state = page.getByTestId(hostSelectors.query.state);
    const bodies: unknown[] = [];
    page.on('request', (r) => {
      if (isDsQuery(r)) bodies.push(r.postDataJSON());
    });
    await page.keyboard.press('Escape');
    const runsBefore = Number(await state.getAttribute('data-runs'));
    await page.getByTestId(hostSelectors.query.run).click();
    await expect(state).toHaveAttribute('data-runs', String(runsBefore + 1));
    await expect(state).toHaveAttribute('data-state', 'done');
    const body = bodies.at(-1);
    await expect(page.getByTestId(hostSelectors.query.error)).toHaveCount(0);

    // The browser sent one batched request for query A with the picked type and model.
    expect(body).toMatchObject({ queries: [{ refId: 'A', queryType: 'model_versions', model: services.model }] });
    // Ground truth: the same request, sent straight to the proxy with the token.
    const direct = await proxyFetch(services, '/api/v1/query', proxyRequestOf(body));
    expect(direct.status).toBe(200);
    const expected = proxyFrames(direct.json, 'A');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected[0]?.rows.length).toBeGreaterThan(0);
    await expect(page.getByTestId(hostSelectors.query.frames)).toHaveAttribute('data-count', String(expected.length));
    for (const [index, frame] of expected.entries()) {
      expect(await domFrame(page.getByTestId(hostSelectors.query.frame(index)))).toEqual(frame);
    }
  });

  test('screenshots of the query editor in both themes', async ({ page, openHost, saveScreenshot }) => {
    await openHost();
    const section = page.getByTestId(hostSelectors.query.section);
    await expect(page.getByTestId(hostSelectors.query.state)).toHaveAttribute('data-state', 'done');
    await saveScreenshot('query-editor-light', section);
    await switchTheme(page, 'dark');
    await saveScreenshot('query-editor-dark', section);
    // The editor follows the theme: its background is dark now.
    const background = await section.evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r + g + b).toBeLessThan(3 * 128);
  });
});
