import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDashboards } from '../host/server/dashboardStore';
import { PROVISIONED_DASHBOARDS } from '../host/server';
import { hostSelectors } from '../host/src/selectors';
import { expect, test } from './fixtures';

/**
 * Every provisioned persona dashboard in the plugin host, on the demo story (globalSetup tells it through the real
 * proxy) with a real Prometheus scraping the proxy: each panel is drawn by its plugin (MLSight panels from dist/,
 * Grafana's core panels by the host's stand-ins), no panel shows an error, and every MLSight panel gets data.
 */

const DOCS_SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');
/** Some dashboards run a dozen queries over 30 days of rows on a 2-core machine: a hang guard, not a speed test. */
const DASHBOARD_HANG_GUARD_MS = 300_000;
const VIEWPORT = { width: 1600, height: 1000 };

const dashboards = [...loadDashboards(PROVISIONED_DASHBOARDS).values()];

interface PanelOutcome {
  id: string;
  title: string;
  type: string;
  state: string;
  fields: number;
  /** The panel draws Grafana's "No data" (e.g. its field matchers picked no field). */
  noData: boolean;
  errors: string[];
  datasource: string | undefined;
}

async function openDashboard(page: Page, hostUrl: string, line: string, uid: string, theme: 'light' | 'dark') {
  await page.setViewportSize(VIEWPORT);
  await page.goto(`${hostUrl}/hosts/${line}/?dashboard=${encodeURIComponent(uid)}&theme=${theme}`);
  await expect(page.getByTestId(hostSelectors.bootError)).toHaveCount(0);
  await expect(page.getByTestId(hostSelectors.dashboard.page)).toHaveAttribute('data-ready', 'true');
}

/** Waits until every panel with queries has finished (done or error), then reads what each one shows. */
async function panelOutcomes(page: Page, datasources: Map<string, string | undefined>): Promise<PanelOutcome[]> {
  const items = page.getByTestId(hostSelectors.dashboard.panel);
  const states = items.getByTestId(hostSelectors.panel.state);
  await expect
    .poll(async () => (await states.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).join(','), {
      timeout: DASHBOARD_HANG_GUARD_MS,
      intervals: [500, 1000, 2000],
    })
    .not.toMatch(/loading/);
  return items.evaluateAll((els, dsById) => {
    return els
      .filter((el) => el.getAttribute('data-panel-type') !== 'row')
      .map((el) => {
        const id = el.getAttribute('data-panel-id') ?? '';
        const state = el.querySelector('[data-testid="host-panel-state"]');
        const errorList = [...el.querySelectorAll('[data-testid="host-panel-errors"] li')].map(
          (li) => li.textContent ?? ''
        );
        const hostError = el.querySelector('[data-testid="host-dashboard-panel-error"]')?.textContent;
        return {
          id,
          title: el.getAttribute('data-panel-title') ?? '',
          type: el.getAttribute('data-panel-type') ?? '',
          state: state?.getAttribute('data-state') ?? (hostError ? 'host-error' : 'missing'),
          fields: Number(state?.getAttribute('data-fields') ?? '0'),
          noData: (el.querySelector('[data-testid="host-panel-viz"]')?.textContent ?? '').includes('No data'),
          errors: hostError ? [hostError, ...errorList] : errorList,
          datasource: dsById[id],
        };
      });
  }, Object.fromEntries(datasources));
}

for (const dashboard of dashboards) {
  test.describe(`dashboard ${dashboard.folderTitle} / ${dashboard.title}`, () => {
    test('every panel renders on the demo story without errors, MLSight panels with data', async ({
      page,
      services,
      hostLine,
      recorder,
      saveScreenshot,
    }) => {
      test.setTimeout(DASHBOARD_HANG_GUARD_MS + 60_000);
      const panels = (dashboard.json.panels as Array<Record<string, unknown>>) ?? [];
      const datasources = new Map<string, string | undefined>(
        panels.map((p, i) => {
          const targets = Array.isArray(p.targets) ? (p.targets as Array<{ datasource?: { uid?: string } }>) : [];
          const ds = (p.datasource as { uid?: string } | undefined)?.uid ?? targets[0]?.datasource?.uid;
          return [String(typeof p.id === 'number' ? p.id : i + 1), ds];
        })
      );
      await openDashboard(page, services.hostUrl, hostLine, dashboard.uid, 'dark');
      await expect(page.getByTestId(hostSelectors.dashboard.panel)).toHaveCount(panels.length);

      const outcomes = await panelOutcomes(page, datasources);
      const failed = outcomes.filter((o) => o.errors.length > 0 || o.state !== 'done');
      expect(failed.map((o) => `${o.title} [${o.type}]: ${o.state} ${o.errors.join(' | ')}`)).toEqual([]);
      const emptyMlsight = outcomes.filter((o) => o.datasource === 'mlsight' && (o.fields === 0 || o.noData));
      expect(emptyMlsight.map((o) => `${o.title} [${o.type}]`)).toEqual([]);
      const prometheusPanels = outcomes.filter((o) => o.datasource === 'mlsight-prometheus');
      if (prometheusPanels.length > 0) {
        console.log(
          `[e2e] ${dashboard.uid}: Prometheus panels with data ${prometheusPanels.filter((o) => o.fields > 0).length}` +
            ` of ${prometheusPanels.length}`
        );
      }
      expect(recorder.pageErrors()).toEqual([]);

      const page$ = page.getByTestId(hostSelectors.dashboard.page);
      await saveScreenshot(`dashboard-${dashboard.uid}-dark`, page$);
      if (hostLine === '12') {
        mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
        await page$.screenshot({
          path: join(DOCS_SCREENSHOTS, `dashboard-${dashboard.uid}.png`),
          animations: 'disabled',
        });
      }
    });
  });
}

test.describe('dashboard links', () => {
  test('a runbook link (/d/<uid>) opens that dashboard in the host, on the same Grafana line', async ({
    page,
    services,
    hostLine,
  }) => {
    const support = dashboards.find((d) => d.uid === 'mlsight-support');
    if (!support) throw new Error('the support dashboard is not provisioned');
    await openDashboard(page, services.hostUrl, hostLine, support.uid, 'light');
    const link = page.getByTestId(hostSelectors.dashboard.panel).locator('a[href="/d/mlsight-data-scientist"]');
    await expect(link).toHaveCount(1);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/hosts/${hostLine}/\\?dashboard=mlsight-data-scientist`));
    await expect(page.getByTestId(hostSelectors.dashboard.page)).toHaveAttribute('data-uid', 'mlsight-data-scientist');
  });
});
