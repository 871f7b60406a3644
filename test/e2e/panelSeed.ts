/**
 * Drift-store data for the panel E2E specs, ingested through the proxy's HTTP API with an `ingest` token: a
 * reference and six complete hours of scored predictions with per-feature attributions for model PANEL_MODEL (no
 * SHAP artifact in MLflow, so the proxy derives the base value as score − Σ attributions). `amount`
 * shifts by two reference standard deviations in the last three hours; the other features keep their reference
 * distribution. One feature is named like an HTML injection, to show the panels render names as text.
 */
import { categoricalSample, normalSample, seededRandom } from '../../backend-proxy/src/stats/testRandom';

export const PANEL_MODEL = 'e2e-panels';
export const XSS_FEATURE = '<img src=x onerror=alert(1)>';
export const DRIFTED_FEATURE = 'amount';
/** Numeric features: reference mean and sd, and how strongly each drives the (synthetic) attributions. */
const NUMERIC = [
  { name: 'amount', mean: 50, sd: 10, weight: 3 },
  { name: 'age', mean: 40, sd: 8, weight: 1.5 },
  { name: XSS_FEATURE, mean: 0, sd: 1, weight: 0.8 },
] as const;
const CHANNELS = ['web', 'app', 'phone'];
const CHANNEL_WEIGHTS = [0.5, 0.3, 0.2];
const CHANNEL_EFFECT: Record<string, number> = { web: 0.2, app: -0.1, phone: 0.4 };
export const PANEL_FEATURES = [...NUMERIC.map((f) => f.name), 'channel'];

const HOUR = 3_600_000;
const HOURS = 6;
const DRIFTED_HOURS = 3;
const ROWS_PER_HOUR = 150;
const REFERENCE_ROWS = 500;
const SHIFT_SDS = 2;

type Features = Record<string, number | string>;

function sampleFeatures(rand: () => number, n: number, amountShift: number): Features[] {
  const columns = NUMERIC.map((f) =>
    normalSample(rand, n, f.mean + (f.name === DRIFTED_FEATURE ? amountShift * f.sd : 0), f.sd)
  );
  const channels = categoricalSample(rand, n, CHANNELS, CHANNEL_WEIGHTS);
  return Array.from({ length: n }, (_, i) => {
    const row: Features = { channel: channels[i] ?? 'web' };
    NUMERIC.forEach((f, j) => (row[f.name] = columns[j]?.[i] ?? f.mean));
    return row;
  });
}

/** The model's expected score: where every local explanation's waterfall starts. */
export const PANEL_BASE_SCORE = 0.35;
/** Attributions on the probability scale, so base + Σ attributions stays a plausible score. */
const PROBABILITY_SCALE = 0.04;

/** Attributions of a linear model on standardised inputs: weight × z-score (and a fixed effect per channel). */
function attributionsOf(features: Features): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of NUMERIC) out[f.name] = (PROBABILITY_SCALE * f.weight * (Number(features[f.name]) - f.mean)) / f.sd;
  out.channel = PROBABILITY_SCALE * (CHANNEL_EFFECT[String(features.channel)] ?? 0);
  return out;
}

/** SHAP's additivity: the score is the base value plus the attributions. */
function scoreOf(attributions: Record<string, number>): number {
  return Object.values(attributions).reduce((sum, a) => sum + a, PANEL_BASE_SCORE);
}

async function send(url: string, token: string, method: 'PUT' | 'POST', key: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text}`);
  const answer = JSON.parse(text) as { rejected?: number };
  if (answer.rejected) throw new Error(`${method} ${url}: ${answer.rejected} rows rejected: ${text}`);
}

/**
 * Ingests the panel data set. Complete past hours only, so every bucket is whole whenever the specs run; batches
 * carry idempotency keys, so running it again against long-lived services (serve.ts) adds nothing.
 */
export async function seedPanelData(proxyUrl: string, ingestToken: string, now = Date.now()): Promise<void> {
  const base = `${proxyUrl}/api/v1/models/${encodeURIComponent(PANEL_MODEL)}`;
  const rand = seededRandom(7_001);
  const reference = sampleFeatures(rand, REFERENCE_ROWS, 0).map((features) => ({ features }));
  await send(`${base}/reference`, ingestToken, 'PUT', 'e2e-panels-reference', { rows: reference });

  const currentHour = Math.floor(now / HOUR) * HOUR;
  for (let k = HOURS; k >= 1; k--) {
    const hourStart = currentHour - k * HOUR;
    const shift = k <= DRIFTED_HOURS ? SHIFT_SDS : 0;
    const rows = sampleFeatures(seededRandom(7_100 + k), ROWS_PER_HOUR, shift).map((features, i) => {
      const attributions = attributionsOf(features);
      const score = scoreOf(attributions);
      return {
        prediction_id: `e2e-panels-${hourStart}-${i}`,
        timestamp: hourStart + Math.floor(((i + 0.5) * HOUR) / ROWS_PER_HOUR),
        features,
        prediction: score >= 0.5 ? 1 : 0,
        score,
        attributions,
      };
    });
    await send(`${base}/predictions`, ingestToken, 'POST', `e2e-panels-${hourStart}`, { rows });
  }
}

/** The dashboard range the panel specs use: the seeded hours and the current one. */
export const PANEL_RANGE = { from: `now-${HOURS + 1}h`, to: 'now' } as const;
