import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test support: a scripted HTTP server on 127.0.0.1 standing in for MLflow, recording every request.
 * Unit tests of the client talk real HTTP to it, so headers, timeouts and retries are exercised for real.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}

export interface FakeReply {
  status?: number;
  /** Serialised as JSON unless it is a string or a Buffer. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A reply, or 'hang' to never answer (timeouts). */
export type FakeHandler = (request: RecordedRequest) => FakeReply | 'hang';

export interface FakeMlflow {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the handler (e.g. to take MLflow "down"). */
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startFakeMlflow(handler: FakeHandler): Promise<FakeMlflow> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      const reply = current(recorded);
      if (reply === 'hang') return;
      const payload =
        Buffer.isBuffer(reply.body) || typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      const isJson = !(Buffer.isBuffer(reply.body) || typeof reply.body === 'string');
      res.writeHead(reply.status ?? 200, {
        ...(isJson ? { 'Content-Type': 'application/json' } : {}),
        ...reply.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An MLflow-style JSON error reply. */
export function mlflowError(status: number, errorCode: string, message: string): FakeReply {
  return { status, body: { error_code: errorCode, message } };
}
