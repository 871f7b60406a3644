/**
 * `npm start`'s look-around: the plugin host (test/host) serving the built MLSight plugins and the provisioned
 * persona dashboards against the running proxy, and — when Debian's Prometheus is installed — a Prometheus
 * scraping the proxy with the shipped alert rules, so the dashboards' Prometheus panels have data too.
 * Env: MLSIGHT_PROXY_URL, MLSIGHT_API_TOKEN (when the proxy's auth is on), MLSIGHT_HOST_PORT (default 3300).
 */
import { existsSync } from 'node:fs';
import { buildHost, lineAvailable } from '../test/host/build';
import { loadDashboards, slugOf } from '../test/host/server/dashboardStore';
import {
  APP_PLUGIN,
  DATASOURCE_PLUGIN,
  mlsightDataSource,
  PANEL_PLUGINS,
  PROVISIONED_DASHBOARDS,
  prometheusDataSource,
  startHostServer,
} from '../test/host/server';
import { PROMETHEUS_BIN, startPrometheus, type PrometheusServer } from '../test/support/prometheus';

async function main(): Promise<void> {
  const proxyUrl = process.env.MLSIGHT_PROXY_URL ?? 'http://127.0.0.1:8450';
  const token = process.env.MLSIGHT_API_TOKEN;
  const port = Number(process.env.MLSIGHT_HOST_PORT ?? '3300');
  for (const line of ['12', '13'] as const) if (lineAvailable(line)) await buildHost(line);

  let prometheus: PrometheusServer | undefined;
  if (existsSync(PROMETHEUS_BIN)) {
    console.log('[host] starting Prometheus (scrapes the proxy every 5 s, loads the shipped alert rules)…');
    prometheus = await startPrometheus({
      scrapeTargets: [new URL(proxyUrl).host],
      ruleFiles: ['provisioning/prometheus/rules/mlsight.rules.yml'],
      scrapeInterval: '5s',
      ...(token ? { bearerToken: token } : {}),
    });
  } else {
    console.log(`[host] ${PROMETHEUS_BIN} not found: the dashboards' Prometheus panels will say so`);
  }
  const server = await startHostServer({
    port,
    plugins: [DATASOURCE_PLUGIN, ...PANEL_PLUGINS, APP_PLUGIN],
    datasources: [mlsightDataSource(proxyUrl, token), ...(prometheus ? [prometheusDataSource(prometheus.url)] : [])],
  });
  const lines = [...loadDashboards(PROVISIONED_DASHBOARDS).values()].map(
    (d) => `    ${d.folderTitle.padEnd(16)} ${server.url}/d/${d.uid}/${slugOf(d.title)}`
  );
  console.log(`[host] plugin host at ${server.url}/ — the persona dashboards:\n${lines.join('\n')}`);
  console.log(`[host] the MLSight app (fleet overview, model pages): ${server.url}/a/${APP_PLUGIN.id}/fleet`);
  if (prometheus) console.log(`[host] Prometheus at ${prometheus.url} (alerts: ${prometheus.url}/alerts)`);

  const stop = () => {
    void Promise.allSettled([server.close(), prometheus?.stop()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('[host] could not start:', err);
  process.exit(1);
});
