/**
 * A plugin's backend binary run the way Grafana runs it: hashicorp go-plugin's handshake (the magic-cookie
 * environment variable and PLUGIN_PROTOCOL_VERSIONS the SDK's `grpcplugin` package expects, then the
 * `core|app|network|address|protocol|cert` line on stdout), and the SDK's gRPC services (`pluginv2` in
 * grafana-plugin-sdk-go's proto/backend.proto) over the announced unix socket.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** grafana-plugin-sdk-go backend/grpcplugin/handshake.go: MagicCookieKey/Value and ProtocolVersion. */
const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
const MAGIC_COOKIE_VALUE = 'datasource';
const PROTOCOL_VERSION = 2;
/** go-plugin's CoreProtocolVersion, the first field of the handshake line. */
const CORE_PROTOCOL_VERSION = 1;
const SDK_MODULE = 'github.com/grafana/grafana-plugin-sdk-go';

export interface GrpcPluginContext {
  orgId: number;
  pluginId: string;
  pluginVersion?: string;
  user?: { login: string; name: string; email: string; role: string };
  dataSourceInstanceSettings?: {
    id: number;
    uid: string;
    name: string;
    url: string;
    jsonData: Buffer;
    decryptedSecureJsonData: Record<string, string>;
    lastUpdatedMS: number;
  };
  grafanaConfig?: Record<string, string>;
}

export interface GrpcDataQuery {
  refId: string;
  queryType: string;
  maxDataPoints: number;
  intervalMS: number;
  timeRange: { fromEpochMS: number; toEpochMS: number };
  json: Buffer;
}

export interface GrpcDataResponse {
  frames: Buffer[];
  error: string;
  status: number;
  errorSource: string;
}

export interface GrpcHealthResponse {
  status: 'UNKNOWN' | 'OK' | 'ERROR';
  message: string;
  jsonDetails: Buffer;
}

export interface GrpcResourceResponse {
  code: number;
  headers: Record<string, { values: string[] }>;
  body: Buffer;
}

export interface BackendPlugin {
  queryData(request: {
    pluginContext: GrpcPluginContext;
    headers: Record<string, string>;
    queries: GrpcDataQuery[];
  }): Promise<Record<string, GrpcDataResponse>>;
  checkHealth(request: {
    pluginContext: GrpcPluginContext;
    headers: Record<string, string>;
  }): Promise<GrpcHealthResponse>;
  callResource(request: {
    pluginContext: GrpcPluginContext;
    path: string;
    method: string;
    url: string;
    headers: Record<string, { values: string[] }>;
    body: Buffer;
  }): Promise<GrpcResourceResponse>;
  close(): Promise<void>;
}

/** The SDK's proto/backend.proto, from the Go module cache of the version datasource/go.mod requires. */
export function sdkProtoPath(goModuleDir: string): string {
  const listed = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', SDK_MODULE], { cwd: goModuleDir, encoding: 'utf8' });
  const dir = listed.status === 0 ? listed.stdout.trim() : '';
  const proto = join(dir, 'proto', 'backend.proto');
  if (!dir || !existsSync(proto)) {
    throw new Error(`cannot find ${SDK_MODULE}'s proto/backend.proto (go list: ${listed.stderr || 'no output'})`);
  }
  return proto;
}

interface Handshake {
  network: string;
  address: string;
}

/** Parses go-plugin's `1|2|unix|/tmp/plugin123|grpc|` line, refusing what Grafana would refuse. */
export function parseHandshake(line: string): Handshake {
  const [core, app, network, address, protocol] = line.trim().split('|');
  if (Number(core) !== CORE_PROTOCOL_VERSION) throw new Error(`go-plugin core protocol ${core}, expected 1: ${line}`);
  if (Number(app) !== PROTOCOL_VERSION)
    throw new Error(`plugin protocol ${app}, expected ${PROTOCOL_VERSION}: ${line}`);
  if (protocol !== 'grpc') throw new Error(`plugin protocol "${protocol}", expected grpc: ${line}`);
  if ((network !== 'unix' && network !== 'tcp') || !address) throw new Error(`unusable plugin address: ${line}`);
  return { network, address };
}

function readHandshake(child: ChildProcess, stderrTail: () => string): Promise<Handshake> {
  return new Promise((resolveLine, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      child.stdout?.off('data', onData);
      try {
        resolveLine(parseHandshake(buffered.slice(0, newline)));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the plugin exited (${code}) before the handshake: ${stderrTail() || 'no output'}`))
    );
    child.once('error', reject);
  });
}

type Unary<Req, Res> = (request: Req, callback: (err: grpc.ServiceError | null, res: Res) => void) => void;

function unary<Req, Res>(client: grpc.Client, method: string): (request: Req) => Promise<Res> {
  const fn = (client as unknown as Record<string, Unary<Req, Res>>)[method];
  if (typeof fn !== 'function') throw new Error(`the SDK's proto has no ${method}`);
  return (request) =>
    new Promise((resolveCall, reject) =>
      fn.call(client, request, (err, res) => (err ? reject(err) : resolveCall(res)))
    );
}

/**
 * Starts `executable` as Grafana's plugin manager does and connects to its gRPC services. The binary's log (hclog
 * on stderr) goes to `log`.
 */
export async function startBackendPlugin(options: {
  executable: string;
  protoPath: string;
  log?: (line: string) => void;
}): Promise<BackendPlugin> {
  const child = spawn(options.executable, [], {
    env: {
      ...process.env,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: String(PROTOCOL_VERSION),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.log?.(line);
    }
  });
  let handshake: Handshake;
  try {
    handshake = await readHandshake(child, () => tail.join('\n'));
  } catch (err) {
    child.kill();
    throw err;
  }
  const definition = protoLoader.loadSync(options.protoPath, {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const pluginv2 = grpc.loadPackageDefinition(definition).pluginv2 as Record<string, grpc.ServiceClientConstructor>;
  const target = handshake.network === 'unix' ? `unix://${handshake.address}` : handshake.address;
  const credentials = grpc.credentials.createInsecure();
  const service = (name: string) => {
    const Client = pluginv2[name];
    if (!Client) throw new Error(`the SDK's proto has no service ${name}`);
    return new Client(target, credentials);
  };
  const data = service('Data');
  const diagnostics = service('Diagnostics');
  const resource = service('Resource');
  const queryData = unary<object, { responses: Record<string, GrpcDataResponse> }>(data, 'QueryData');

  return {
    queryData: async (request) => (await queryData(request)).responses,
    checkHealth: unary(diagnostics, 'CheckHealth'),
    callResource: (request) =>
      new Promise((resolveCall, reject) => {
        // A server stream: the first message has the status and headers, later ones more body.
        const stream = (
          resource as unknown as Record<string, (r: object) => grpc.ClientReadableStream<GrpcResourceResponse>>
        )['CallResource']?.call(resource, request);
        if (!stream) return reject(new Error("the SDK's proto has no CallResource"));
        let first: GrpcResourceResponse | undefined;
        const chunks: Buffer[] = [];
        stream.on('data', (message: GrpcResourceResponse) => {
          first ??= message;
          chunks.push(Buffer.from(message.body));
        });
        stream.on('error', reject);
        stream.on('end', () =>
          first
            ? resolveCall({ ...first, body: Buffer.concat(chunks) })
            : reject(new Error('CallResource sent nothing'))
        );
      }),
    close: async () => {
      for (const client of [data, diagnostics, resource]) client.close();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolveExit) => {
        child.once('exit', () => resolveExit());
        child.kill('SIGTERM');
      });
    },
  };
}
