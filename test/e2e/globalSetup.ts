/**
 * Starts what the browser tests talk to, all on free loopback ports: a real MLflow seeded with the demo, the real
 * MLSight proxy (`node backend-proxy/dist/server.js`, MLSIGHT_AUTH=on with a fresh random token) with the panels'
 * data and the demo story, a real Prometheus scraping it, and the plugin host server; builds the host pages first. Hands their URLs to the tests through environment variables and
 * returns the teardown that stops all three.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildHost, lineAvailable } from '../host/build';
import {
  DATASOURCE_DIST,
  APP_PLUGIN,
  DATASOURCE_PLUGIN,
  mlsightDataSource,
  PANEL_PLUGINS,
  prometheusDataSource,
  startHostServer,
} from '../host/server';
import { freeLoopbackPort, seedDemo, startMlflow } from '../support/mlflowServer';
import { PROMETHEUS_BIN, startPrometheus } from '../support/prometheus';
import { runStory } from '../support/story';
import { E2E_ENV, UNCONFIGURED_UID } from './env';
import { seedPanelData } from './panelSeed';

const REPO_ROOT = resolve(__dirname, '..', '..');
const PROXY_START_TIMEOUT_MS = 30_000;

async function waitForProxy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + PROXY_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the proxy exited during startup:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the proxy did not answer ${url}/healthz in ${PROXY_START_TIMEOUT_MS / 1000} s:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env[E2E_ENV.hostUrl]) {
    // Services already running (test/e2e/serve.ts): reuse them, leave them running.
    return async () => undefined;
  }
  const started = Date.now();
  for (const line of ['12', '13'] as const) if (lineAvailable(line)) await buildHost(line);
  if (!existsSync(join(DATASOURCE_DIST, 'module.js'))) {
    throw new Error('datasource/dist/module.js is missing: run `npm run build -w mlsight-mlflow-datasource` first');
  }
  const proxyEntry = join(REPO_ROOT, 'backend-proxy', 'dist', 'server.js');
  if (!existsSync(proxyEntry))
    throw new Error('backend-proxy/dist/server.js is missing: run `npx tsc -b backend-proxy`');

  const mlflow = await startMlflow();
  const stops: Array<() => Promise<void>> = [() => mlflow.stop()];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error('[e2e] teardown:', err));
  };
  try {
    const summary = await seedDemo(mlflow.url);
    const token = `e2e-${randomBytes(24).toString('hex')}`;
    // The data source's token (the host injects it server-side; the browser never holds it) reads, and has the
    // `admin` scope an operator gives it for the app's promote / rollback — the Go backend and the proxy still refuse
    // a Viewer. Only this process ingests (the panels' drift data), with its own token.
    const ingestToken = `e2e-ingest-${randomBytes(24).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'mlsight-e2e-'));
    stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freeLoopbackPort();
    const proxyUrl = `http://127.0.0.1:${port}`;
    let output = '';
    const proxy = spawn(process.execPath, [proxyEntry], {
      env: {
        ...process.env,
        MLSIGHT_HOST: '127.0.0.1',
        MLSIGHT_PORT: String(port),
        MLSIGHT_AUTH: 'on',
        MLSIGHT_TOKENS: `${token}:read+admin,${ingestToken}:ingest`,
        MLSIGHT_MLFLOW_URL: mlflow.url,
        MLSIGHT_SQLITE_PATH: join(dataDir, 'mlsight.db'),
        MLSIGHT_LOG_LEVEL: 'warn',
        // Gauges for the dashboards' Prometheus panels soon after start, over the story's last hours.
        MLSIGHT_MONITOR_INTERVAL: '20s',
        MLSIGHT_MONITOR_WINDOW: '3h',
        // One MLflow worker on two cores shared with Chromium, the proxy and its monitor: a dashboard's dozen
        // panels queue behind each other there, so MLflow calls get a longer hang guard than the 5 s default.
        MLSIGHT_MLFLOW_TIMEOUT_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proxy.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stops.push(() => stopChild(proxy));
    await waitForProxy(proxyUrl, proxy, () => output);
    await seedPanelData(proxyUrl, ingestToken);
    // The persona dashboards show the demo story (model credit-risk), as `npm start` does.
    const story = await runStory(proxyUrl, ingestToken);
    const told = Object.values(story.summary.predictions).reduce((a, b) => a + b, 0);
    const fleet = story.summary.models.map((m) => `${m.model} ${m.predictions}`).join(', ');
    console.log(
      `[e2e] demo story: ${told} predictions, ${story.summary.labels} labels for ${story.summary.model}; ${fleet}`
    );
    // The dashboards' Prometheus panels read a real Prometheus scraping the proxy with the shipped rules.
    if (!existsSync(PROMETHEUS_BIN)) throw new Error(`${PROMETHEUS_BIN} not found: run scripts/setup-system.sh`);
    const prometheus = await startPrometheus({
      scrapeTargets: [`127.0.0.1:${port}`],
      ruleFiles: ['provisioning/prometheus/rules/mlsight.rules.yml'],
      scrapeInterval: '2s',
      bearerToken: token,
    });
    stops.push(() => prometheus.stop());

    const host = await startHostServer({
      plugins: [DATASOURCE_PLUGIN, ...PANEL_PLUGINS, APP_PLUGIN],
      datasources: [
        // Provisioned, as an operator would: the browser never sees this token.
        mlsightDataSource(proxyUrl, token),
        { ...mlsightDataSource('', undefined), uid: UNCONFIGURED_UID, name: 'MLSight (new)', isDefault: false },
        prometheusDataSource(prometheus.url),
      ],
    });
    stops.push(() => host.close());

    process.env[E2E_ENV.hostUrl] = host.url;
    process.env[E2E_ENV.proxyUrl] = proxyUrl;
    process.env[E2E_ENV.token] = token;
    process.env[E2E_ENV.model] = summary.modelName;
    process.env[E2E_ENV.demoModels] = story.summary.models.map((m) => m.model).join(',');
    process.env[E2E_ENV.prometheusUrl] = prometheus.url;
    process.env[E2E_ENV.mlflowUrl] = mlflow.url;
    console.log(
      `[e2e] MLflow ${mlflow.url}, proxy ${proxyUrl}, host ${host.url} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
