/**
 * Runs the demo story (scripts/seed_story.py) against a proxy on a real socket: 30 days of predictions with a
 * drift, delayed labels, a retrain and a challenger, sent through the ingest API with an `ingest` token.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const PYTHON = process.env.MLSIGHT_PYTHON ?? join(REPO_ROOT, '.venv', 'bin', 'python');
const SUMMARY_PREFIX = '[story] summary ';

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
