/**
 * A client that writes its whole body before it reads the answer (curl, most HTTP libraries) must get the 413 that
 * states the limit, not a broken pipe: the built proxy on a real socket, a body far larger than the kernel's
 * buffers, on the query route, the ingest routes and a chunked upload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxyProcess, type ProxyProcess } from '../support/proxyProcess';

const LIMIT = 4096;
/** 48 MiB: many times what loopback sockets buffer, so an unread rest resets the connection. */
const BODY_BYTES = 48 * 1024 * 1024;

interface Exchange {
  /** The error the client's writes ended with (EPIPE, ECONNRESET), if any. */
  writeError?: string;
  answer: string;
}

/** Writes the whole request, then reads whatever answer comes. */
function writeAllThenRead(port: number, head: string, body: Buffer[]): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let writeError: string | undefined;
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('error', (err: NodeJS.ErrnoException) => (writeError ??= err.code ?? err.message));
    socket.on('close', () => resolve({ ...(writeError ? { writeError } : {}), answer }));
    socket.write(head);
    for (const part of body) socket.write(part);
    socket.end();
  });
}

describe('a refused body is read before the 413 (no broken pipe)', () => {
  let dir: string;
  let proxy: ProxyProcess;
  let port: number;
  const filler = Buffer.alloc(1024 * 1024, ' ');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlsight-body-limit-'));
    proxy = await startProxyProcess({
      env: {
        MLSIGHT_AUTH: 'off',
        MLSIGHT_SQLITE_PATH: join(dir, 'drift.db'),
        MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9',
        MLSIGHT_MONITOR_INTERVAL: '0',
        MLSIGHT_MAX_BODY_BYTES: String(LIMIT),
        MLSIGHT_LOG_LEVEL: 'warn',
      },
    });
    port = Number(new URL(proxy.url).port);
  });
  afterAll(async () => {
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const parts = () => Array.from({ length: BODY_BYTES / filler.length }, () => filler);

  it.each([
    ['POST', '/api/v1/query'],
    ['PUT', '/api/v1/models/m/reference'],
    ['POST', '/api/v1/models/m/predictions'],
  ])('%s %s with a Content-Length over the limit', async (method, path) => {
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${BODY_BYTES}\r\n\r\n`;
    const exchange = await writeAllThenRead(port, head, parts());
    expect(exchange.writeError).toBeUndefined();
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(exchange.answer).toContain(`the limit of ${LIMIT} bytes (MLSIGHT_MAX_BODY_BYTES)`);
  });

  it('a chunked upload that grows past the limit', async () => {
    const head =
      'PUT /api/v1/models/m/reference HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n';
    const chunked = parts().flatMap((p) => [Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n')]);
    const exchange = await writeAllThenRead(port, head, [...chunked, Buffer.from('0\r\n\r\n')]);
    expect(exchange.writeError).toBeUndefined();
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(exchange.answer).toContain('MLSIGHT_MAX_BODY_BYTES');
  });
});
