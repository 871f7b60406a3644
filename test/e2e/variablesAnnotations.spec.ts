import { hostSelectors } from '../host/src/selectors';
import { expect, isDsQuery, pickOption, proxyFetch, switchTheme, test } from './fixtures';

/** A variable's option values as Grafana keeps them: `value`, or `text` when there is none. */
function texts(json: unknown): string[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((v: unknown) => {
    if (typeof v !== 'object' || v === null || !('text' in v)) return [];
    const value: unknown = 'value' in v && v.value !== undefined && v.value !== null ? v.value : v.text;
    return [String(value)];
  });
}

async function optionsOf(select: import('@playwright/test').Locator): Promise<string[]> {
  return select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
}

test.describe('template variables and annotations', () => {
  test('variables list what the proxy lists, chain through $model, and a $model query sends the chosen model', async ({
    page,
    openHost,
    services,
  }) => {
    await openHost();
    await page.getByTestId(hostSelectors.variables.refresh).click();
    const modelPicker = page.getByTestId(hostSelectors.variables.picker('model'));
    const versionPicker = page.getByTestId(hostSelectors.variables.picker('version'));

    const models = texts((await proxyFetch(services, '/api/v1/variables/models')).json);
    expect(models).toContain(services.model);
    await expect.poll(() => optionsOf(modelPicker)).toEqual(models);
    await modelPicker.selectOption(services.model);
    await page.getByTestId(hostSelectors.variables.refresh).click();
    const versions = texts(
      (await proxyFetch(services, `/api/v1/variables/versions?model=${encodeURIComponent(services.model)}`)).json
    );
    expect(versions.length).toBeGreaterThan(0);
    await expect.poll(() => optionsOf(versionPicker)).toEqual(versions);
    await expect(page.getByTestId(hostSelectors.variables.error)).toHaveCount(0);

    // A panel query on $model: the editor offers the dashboard variable, the request carries its value.
    const editor = page.getByTestId(hostSelectors.query.editor);
    await pickOption(page, editor.locator('#mlsight-query-type-A'), 'Model versions');
    await pickOption(page, editor.locator('#mlsight-A-model'), '$model');
    const bodies: unknown[] = [];
    page.on('request', (r) => {
      if (isDsQuery(r)) bodies.push(r.postDataJSON());
    });
    await page.keyboard.press('Escape');
    const state = page.getByTestId(hostSelectors.query.state);
    const runsBefore = Number(await state.getAttribute('data-runs'));
    await page.getByTestId(hostSelectors.query.run).click();
    await expect(state).toHaveAttribute('data-runs', String(runsBefore + 1));
    expect(bodies.at(-1)).toMatchObject({ queries: [{ queryType: 'model_versions', model: services.model }] });
    await expect(page.getByTestId(hostSelectors.query.error)).toHaveCount(0);
  });

  test('the variable editor edits the definition, which then filters the values', async ({
    page,
    openHost,
    services,
  }) => {
    await openHost();
    const search = services.model.slice(0, 3);
    await page.getByTestId(hostSelectors.variables.editor).locator('#mlsight-variable-search').fill(search);
    await expect(page.getByTestId(hostSelectors.variables.editor)).toContainText(`models?search=${search}`);
    await page.getByTestId(hostSelectors.variables.refresh).click();
    const expected = texts((await proxyFetch(services, `/api/v1/variables/models?search=${search}`)).json);
    expect(expected).toContain(services.model);
    await expect.poll(() => optionsOf(page.getByTestId(hostSelectors.variables.picker('model')))).toEqual(expected);
  });

  test('annotations show the events the proxy returns for the same request', async ({
    page,
    openHost,
    services,
    saveScreenshot,
  }) => {
    await openHost();
    const section = page.getByTestId(hostSelectors.annotations.section);
    await section.locator('#mlsight-annotation-model').fill(services.model);
    const sent = page.waitForRequest(
      (r) => new URL(r.url()).pathname === '/api/datasources/uid/mlsight/resources/annotations' && r.method() === 'POST'
    );
    await page.getByTestId(hostSelectors.annotations.run).click();
    const body: unknown = (await sent).postDataJSON();
    expect(body).toMatchObject({ model: services.model });
    const direct = await proxyFetch(services, '/api/v1/annotations', body);
    expect(direct.status).toBe(200);
    const events = Array.isArray(direct.json) ? direct.json : [];
    expect(events.length).toBeGreaterThan(0);
    const table = page.getByTestId(hostSelectors.annotations.events);
    await expect(table).toHaveAttribute('data-count', String(events.length));
    await expect(page.getByTestId(hostSelectors.annotations.error)).toHaveCount(0);
    const shownTitles = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    const expectedTitles = events.map((e: unknown) =>
      typeof e === 'object' && e !== null && 'title' in e ? String(e.title) : ''
    );
    expect([...shownTitles].sort()).toEqual([...expectedTitles].sort());

    await saveScreenshot('annotations-variables-light', page.getByTestId(hostSelectors.variables.section));
    await switchTheme(page, 'dark');
    await saveScreenshot('annotations-editor-dark', section);
  });
});
