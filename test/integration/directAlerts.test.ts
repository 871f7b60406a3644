/**
 * The provisioned Grafana-managed rules on MLSight queries (provisioning/alerting/mlsight-direct-alerts.yaml)
 * evaluated as Grafana's alerting engine evaluates them: each rule's data queries go to the data source's built Go
 * backend over go-plugin's gRPC (QueryData with the FromAlert header and each query's relative time range resolved
 * against the evaluation time, the queries of one data source in one request as Grafana's expression service
 * groups them), the answers become expression values and the rule's threshold / math steps run after Grafana's
 * semantics (test/provisioning/grafanaExpressions.ts names the Grafana source of each step). Real MLflow, the real
 * proxy on a real socket, the demo story's drift.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { arrowFrameToJSON } from '../host/server/arrowFrames';
import { pluginContextOf } from '../host/server/backendApi';
import { type BackendPlugin, sdkProtoPath, startBackendPlugin } from '../host/server/backendPlugin';
import type { DataSourceRecord } from '../host/server/settingsStore';
import {
  type AlertInstance,
  alertInstances,
  EXPRESSION_DATASOURCE,
  evaluateExpressions,
  framesToValues,
  type JsonFrame,
  type RuleSpec,
  type SseResult,
  SseError,
  templateValueRefs,
} from '../provisioning/grafanaExpressions';
import type { DriftStore } from '../../backend-proxy/src/store';
import { INGEST_TOKEN, READ_TOKEN, readState, startProxy } from '../support/proxyHarness';
import { runStory, type StoryRun } from '../support/story';

const REPO = join(__dirname, '..', '..');
const DATASOURCE_DIR = join(REPO, 'datasource');
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
const BINARY = join(
  DATASOURCE_DIR,
  'dist',
  `gpx_mlsight-mlflow-datasource_${process.platform}_${GOARCH[process.arch] ?? process.arch}`
);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const STALE_MODEL = 'stale-feed';
/** ngalert's header on every query it sends (backend.FromAlertHeaderName in the SDK). */
const FROM_ALERT_HEADERS = { FromAlert: 'true' };
/** The story sends about 112k rows through the Python client: a wider hang guard than the suite's (not a speed test). */
const STORY_HANG_GUARD_MS = 900_000;

interface ProvisionedRule extends RuleSpec {
  uid: string;
  annotations: Record<string, string>;
}

const file = parse(readFileSync(join(REPO, 'provisioning/alerting/mlsight-direct-alerts.yaml'), 'utf8')) as {
  groups: Array<{ rules: ProvisionedRule[] }>;
};
const RULES = file.groups.flatMap((g) => g.rules);
function rule(title: string): ProvisionedRule {
  const found = RULES.find((r) => r.title === title);
  if (!found) throw new Error(`no provisioned rule ${title}`);
  return found;
}

const state = readState();
const nowMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
let app: FastifyInstance;
let store: DriftStore;
let backend: BackendPlugin;
let story: StoryRun;
let records: { demo: DataSourceRecord; stale: DataSourceRecord };

/** A provisioned MLSight instance whose default model is `model` (what MLSIGHT_DEFAULT_MODEL sets). */
function instance(id: number, proxyUrl: string, model: string): DataSourceRecord {
  return {
    id,
    uid: 'mlsight',
    orgId: 1,
    name: 'MLSight',
    type: 'mlsight-mlflow-datasource',
    access: 'proxy',
    url: proxyUrl,
    isDefault: false,
    readOnly: true,
    // The instance's HTTP timeout (seconds): the first evaluation after the story's 112k-row ingest competes with
    // the monitor's recomputation on this shared machine and has taken longer than the 30 s default.
    jsonData: { proxyUrl, defaultModel: model, timeout: 600 },
    secureJsonData: { apiToken: READ_TOKEN },
    version: id,
  };
}

beforeAll(async () => {
  ({ app, store } = await startProxy(state.url));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy did not bind a port');
  const proxyUrl = `http://127.0.0.1:${address.port}`;
  story = await runStory(proxyUrl, INGEST_TOKEN, nowMs);
  // A feed that stopped two hours ago: its reference and last rows were accepted then.
  const stoppedAt = Date.now() - 2 * HOUR_MS;
  const features = Array.from({ length: 200 }, (_, i) => ({ amount: i % 50, region: i % 2 ? 'north' : 'south' }));
  await store.putReference(STALE_MODEL, { rows: features.map((f) => ({ features: f })) }, { nowMs: stoppedAt });
  await store.ingestPredictions(
    STALE_MODEL,
    features.map((f, i) => ({
      prediction_id: `stale-${i}`,
      timestamp: stoppedAt - (200 - i) * 1000,
      features: f,
      prediction: 0,
      score: 0.2,
    })),
    { nowMs: stoppedAt }
  );
  backend = await startBackendPlugin({ executable: BINARY, protoPath: sdkProtoPath(DATASOURCE_DIR) });
  records = { demo: instance(1, proxyUrl, story.summary.model), stale: instance(2, proxyUrl, STALE_MODEL) };
}, STORY_HANG_GUARD_MS);

afterAll(async () => {
  await backend?.close();
  await app?.close();
});

interface Evaluation {
  /** A query's error: the rule's Error state (execErrState), with Grafana's message. */
  error?: string;
  instances: AlertInstance[];
  results: ReadonlyMap<string, SseResult>;
}

/** One evaluation of `r` at `atMs` against the data-source instance `record`, as ngalert runs it. */
async function evaluate(r: RuleSpec, record: DataSourceRecord, atMs: number): Promise<Evaluation> {
  const queries = r.data
    .filter((d) => d.datasourceUid !== EXPRESSION_DATASOURCE)
    .map((d) => {
      const range = d.relativeTimeRange ?? { from: 600, to: 0 };
      return {
        refId: d.refId,
        queryType: String(d.model.queryType ?? ''),
        maxDataPoints: Number(d.model.maxDataPoints ?? 43200),
        intervalMS: Number(d.model.intervalMs ?? 1000),
        timeRange: { fromEpochMS: atMs - range.from * 1000, toEpochMS: atMs - range.to * 1000 },
        json: Buffer.from(JSON.stringify(d.model)),
      };
    });
  const responses = await backend.queryData({
    pluginContext: pluginContextOf(record),
    headers: FROM_ALERT_HEADERS,
    queries,
  });
  const results = new Map<string, SseResult>();
  for (const q of queries) {
    const response = responses[q.refId];
    if (!response) return { error: `no response for ${q.refId}`, instances: [], results };
    if (response.error)
      return { error: `failed to execute query ${q.refId}: ${response.error}`, instances: [], results };
    const frames = response.frames.map((f) => arrowFrameToJSON(new Uint8Array(f)) as JsonFrame);
    results.set(q.refId, framesToValues(frames));
  }
  const vars = evaluateExpressions(r, results);
  return { instances: alertInstances(r, vars), results };
}

const firing = (e: Evaluation) => e.instances.filter((i) => i.state === 'Alerting');

describe('the direct alert rules evaluated as Grafana does, through the Go backend', () => {
  it('the drift rule fires for the drifted features of the demo model, with the context its annotations name', async () => {
    const r = rule('MLSightDirectFeatureDrift');
    const e = await evaluate(r, records.demo, nowMs);
    expect(e.error).toBeUndefined();
    const drifted = firing(e).map((i) => i.labels.feature);
    expect(drifted).toEqual(expect.arrayContaining(story.summary.drifted_features));
    for (const i of firing(e)) {
      expect(i.labels).toMatchObject({ model: story.summary.model, feature: expect.any(String) });
      expect(i.labels.method).toEqual(expect.any(String));
      // Every $values.X the annotations read resolves to a number for this instance.
      for (const ref of templateValueRefs(r.annotations))
        expect({ feature: i.labels.feature, ref, value: typeof i.values[ref] }).toEqual({
          feature: i.labels.feature,
          ref,
          value: 'number',
        });
      expect(i.values.SAMPLE).toBeGreaterThan(0);
    }
  });

  it('the drift rule stays Normal on every feature of a calm window of the same model', async () => {
    const calm = nowMs - (story.summary.days - 8) * DAY_MS;
    expect(calm).toBeLessThan(story.summary.drift_start_ms);
    const e = await evaluate(rule('MLSightDirectFeatureDrift'), records.demo, calm);
    expect(e.error).toBeUndefined();
    expect(e.instances.length).toBeGreaterThanOrEqual(story.summary.drifted_features.length);
    expect(firing(e)).toEqual([]);
  });

  it('the CBPE rule fires once the drift lowers the estimated accuracy below the reference, not before', async () => {
    const r = rule('MLSightDirectEstimatedAccuracyDrop');
    const late = await evaluate(r, records.demo, nowMs);
    expect(late.error).toBeUndefined();
    expect(firing(late).map((i) => i.labels)).toEqual([{ model: story.summary.model, metric: 'accuracy' }]);
    const [instance] = firing(late);
    expect((instance?.values.REFERENCE ?? 0) - (instance?.values.ESTIMATE ?? 1)).toBeGreaterThan(0.05);
    const calm = await evaluate(r, records.demo, nowMs - (story.summary.days - 8) * DAY_MS);
    expect(calm.error).toBeUndefined();
    expect(calm.instances.map((i) => i.state)).toEqual(['Normal']);
  });

  it('the freshness rule fires for a feed that stopped, and not for the demo feed', async () => {
    const r = rule('MLSightDirectStaleData');
    const stale = await evaluate(r, records.stale, Date.now());
    expect(stale.error).toBeUndefined();
    expect(firing(stale).map((i) => i.labels)).toEqual([{ model: STALE_MODEL }]);
    expect(firing(stale)[0]?.values.AGE).toBeGreaterThan(2 * 3600 - 60);
    const live = await evaluate(r, records.demo, Date.now());
    expect(live.instances.map((i) => [i.labels.model, i.state])).toEqual([[story.summary.model, 'Normal']]);
  });

  it("the panels' feature_drift frame is what Grafana's expressions refuse, which is why the rules ask for the alerting format", async () => {
    const r = rule('MLSightDirectFeatureDrift');
    const [drifted] = r.data;
    if (!drifted) throw new Error('the drift rule has no query');
    const { format: _format, alertValue: _value, ...panelModel } = drifted.model;
    const panelRule: RuleSpec = { title: 'panel', condition: 'DRIFTED', data: [{ ...drifted, model: panelModel }] };
    await expect(evaluate(panelRule, records.demo, nowMs)).rejects.toThrow(SseError);
  });
});
