import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { readState, startProxy } from '../support/proxyHarness';

/*
 * Schemathesis over the proxy's own OpenAPI document, against the real proxy on loopback with auth on (a real
 * token) and the suite's real MLflow behind it: every generated request must be answered without a server error and
 * as the document says (status code, content type, body schema). Bounded: a fixed seed, a few examples per
 * operation, no example database, so a run is the same every time.
 */

const FUZZ_TOKEN = 'fuzz-token-0123456789abcdef';
const SEED = 14;
const MAX_EXAMPLES = 25;
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
];

function schemathesisBin(): string {
  const venv = process.env.MLSIGHT_VENV ?? resolve(__dirname, '..', '..', '.venv');
  return join(venv, 'bin', 'schemathesis');
}

interface Outcome {
  code: number;
  output: string;
}

/**
 * Runs schemathesis without blocking this process: the proxy it tests answers from the same event loop. In `cwd`,
 * since it leaves a `.schemathesis/` cache in its working directory.
 */
function runSchemathesis(args: string[], cwd: string): Promise<Outcome> {
  return new Promise((done) => {
    const options = { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 };
    execFile(schemathesisBin(), args, options, (err, stdout, stderr) => {
      const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0;
      done({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

describe('schemathesis over /api/v1/openapi.json', () => {
  let app: FastifyInstance;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-fuzz-'));
    ({ app } = await startProxy(readState().url, {
      MLSIGHT_TOKENS: `${FUZZ_TOKEN}:read+ingest`,
      MLSIGHT_MONITOR_INTERVAL: '0',
    }));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with 0 server errors and 0 answers that differ from the document (450 of 6,113 were 500s)', async () => {
    expect(existsSync(schemathesisBin())).toBe(true);
    const report = join(dir, 'report.ndjson');
    const { code, output } = await runSchemathesis(
      [
        'run',
        `${base}/api/v1/openapi.json`,
        '--url',
        base,
        '--header',
        `Authorization: Bearer ${FUZZ_TOKEN}`,
        '--checks',
        CHECKS.join(','),
        '--seed',
        String(SEED),
        '--max-examples',
        String(MAX_EXAMPLES),
        '--generation-database',
        'none',
        '--report',
        'ndjson',
        '--report-ndjson-path',
        report,
        '--no-color',
      ],
      dir
    );
    const cases = (output.match(/(\d+) generated/) ?? [])[1];
    console.log(`[fuzz] schemathesis: ${cases ?? '?'} cases, exit ${code}`);
    expect(output).not.toMatch(/ST101|Server error/);
    // On failure, the diff shows schemathesis' own account of each failing case, with a curl to reproduce it.
    const failures = output.includes('Failures:')
      ? output
          .slice(0, output.indexOf('Test cases:'))
          .replace(/(.)\1{79,}/g, (run, c: string) => `${c}…(×${run.length})`)
      : '';
    expect({ code, failures }).toEqual({ code: 0, failures: '' });
    expect(Number(cases)).toBeGreaterThan(100);
    expect(readFileSync(report, 'utf8').length).toBeGreaterThan(0);
  });
});
