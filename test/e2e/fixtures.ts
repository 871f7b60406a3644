import { test as base, expect, type Locator, type Page, type Response } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostSelectors } from '../host/src/selectors';
import { e2eServices, type E2EServices } from './env';

const SCREENSHOT_DIR = resolve(__dirname, '..', '..', 'test-results', 'screenshots');

const BODY_READ_MS = 5_000;

/** A response body, or a marker when the browser no longer has it (a page navigated away, a stream). */
async function readBody(response: Response): Promise<Buffer> {
  const unreadable = Buffer.from('<body not readable>');
  const timer = new Promise<Buffer>((resolveTimer) => setTimeout(() => resolveTimer(unreadable), BODY_READ_MS));
  return Promise.race([response.body().catch(() => unreadable), timer]);
}

/** Everything the browser sent, received and logged during a test, to search for leaked secrets. */
export class TrafficRecorder {
  readonly entries: Array<{ kind: string; where: string; text: string }> = [];
  private readonly pending: Array<Promise<void>> = [];

  attach(page: Page): void {
    // A request or response that arrives as the test ends can no longer give all its headers (Playwright rejects
    // with "Test ended"); the headers the event carried are recorded instead, so the leak search still sees it.
    page.on('request', (request) => {
      this.pending.push(
        request
          .allHeaders()
          .catch(() => request.headers())
          .then((headers) => {
            this.entries.push({
              kind: 'request',
              where: `${request.method()} ${request.url()}`,
              text: `${request.url()}\n${JSON.stringify(headers)}\n${request.postData() ?? ''}`,
            });
          })
      );
    });
    page.on('response', (response) => {
      this.pending.push(
        Promise.all([response.allHeaders().catch(() => response.headers()), readBody(response)]).then(
          ([headers, body]) => {
            this.entries.push({
              kind: 'response',
              where: `${response.status()} ${response.url()}`,
              text: `${JSON.stringify(headers)}\n${body.toString('utf8')}`,
            });
          }
        )
      );
    });
    page.on('console', (message) =>
      this.entries.push({ kind: 'console', where: message.type(), text: message.text() })
    );
    page.on('pageerror', (error) =>
      this.entries.push({ kind: 'pageerror', where: error.name, text: `${error.message}\n${error.stack ?? ''}` })
    );
  }

  /** Entries containing `needle`, after every pending response body was read. */
  async containing(needle: string): Promise<Array<{ kind: string; where: string }>> {
    await Promise.all(this.pending);
    return this.entries.filter((e) => e.text.includes(needle)).map(({ kind, where }) => ({ kind, where }));
  }

  pageErrors(): string[] {
    return this.entries.filter((e) => e.kind === 'pageerror').map((e) => e.text);
  }
}

interface Fixtures {
  hostLine: '12' | '13';
  services: E2EServices;
  recorder: TrafficRecorder;
  openHost: (options?: { uid?: string; theme?: 'light' | 'dark' }) => Promise<void>;
  saveScreenshot: (name: string, target: Locator) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  hostLine: ['12', { option: true }],
  // eslint-disable-next-line no-empty-pattern
  services: async ({}, use) => use(e2eServices()),
  recorder: async ({ page }, use) => {
    const recorder = new TrafficRecorder();
    recorder.attach(page);
    await use(recorder);
  },
  openHost: async ({ page, services, hostLine, recorder }, use) => {
    await use(async (options = {}) => {
      const params = new URLSearchParams({ uid: options.uid ?? 'mlsight', theme: options.theme ?? 'light' });
      await page.goto(`${services.hostUrl}/hosts/${hostLine}/?${params.toString()}`);
      await expect(page.getByTestId(hostSelectors.bootError)).toHaveCount(0);
      await expect(page.getByTestId(hostSelectors.config.section)).toBeVisible();
      expect(recorder.pageErrors()).toEqual([]);
    });
  },
  saveScreenshot: async ({ hostLine }, use, testInfo) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await use(async (name, target) => {
      const file = join(SCREENSHOT_DIR, `grafana${hostLine}-${name}.png`);
      await target.screenshot({ path: file, animations: 'disabled' });
      await testInfo.attach(name, { path: file, contentType: 'image/png' });
    });
  },
});

export { expect };

/** Switches the host's theme with its radio group, as a user would. */
export async function switchTheme(page: Page, mode: 'light' | 'dark'): Promise<void> {
  await page
    .getByTestId(hostSelectors.themeSwitch)
    .getByRole('radio', { name: mode === 'dark' ? 'Dark' : 'Light' })
    .check({ force: true });
  await expect(page.getByTestId(hostSelectors.app)).toHaveAttribute('data-theme', mode);
}

/** Picks an option of a @grafana/ui Combobox: focus, type, then click the option whose label starts with `label`. */
export async function pickOption(page: Page, input: Locator, label: string): Promise<void> {
  await input.click();
  await input.fill(label);
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page
    .getByRole('option', { name: new RegExp(`^${escaped}`) })
    .first()
    .click();
}

/** The proxy, called directly with the token from the test process: the ground truth the browser must match. */
export async function proxyFetch(
  services: E2EServices,
  path: string,
  body?: unknown
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${services.proxyUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${services.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as unknown };
}

/** Grafana's query endpoint, which DataSourceWithBackend posts to and the host answers through the Go backend. */
export const DS_QUERY_PATH = '/api/ds/query';

export function isDsQuery(request: { url(): string; method(): string }): boolean {
  return new URL(request.url()).pathname === DS_QUERY_PATH && request.method() === 'POST';
}

/**
 * The proxy request the backend makes of a browser's `/api/ds/query` body (one time range for all queries, as the
 * browser sends them): the ground truth is the proxy's answer to it.
 */
export function proxyRequestOf(body: unknown): Record<string, unknown> {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const queries = Array.isArray(record.queries) ? (record.queries as Array<Record<string, unknown>>) : [];
  const first = queries[0] ?? {};
  return {
    from: Number(record.from),
    to: Number(record.to),
    ...(typeof first.intervalMs === 'number' ? { intervalMs: first.intervalMs } : {}),
    ...(typeof first.maxDataPoints === 'number' ? { maxDataPoints: first.maxDataPoints } : {}),
    queries,
  };
}
