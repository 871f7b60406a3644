/**
 * Runs the demo story (scripts/seed_story.py) against a proxy on a real socket: 30 days of credit-risk predictions
 * with a drift, delayed labels, a retrain and a challenger, then two weeks of the small fleet models (fraud-screen
 * healthy, churn-propensity with a data-quality incident), sent through the ingest API with an `ingest` token.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const PYTHON = process.env.MLSIGHT_PYTHON ?? join(REPO_ROOT, '.venv', 'bin', 'python');
const SUMMARY_PREFIX = '[story] summary ';

/** One model of the story and what the fleet page should say about it (scripts/seed/story.py `summary`). */
export interface StoryModel {
  model: string;
  champion_version: string;
  days: number;
  reference_rows: number;
  /** All versions' predictions. */
  predictions: number;
  labels: number;
  /** `attention`: the fleet's status is critical or warning; `ok`: all checks pass. */
  expected_status: 'attention' | 'ok';
  /** The kind of reason the fleet must give: a drifted-features reason or a data-quality incident. */
  expected_because: 'drift' | 'data quality' | null;
  /** churn-propensity: the feature its incident hits, and when. */
  quality_feature?: string;
  incident_from_ms?: number;
  incident_to_ms?: number;
}

/** credit-risk's counts at the top level (rejected, duplicates and replayed batches over every model), then `models`. */
export interface StorySummary {
  model: string;
  now_ms: number;
  days: number;
  reference_rows: number;
  predictions: Record<string, number>;
  labels: number;
  rejected: number;
  duplicates: number;
  replayed_batches: number;
  drifted_features: string[];
  missing_feature: string;
  drift_start_ms: number;
  models: StoryModel[];
}

export interface StoryRun {
  summary: StorySummary;
  /** Everything the story printed (progress lines, then the summary line). */
  lines: string[];
}

/** Tells the story up to `nowMs` (floored to the hour by the script; default now) and returns its summary. */
export function runStory(proxyUrl: string, ingestToken: string, nowMs?: number): Promise<StoryRun> {
  return new Promise((resolveRun, reject) => {
    const args = [join(REPO_ROOT, 'scripts', 'seed_story.py'), '--proxy-url', proxyUrl];
    if (nowMs !== undefined) args.push('--now', String(nowMs));
    const child = spawn(PYTHON, args, {
      env: { ...process.env, MLSIGHT_INGEST_TOKEN: ingestToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.trimEnd().split('\n');
      const last = lines.at(-1) ?? '';
      if (code !== 0 || !last.startsWith(SUMMARY_PREFIX)) {
        reject(new Error(`seed_story.py exited ${code}:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
        return;
      }
      resolveRun({ summary: JSON.parse(last.slice(SUMMARY_PREFIX.length)) as StorySummary, lines });
    });
  });
}
