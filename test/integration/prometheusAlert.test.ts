import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_FALSE_ALARM_RATE } from '../../backend-proxy/src/stats';
import { categoricalSample, normalSample, seededRandom } from '../../backend-proxy/src/stats/testRandom';
import { type PrometheusServer, promtool, startPrometheus } from '../support/prometheus';
import { AUTH, INGEST_TOKEN, query, READ_TOKEN, readState, startProxy } from '../support/proxyHarness';

const RULES = 'provisioning/prometheus/rules/mlsight.rules.yml';
const MODEL = 'it-prom-drift';
const CHANNELS = ['web', 'app', 'phone'];
const CHANNEL_WEIGHTS = [0.5, 0.3, 0.2];
const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };
/** Polls of Prometheus' API before giving up: a bound on attempts, not a timing assertion. */
const POLLS = 240;
const POLL_PAUSE_MS = 250;

const state = readState();
let app: FastifyInstance;
let prometheus: PrometheusServer;

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}
interface PromRuleGroup {
  rules: Array<{ name: string; lastEvaluation: string; health: string; lastError?: string }>;
}

beforeAll(async () => {
  ({ app } = await startProxy(state.url, { MLSIGHT_MONITOR_INTERVAL: '500ms' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  prometheus = await startPrometheus({
    scrapeTargets: [`127.0.0.1:${port}`],
    ruleFiles: [RULES],
    scrapeInterval: '1s',
    bearerToken: READ_TOKEN,
  });
});
afterAll(async () => {
  await prometheus?.stop();
  await app?.close();
});

const pause = () => new Promise((done) => setTimeout(done, POLL_PAUSE_MS));

/** Polls until `probe` returns a value, at most POLLS times; the failure says what was awaited. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < POLLS; attempt++) {
    const found = await probe();
    if (found !== undefined) return found;
    await pause();
  }
  throw new Error(`gave up after ${POLLS} polls waiting for ${what} (Prometheus log: ${prometheus.logFile})`);
}

const instantQuery = (promql: string) =>
  prometheus.api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
    `/api/v1/query?query=${encodeURIComponent(promql)}`
  );
const alertsOf = async (model: string) =>
  (await prometheus.api<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts.filter((a) => a.labels.model === model);
const lastEvaluation = async () => {
  const { groups } = await prometheus.api<{ groups: PromRuleGroup[] }>('/api/v1/rules');
  const rule = groups.flatMap((g) => g.rules).find((r) => r.name === 'FeatureDrift');
  expect(rule?.health).not.toBe('err');
  return Date.parse(rule?.lastEvaluation ?? '');
};

/** Rows of the monitored window: amount ~ N(50 + shift, 10²), channel as in the reference. */
function rows(n: number, shift: number, seed: number) {
  const rand = seededRandom(seed);
  const amounts = normalSample(rand, n, 50 + shift, 10);
  const channels = categoricalSample(rand, n, CHANNELS, CHANNEL_WEIGHTS);
  const now = Date.now();
  return amounts.map((amount, i) => ({
    prediction_id: `pid-${seed}-${i}`,
    timestamp: now - 30_000 - i * 1000,
    features: { amount, channel: channels[i] },
    prediction: amount > 55 ? 1 : 0,
  }));
}

async function ingest(batch: unknown[]) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/models/${MODEL}/predictions`,
    headers: INGEST,
    payload: { rows: batch },
  });
  expect(response.json()).toMatchObject({ accepted: batch.length, rejected: 0 });
}

describe('shipped Prometheus files', () => {
  it('promtool accepts the rule file and the compose scrape config', async () => {
    const rules = await promtool(['check', 'rules', RULES]);
    expect(rules.output).toMatch(/SUCCESS: 6 rules found/);
    expect(rules.code).toBe(0);
    const config = await promtool(['check', 'config', '--syntax-only', 'provisioning/prometheus/prometheus.yml']);
    expect(config.code).toBe(0);
  });
});

describe('a real Prometheus scraping the proxy with the shipped rules', () => {
  it('stays quiet on undrifted data, fires FeatureDrift with its context after drifted data', async () => {
    const rand = seededRandom(301);
    const channels = categoricalSample(rand, 500, CHANNELS, CHANNEL_WEIGHTS);
    const reference = {
      rows: normalSample(rand, 500, 50, 10).map((amount, i) => ({ features: { amount, channel: channels[i] } })),
    };
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/models/${MODEL}/reference`,
      headers: INGEST,
      payload: reference,
    });
    expect(put.statusCode).toBe(200);

    // Undrifted: same distributions as the reference (with these fixed seeds no test crosses its threshold).
    await ingest(rows(300, 0, 302));
    const seenAt = await eventually('drift verdicts of both features in Prometheus', async () => {
      const { result } = await instantQuery(`mlsight_feature_drifted{model="${MODEL}"}`);
      return result.length === 2 ? Date.now() : undefined;
    });
    await eventually('a FeatureDrift evaluation after the verdicts were scraped', async () =>
      (await lastEvaluation()) > seenAt ? true : undefined
    );
    const quiet = await instantQuery(`mlsight_feature_drifted{model="${MODEL}"}`);
    expect(quiet.result.map((r) => r.value[1])).toEqual(['0', '0']);
    expect(await alertsOf(MODEL)).toEqual([]);

    // Drifted: amount moves by two reference standard deviations, twice as many rows as the undrifted batch.
    await ingest(rows(600, 20, 303));
    const alert = await eventually('a firing FeatureDrift alert on amount', async () =>
      (await alertsOf(MODEL)).find(
        (a) => a.labels.alertname === 'FeatureDrift' && a.labels.feature === 'amount' && a.state === 'firing'
      )
    );

    // The alert's context is what the proxy's own feature_drift query reports for the same rows, at the rate of the
    // monitor's own-window test (half the false-alarm rate: the window pooled with those before it takes the rest).
    const request = {
      refId: 'A',
      queryType: 'feature_drift',
      model: MODEL,
      falseAlarmRate: DEFAULT_FALSE_ALARM_RATE / 2,
    };
    const answer = await query(app, [request], {
      from: 'now-1h',
      to: 'now',
    });
    const frame = answer.body.results.A?.frames?.[0];
    const field = (name: string) => {
      const index = frame?.schema?.fields.findIndex((f) => f.name === name) ?? -1;
      const features = (frame?.data?.values[0] ?? []) as string[];
      return (frame?.data?.values[index] as unknown[] | undefined)?.[features.indexOf('amount')];
    };
    expect(alert.labels).toMatchObject({ model: MODEL, feature: 'amount', method: field('method') });
    // version "" (all versions): Prometheus stores an empty label as no label.
    expect(alert.labels.version).toBeUndefined();
    expect(alert.annotations.feature).toBe('amount');
    expect(alert.annotations.method).toBe('ks');
    expect(Number(alert.annotations.value)).toBeCloseTo(field('score') as number, 12);
    expect(Number(alert.annotations.threshold)).toBe(field('threshold'));
    expect(Number(alert.annotations.sample_size)).toBe(900);
    expect(Number(alert.annotations.sample_size)).toBe(field('current_n'));
    expect(Number(alert.annotations.reference_sample_size)).toBe(500);
    expect(alert.annotations.description).toMatch(/^ks score \S+ crossed its threshold 0\.005 on 900 rows/);
    // channel kept its distribution: no alert for it.
    expect((await alertsOf(MODEL)).filter((a) => a.labels.feature === 'channel')).toEqual([]);

    const metrics = await app.inject({ url: '/metrics', headers: AUTH });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/mlsight_feature_drifted\{model="it-prom-drift",version="",feature="amount"/);
    expect(metrics.body).not.toMatch(/pid-\d+-\d+/);
  });
});
